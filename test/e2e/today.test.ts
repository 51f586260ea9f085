/**
 * The day book as a receptionist uses it on a Monday morning (the app's clock is pinned): open
 * Today, move with the arrow keys, open an appointment, check one in, cancel one with a reason,
 * move one to another slot, then lose Semble, mark a no-show while it is away and see it sent
 * exactly once when it is back. Each test books the appointment it acts on, so one failing test
 * does not take the ones after it down too.
 */
import { DateTime } from 'luxon'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ActionResult, AppointmentView, ReferenceData, SlotView } from '../../src/shared/contract'
import { screenshot, seriousViolations, startDemoHost, type DemoHost } from '../support/e2e'
import { clickCard } from '../support/desk'
import { until } from '../support/until'

let demo: DemoHost
let page: Page
let problems: string[]
const CONNECTION = 'demo-semble'
let typeRef: string
/** Cached Riverside patients; each test books for its own, so no rule about a patient's overlaps interferes. */
let patientIds: string[] = []
const takenStarts = new Set<string>()

async function ok<T>(name: string, input: unknown): Promise<T> {
  const r = await demo.runtime.dispatch(name, input)
  if (!r.ok) throw new Error(`${name}: ${r.error.code} ${r.error.message}`)
  return r.value as T
}

beforeAll(async () => {
  demo = await startDemoHost({ patients: 200, name: 'today' })
  const adapter = demo.runtime.adapters.get(CONNECTION)
  patientIds = (await adapter.findPatients!({ text: '', limit: 60 })).map((p) =>
    demo.runtime.cache.upsertPatient(p),
  )
  const ref = await ok<ReferenceData>('reference.get', { connectionId: CONNECTION })
  typeRef = ref.appointmentTypes.find((t) => t.lengthMinutes <= 30)!.ref
  ;({ page, problems } = await demo.page({ bypassCSP: true }))
})

afterAll(async () => {
  await demo?.close()
})

const semble = () => demo.runtime.sandbox!.semble.control
const drawer = () => page.getByTestId('appointment-drawer')
const toasts = () => page.getByTestId('toasts')
const grid = () => page.getByTestId('day-grid')

/** Booked Semble (Riverside Clinic) appointments on the screen, as card buttons. */
const bookedRiverside = () =>
  page.locator('section[aria-label$="Riverside Clinic"] button[data-appointment-id][data-status="booked"]')

/** The appointment id of the element with keyboard focus. */
const activeId = () => page.evaluate("document.activeElement?.getAttribute('data-appointment-id')")

/** The appointment's card, by id; clicking it opens the drawer. */
const card = (id: string) => page.locator(`[data-appointment-id="${id}"]`)

async function appointment(id: string): Promise<AppointmentView> {
  return ok<AppointmentView>('appointments.get', { appointmentId: id })
}

/**
 * A Riverside appointment of this test's own, booked through the contract (as another screen or
 * the clinic system would) in the next free slot today, and confirmed by Semble before use.
 */
async function bookToday(): Promise<string> {
  const now = demo.clock.now()
  const endOfDay = DateTime.fromJSDate(now, { zone: 'Europe/London' }).endOf('day').toMillis()
  const slots = await ok<SlotView[]>('slots.find', {
    connectionId: CONNECTION,
    appointmentTypeRef: typeRef,
    from: now.toISOString(),
    days: 1,
    limit: 100,
  })
  const slot = slots.find(
    (s) => Date.parse(s.start) < endOfDay && !takenStarts.has(`${s.practitionerRef}@${s.start}`),
  )
  if (!slot) throw new Error('the demo clinic has no free Riverside slot left today')
  takenStarts.add(`${slot.practitionerRef}@${slot.start}`)
  const booked = await ok<ActionResult>('appointments.book', {
    connectionId: CONNECTION,
    patientId: patientIds[takenStarts.size]!,
    appointmentTypeRef: typeRef,
    ...(slot.practitionerRef ? { practitionerRef: slot.practitionerRef } : {}),
    ...(slot.locationRef ? { locationRef: slot.locationRef } : {}),
    start: slot.start,
    end: slot.end,
    ...(slot.token ? { slotToken: slot.token } : {}),
  })
  const id = booked.appointment.id!
  await until('Semble has the booking', async () => (await appointment(id)).sync === 'synced')
  return id
}

/** Today's day book with no drawer open, scrolled to the start, with Riverside's cards drawn. */
async function showToday() {
  if (await drawer().count()) await drawer().getByRole('button', { name: 'Close appointment' }).click()
  await drawer().waitFor({ state: 'detached' })
  await grid().waitFor()
  await grid().evaluate((el) => el.scrollTo({ left: 0, top: 0 }))
  await bookedRiverside().first().waitFor()
}

/** Today's day book with the card scrolled into view and opened. */
async function openCard(id: string) {
  await showToday()
  await clickCard(page, id)
  await drawer().waitFor()
}

describe('Today, the day book', () => {
  it('shows the demo clinic’s appointments by practitioner, in the clinic’s zone', async () => {
    await grid().waitFor()
    await expect(page.getByRole('heading', { level: 2 }).first().textContent()).resolves.toMatch(
      /^Today, Monday,? 30 March 2026/,
    )
    await bookedRiverside().first().waitFor()
    await expect(page.getByText('Times in Europe/London').isVisible()).resolves.toBe(true)
    await expect(page.locator('section[aria-label$="Riverside Clinic"]').count()).resolves.toBeGreaterThan(1)
    // A card names the time, the patient and the status for a screen reader.
    const name = (await bookedRiverside().first().getAttribute('aria-label'))!
    expect(name).toMatch(/^\d\d:\d\d, [A-Z' -]+, .+Booked, until \d\d:\d\d, born \d{1,2} \w{3} \d{4}, with /)
    // Only the lanes in view (plus a few either side) are in the page; scrolling brings the rest.
    const lanes = page.locator('section.day-lane')
    const total = Number(
      (await page.getByText(/appointments? across/).textContent())!.match(/across (\d+) columns/)![1],
    )
    expect(total).toBeGreaterThan(12)
    expect(await lanes.count()).toBeLessThan(total)
    await screenshot(page, 'today')
    expect(await seriousViolations(page)).toEqual([])
    // To the far lanes and back: Riverside's cards are drawn again (not just any lane).
    const riversideLanes = page.locator('section.day-lane[aria-label$="Riverside Clinic"]')
    const inView = await riversideLanes.count()
    await grid().evaluate((el) => el.scrollTo({ left: el.scrollWidth }))
    await page.locator('section.day-lane[aria-label$="Heim home visits"]').first().waitFor()
    // Far right, Riverside's lanes leave the page (but for the one holding the keyboard focus)…
    await expect.poll(() => riversideLanes.count(), { timeout: 30_000 }).toBeLessThanOrEqual(1)
    // …and come back with their cards when the receptionist scrolls back.
    await grid().evaluate((el) => el.scrollTo({ left: 0 }))
    await expect.poll(() => riversideLanes.count(), { timeout: 30_000 }).toBe(inView)
    await bookedRiverside().first().waitFor()
  })

  it('draws every appointment it says it shows once a day opens, though a few frames at a time', async () => {
    await showToday()
    const before = page.viewportSize()!
    // A window holding every lane and the whole day, so every card of the day must come.
    const size = await grid().evaluate((el) => ({ width: el.scrollWidth, height: el.scrollHeight }))
    await page.setViewportSize({ width: size.width + 400, height: size.height + 600 })
    try {
      // Away and back: the day's lanes start again with a frame's share of cards each.
      await page.getByRole('button', { name: 'Next day' }).click()
      await page.getByRole('button', { name: 'Previous day' }).click()
      await page.getByRole('heading', { name: /^Today,/ }).waitFor()
      // Read together, in case the background refresh brings a booking meanwhile.
      const drawnOfSaid = async () => {
        const said = Number(
          (await page.locator('.today-summary').textContent())!.match(/^(\d+) appointments? across/)![1],
        )
        const drawn = await grid().locator('[data-appointment-id]').count()
        return { said, all: drawn === said }
      }
      await expect.poll(drawnOfSaid, { timeout: 30_000 }).toMatchObject({ all: true })
      // More than one frame's share, so the day could only come in whole over several frames.
      expect((await drawnOfSaid()).said).toBeGreaterThan(48)
    } finally {
      await page.setViewportSize(before)
    }
  })

  it('moves between appointments with the arrow keys and opens one with Enter', async () => {
    await showToday()
    const first = page.locator('button[data-appointment-id][tabindex="0"]')
    await first.focus()
    const start = await activeId()
    expect(start).toBeTruthy()
    await page.keyboard.press('ArrowDown')
    const down = await activeId()
    expect(down).toBeTruthy()
    expect(down).not.toBe(start)
    const laneOf = () =>
      page.evaluate("document.activeElement?.closest('section')?.getAttribute('aria-label') ?? null")
    const laneBefore = await laneOf()
    await page.keyboard.press('ArrowRight')
    const laneAfter = await laneOf()
    expect(laneAfter).toBeTruthy()
    expect(laneAfter).not.toBe(laneBefore)
    await page.keyboard.press('ArrowUp')
    await page.keyboard.press('ArrowLeft')
    expect(await page.evaluate("document.activeElement?.hasAttribute('data-appointment-id')")).toBe(true)
    await page.keyboard.press('Enter')
    await drawer().waitFor()
    await expect(drawer().locator('.identity-dob').textContent()).resolves.toMatch(/Born \d{1,2} \w{3} \d{4}/)
    await screenshot(page, 'today-drawer')
    expect(await seriousViolations(page)).toEqual([])
    // Escape closes it and puts focus back on the appointment.
    await page.keyboard.press('Escape')
    await drawer().waitFor({ state: 'detached' })
    await expect
      .poll(() => page.evaluate("document.activeElement?.hasAttribute('data-appointment-id') ?? false"))
      .toBe(true)
  })

  it('checks a patient in and says so', async () => {
    const id = await bookToday()
    await openCard(id)
    await drawer().getByRole('button', { name: 'Arrived' }).click()
    await toasts()
      .getByText(/^Checked in: .+ — (sent to Riverside Clinic\.|sending to Riverside Clinic…)$/)
      .waitFor()
    await drawer().getByTestId('drawer-status').getByText('Arrived').waitFor()
    await expect(card(id).getAttribute('data-status')).resolves.toBe('arrived')
    await expect(card(id).getAttribute('aria-label')).resolves.toContain('Arrived')
    // Once arrived, arrival and no-show are no longer offered, and the drawer says why.
    await expect(drawer().getByRole('button', { name: 'No-show' }).isDisabled()).resolves.toBe(true)
    await drawer().getByText('Not possible: this appointment is arrived.').first().waitFor()
    await drawer().getByRole('button', { name: 'Close appointment' }).click()
  })

  it('offers only what the clinic system can do, and says why (Hero records no arrivals)', async () => {
    // The demo's Hillside appointments are for patients Frontdesk has not traced yet.
    const hero = page
      .locator('section[aria-label$="Hillside Surgery"] button[data-appointment-id][data-status="booked"]')
      .filter({ hasText: 'Unknown patient' })
    await showToday()
    // Lanes are windowed: scroll across until Hillside Surgery's are in the page.
    await until(
      'Hillside Surgery’s lanes in the page',
      async () =>
        (await hero.count()) > 0 ||
        (await grid().evaluate((el) => {
          el.scrollBy({ left: 400 })
          return false
        })),
      60_000,
      100,
    )
    await hero.first().scrollIntoViewIfNeeded()
    await hero.first().click()
    await drawer().waitFor()
    await expect.poll(() => drawer().getByRole('button', { name: 'Arrived' }).isDisabled()).toBe(true)
    await drawer()
      .getByText('Hero does not record arrivals; record them in the clinical system.')
      .first()
      .waitFor()
    // Nor is a change offered for someone Frontdesk cannot name.
    await expect(drawer().getByRole('button', { name: 'Cancel appointment…' }).isDisabled()).resolves.toBe(
      true,
    )
    await drawer()
      .getByText('Frontdesk does not know whose appointment this is: do it in Hillside Surgery.')
      .first()
      .waitFor()
    await drawer().getByRole('button', { name: 'Close appointment' }).click()
  })

  it('cancels one with a reason', async () => {
    const id = await bookToday()
    await openCard(id)
    await drawer().getByRole('button', { name: 'Cancel appointment…' }).click()
    const confirm = drawer().getByRole('button', { name: 'Cancel appointment', exact: true })
    await expect(confirm.isDisabled()).resolves.toBe(true) // a reason is required
    await drawer().getByRole('button', { name: 'Patient unwell' }).click()
    await expect(drawer().getByLabel('Reason (required)').inputValue()).resolves.toBe('Patient unwell')
    await confirm.click()
    await toasts()
      .getByText(/^Cancelled: .+ — (sent to Riverside Clinic\.|sending to Riverside Clinic…)$/)
      .waitFor()
    await drawer().getByTestId('drawer-status').getByText('Cancelled').waitFor()
    await drawer().getByRole('button', { name: 'Close appointment' }).click()
    await expect.poll(async () => (await appointment(id)).sync, { timeout: 15_000 }).toBe('synced')
    const ref = (await appointment(id)).ref!
    const deletes = semble()
      .writes()
      .filter((w) => /delete/i.test(w.operation) && JSON.stringify(w.input).includes(ref))
    expect(deletes.length).toBe(1)
  })

  it('cancels and rebooks in one step: the new one is booked, then the old one cancelled', async () => {
    const id = await bookToday()
    const old = await appointment(id)
    await openCard(id)
    await drawer().getByRole('button', { name: 'Cancel appointment…' }).click()
    const rebook = drawer().getByRole('button', { name: 'Cancel and rebook…' })
    await expect(rebook.isDisabled()).resolves.toBe(true) // the reason comes first
    await drawer().getByRole('button', { name: 'Patient cancelled' }).click()
    await rebook.click()
    const dialog = page.getByRole('dialog', { name: 'Cancel and rebook' })
    await dialog.waitFor()
    await dialog.getByLabel('Appointment type').selectOption(typeRef)
    await dialog.getByTestId('slot-finder').getByRole('button').first().click({ timeout: 30_000 })
    await dialog
      .getByTestId('rebook-cancels')
      .getByText(/\(Patient cancelled\), once the new appointment is in Riverside Clinic$/)
      .waitFor()
    await screenshot(page, 'today-rebook-confirm')
    await dialog.getByRole('button', { name: 'Book this and cancel the old one' }).click()
    await toasts()
      .getByText(/^Rebooked: .+ in place of .+ — (sent to Riverside Clinic\.|sending to Riverside Clinic…)/)
      .first()
      .waitFor()
    await expect.poll(async () => (await appointment(id)).status, { timeout: 30_000 }).toBe('cancelled')
    await expect.poll(async () => (await appointment(id)).sync, { timeout: 30_000 }).toBe('synced')
    const deletes = semble()
      .writes()
      .filter((w) => w.operation === 'deleteBooking' && JSON.stringify(w.input).includes(old.ref!))
    expect(deletes).toHaveLength(1)
    await drawer()
      .getByRole('button', { name: 'Close appointment' })
      .click()
      .catch(() => undefined)
  })

  it('reschedules one by choosing another slot', async () => {
    const id = await bookToday()
    await openCard(id)
    const before = await appointment(id)
    await drawer().getByRole('button', { name: 'Reschedule…' }).click()
    const finder = page.getByTestId('slot-finder')
    await finder.waitFor()
    const slot = finder.locator('.slot-button').first()
    await slot.waitFor({ timeout: 20_000 })
    await screenshot(page, 'today-reschedule')
    const v = await seriousViolations(page)
    expect(v.map((x) => `${x.id}: ${x.nodes.map((n) => n.target.join(' ')).join(' | ')}`)).toEqual([])
    await slot.click()
    await finder.getByRole('button', { name: /^Move to / }).click()
    await toasts()
      .getByText(/^Moved: .+ — (sent to Riverside Clinic\.|sending to Riverside Clinic…)$/)
      .waitFor()
    await expect.poll(async () => (await appointment(id)).start, { timeout: 10_000 }).not.toBe(before.start)
    await drawer()
      .getByRole('button', { name: 'Close appointment' })
      .click()
      .catch(() => undefined)
  })

  it('marks a no-show while Semble is offline, shows it queued, and sends it exactly once when back', async () => {
    const id = await bookToday()
    // Later that morning, once the appointment has started (no-show is only for one that has):
    // the page takes the moved clock when it loads again.
    const start = Date.parse((await appointment(id)).start!)
    demo.clock.advance(Math.max(0, start - demo.clock.now().getTime()) + 10 * 60_000)
    await page.reload()
    await showToday()
    await semble().setOffline(true)
    // The receptionist refreshes: Frontdesk notices, says so, and shows its own copy.
    await page.getByRole('button', { name: 'Refresh' }).click()
    await page.getByText('Riverside Clinic is offline').first().waitFor({ timeout: 15_000 })
    await page
      .getByTestId('cache-notice')
      .getByText(/Riverside Clinic: showing Frontdesk’s copy/)
      .waitFor()

    await openCard(id)
    await drawer().getByRole('button', { name: 'No-show' }).click()
    await toasts()
      .getByText(
        /^Marked as no-show: .+ — will be sent when Riverside Clinic is back online\. Until then it can be undone\.$/,
      )
      .waitFor()
    await drawer()
      .getByTestId('drawer-sync')
      .getByText('Queued')
      .waitFor({ timeout: 5_000 })
      .catch(async (e: unknown) => {
        await screenshot(page, 'today-offline-failed')
        console.log(await drawer().textContent())
        throw e
      })
    // A short card shows its sync state as a mark, so read the state the card carries.
    await expect.poll(() => card(id).getAttribute('data-sync')).toBe('queued')
    await expect(card(id).getAttribute('data-status')).resolves.toBe('noshow')
    await expect(card(id).getAttribute('aria-label')).resolves.toMatch(
      /(No-show, Queued|Queued, .*No-show), /,
    )
    await screenshot(page, 'today-offline')
    expect(
      semble()
        .writes()
        .filter((w) => /journey/i.test(w.operation) && JSON.stringify(w.input).includes('dna')),
    ).toEqual([])

    await semble().setOffline(false)
    await drawer()
      .getByTestId('drawer-sync')
      .getByText('The clinic system has this.')
      .waitFor({ timeout: 20_000 })
    await expect.poll(() => card(id).getAttribute('data-sync')).not.toBe('queued')
    const ref = (await appointment(id)).ref!
    const journeyWrites = () =>
      semble()
        .writes()
        .filter(
          (w) =>
            /journey/i.test(w.operation) && w.outcome === 'applied' && JSON.stringify(w.input).includes(ref),
        )
    // The drawer can say so from the booking before the held no-show's own row has gone: wait for
    // Semble to have it and for nothing of Riverside's to be left, then count.
    await until(
      'Semble has the no-show and nothing is left to send',
      () => journeyWrites().length > 0 && demo.runtime.outbox.counts(CONNECTION).pending === 0,
    )
    const dna = journeyWrites()
    expect(dna.length).toBe(1)
    expect(JSON.stringify(dna[0]!.input)).toContain('dna')
    await screenshot(page, 'today-back-online')
    expect(problems).toEqual([])
  })
})
