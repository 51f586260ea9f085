/**
 * The day at the desk, end to end: a demo host's page on today's day book, appointments of a
 * test's own booked through the contract, and a card found by scrolling the windowed day book.
 */
import type { Page } from 'playwright-core'
import type { ActionResult, AppointmentView } from '../../src/shared/contract'
import type { DemoHost } from './e2e'
import { screenshot } from './e2e'
import { until } from './until'
import { dispatchOk } from './dispatch'

export const RIVERSIDE = 'demo-semble'

export const screenSizes = [
  { width: 1280, height: 720 },
  { width: 1440, height: 900 },
  { width: 1920, height: 1080 },
] as const

/** The page as it is, at the three reception screen sizes, then back to 1440×900. */
export async function screenshotsAtSizes(page: Page, name: string): Promise<void> {
  for (const s of screenSizes) {
    await page.setViewportSize(s)
    await screenshot(page, `${name}-${s.width}x${s.height}`)
  }
  await page.setViewportSize({ width: 1440, height: 900 })
}

export const ok = <T>(demo: DemoHost, name: string, input: unknown): Promise<T> =>
  dispatchOk<T>(demo.runtime, name, input)

/** Cached patients of a connection, each test taking its own so no overlap rule interferes. */
export function cachedPatients(demo: DemoHost, connectionId = RIVERSIDE): string[] {
  return demo.runtime.db
    .prepare(`SELECT id FROM patients WHERE connection_id = ? ORDER BY id LIMIT 200`)
    .pluck()
    .all(connectionId) as string[]
}

/**
 * A connection's patients once the copy holds at least `atLeast` of them: the demo host answers
 * before its first refresh has filled the copy, and a busy machine may still be filling it.
 */
export async function patientsInCopy(
  demo: DemoHost,
  atLeast: number,
  connectionId = RIVERSIDE,
): Promise<string[]> {
  await until(
    `${atLeast} patients of ${connectionId} in the copy`,
    () => cachedPatients(demo, connectionId).length >= atLeast,
    90_000,
    250,
  )
  return cachedPatients(demo, connectionId)
}

export async function firstTypeRef(demo: DemoHost, connectionId = RIVERSIDE): Promise<string> {
  const ref = await ok<{ appointmentTypes: { ref: string }[] }>(demo, 'reference.get', { connectionId })
  return ref.appointmentTypes[0]!.ref
}

/**
 * A Riverside (Semble) clinician free between `start` and `end` both at the simulator and in
 * Frontdesk's copy, and the first location: what Semble needs to book.
 */
export async function freeClinician(
  demo: DemoHost,
  start: string,
  end: string,
): Promise<{ practitionerRef: string; locationRef: string }> {
  const ref = await ok<{ practitioners: { ref: string }[]; locations: { ref: string }[] }>(
    demo,
    'reference.get',
    { connectionId: RIVERSIDE },
  )
  const atSemble = [...demo.runtime.sandbox!.semble.control.state.bookings.values()]
    .filter((b) => !b.deleted && b.start < end && b.end > start)
    .map((b) => b.doctorId)
  const inCopy = demo.runtime.db
    .prepare(
      `SELECT practitioner_ref FROM appointments WHERE connection_id = ? AND start < ? AND end > ?
         AND status NOT IN ('cancelled','noshow')`,
    )
    .pluck()
    .all(RIVERSIDE, end, start) as string[]
  const busy = new Set([...atSemble, ...inCopy])
  const free = ref.practitioners.find((p) => !busy.has(p.ref))
  if (!free) throw new Error(`no Riverside practitioner is free at ${start}`)
  return { practitionerRef: free.ref, locationRef: ref.locations[0]!.ref }
}

/** A 15-minute appointment at `start`, booked through the contract and confirmed by the clinic system. */
export async function bookAt(
  demo: DemoHost,
  b: { patientId: string; typeRef: string; start: Date; note?: string },
): Promise<string> {
  const start = new Date(Math.floor(b.start.getTime() / 60_000) * 60_000).toISOString()
  const end = new Date(Date.parse(start) + 15 * 60_000).toISOString()
  const r = await ok<ActionResult>(demo, 'appointments.book', {
    connectionId: RIVERSIDE,
    ...(await freeClinician(demo, start, end)),
    patientId: b.patientId,
    appointmentTypeRef: b.typeRef,
    start,
    end,
    ...(b.note ? { note: b.note } : {}),
    // The demo's patients already have appointments of their own; a second one is intended here.
    confirmOverlap: true,
  })
  const id = r.appointment.id!
  await until('the clinic system has the booking', async () => {
    const a = await ok<AppointmentView>(demo, 'appointments.get', { appointmentId: id })
    if (a.sync === 'needs-attention') {
      const why = demo.runtime.db
        .prepare(`SELECT last_error FROM outbox WHERE entity_key = ?`)
        .pluck()
        .get(`appointment:${id}`)
      throw new Error(`the booking was refused: ${String(why)}`)
    }
    return a.sync === 'synced'
  })
  return id
}

export const card = (page: Page, id: string) => page.locator(`[data-appointment-id="${id}"]`)
export const drawer = (page: Page) => page.getByTestId('appointment-drawer')

/** Closes any open appointment, scrolls the day book to the card and opens it. */
export async function openCard(page: Page, id: string): Promise<void> {
  if (await drawer(page).count())
    await drawer(page).getByRole('button', { name: 'Close appointment' }).click()
  await clickCard(page, id)
  await drawer(page).waitFor()
}

/**
 * Scrolls to the card and clicks it. Between finding the card and the click, a refresh or a lane
 * widened by a new overlap can move it out of the drawn window, where the click would wait for it
 * for ever; so a click that does not land in a few seconds scrolls to the card again.
 */
export async function clickCard(page: Page, id: string): Promise<void> {
  let last: unknown
  await until(
    `a click on appointment ${id}`,
    async () => {
      await scrollToCard(page, id)
      return card(page, id)
        .click({ timeout: 5_000 })
        .then(
          () => true,
          (e: unknown) => ((last = e), false),
        )
    },
    120_000,
    100,
  ).catch((e: unknown) => {
    // No click was tried when the scan itself gave up; its own message says what the page showed.
    throw last === undefined
      ? e
      : new Error(`${(e as Error).message}; the last click failed with: ${String(last)}`)
  })
}

/**
 * Scrolls the day book (down each column of lanes, then across, then round again) until the card is
 * drawn. Each step is most of a view, so every lane and card passes through the view, and a wide
 * day (lanes widened for overlaps) is crossed in a few dozen steps on a slow machine too. A card the
 * day book draws only after a re-read the scan has already passed is found on a later round.
 */
export async function scrollToCard(page: Page, id: string): Promise<void> {
  const grid = page.getByTestId('day-grid')
  await grid.waitFor({ timeout: 90_000 })
  await grid.evaluate((el) => el.scrollTo({ left: 0, top: 0 }))
  await until(
    `appointment ${id} on the screen`,
    async () => {
      if ((await card(page, id).count()) > 0) return true
      return grid.evaluate((el) => {
        const top = el.scrollTop
        el.scrollBy({ top: Math.max(250, el.clientHeight - 100) })
        if (el.scrollTop !== top) return false
        const left = el.scrollLeft
        el.scrollTo({ top: 0, left: left + Math.max(400, el.clientWidth - 200) })
        // Past the last column: round again from the start, for a card drawn after the scan passed it.
        if (el.scrollLeft === left) el.scrollTo({ top: 0, left: 0 })
        return false
      })
    },
    60_000,
    100,
  ).catch(async (e: unknown) => {
    // What the day book showed, so a failure on a slow run says whether the card was ever drawn.
    const seen = await page
      .evaluate(
        `(() => {
          const g = document.querySelector('[data-testid="day-grid"]')
          const heading = document.querySelector('.today-title')?.textContent ?? '?'
          const cards = document.querySelectorAll('[data-appointment-id]').length
          return g
            ? '"' + heading + '": grid ' + g.scrollWidth + 'x' + g.scrollHeight + ' px at ' +
              g.scrollLeft + ',' + g.scrollTop + ', ' + cards + ' cards drawn'
            : 'no day grid'
        })()`,
      )
      .catch((err: unknown) => `the page did not answer: ${String(err)}`)
    throw new Error(`${(e as Error).message} (${seen})`)
  })
}
