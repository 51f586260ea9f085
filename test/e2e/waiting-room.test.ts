/**
 * The waiting room, end to end: today's arrived patients at Riverside (Semble) listed under their
 * site, oldest arrival first, with the arrival time in the clinic's zone and the wait on the app's
 * clock; a booked patient who has not arrived is not there, an arrival taken back leaves after the
 * event-driven re-read, the list still shows from Frontdesk's copy with the clinic system offline,
 * and a row opens its appointment in the day book.
 */
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ActionResult, AppointmentView } from '../../src/shared/contract'
import {
  bookAt,
  patientsInCopy,
  drawer,
  firstTypeRef,
  ok,
  RIVERSIDE,
  screenshotsAtSizes,
} from '../support/desk'
import { seriousViolations, startDemoHost, type DemoHost } from '../support/e2e'
import { until } from '../support/until'

let demo: DemoHost
let page: Page
let problems: string[]
let patients: string[]
let typeRef: string

beforeAll(async () => {
  demo = await startDemoHost({ patients: 200, name: 'waiting-room' })
  ;({ page, problems } = await demo.page({ bypassCSP: true }))
  await page.getByTestId('day-grid').waitFor({ timeout: 90_000 })
  patients = await patientsInCopy(demo, 30)
  typeRef = await firstTypeRef(demo)
}, 120_000)

afterAll(async () => {
  await demo?.runtime.sandbox?.semble.control.setOffline(false)
  await demo?.close()
})

const minutesFromNow = (m: number) => new Date(demo.clock.now().getTime() + m * 60_000)
/**
 * A booking for `patientId` at the first of `minutes` (from now) with a Riverside clinician free:
 * the demo's own bookings fill some times.
 */
async function bookFirstFree(patientId: string, minutes: number[]): Promise<string> {
  for (const m of minutes) {
    try {
      return await bookAt(demo, { patientId, typeRef, start: minutesFromNow(m) })
    } catch (err) {
      if (!/no Riverside practitioner is free/.test(String(err))) throw err
    }
  }
  throw new Error(`no Riverside practitioner is free at any of ${minutes.join(', ')} minutes from now`)
}
const get = (id: string) => ok<AppointmentView>(demo, 'appointments.get', { appointmentId: id })
const london = (iso: string) =>
  new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/London' }).format(
    new Date(iso),
  )
const row = (id: string) => page.locator(`[data-testid="waiting-row"][data-appointment-id="${id}"]`)
const nav = (label: string) =>
  page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: label })

async function openWaitingRoom() {
  await nav('Waiting room').click()
  await expect(nav('Waiting room').getAttribute('aria-current')).resolves.toBe('page')
  await page.getByRole('heading', { level: 2, name: 'Waiting room' }).waitFor()
  await until(
    'the waiting room has read the copy',
    async () =>
      !/Loading the waiting room/.test((await page.getByTestId('waiting-summary').textContent()) ?? ''),
  )
}

describe('the waiting room', () => {
  let earlier: string
  let later: string
  let notArrived: string

  it('lists arrived patients under their site, oldest arrival first, with arrival time and wait', async () => {
    // Two appointments, the later one's patient arriving first: the list goes by arrival.
    earlier = await bookFirstFree(patients[20]!, [-10, -15, -20, -25, -30])
    later = await bookFirstFree(patients[21]!, [10, 15, 20, 25, 30])
    notArrived = await bookFirstFree(patients[22]!, [15, 20, 25, 30, 35, 40])
    demo.runtime.appointments.undoWindowMs = 0
    await ok<ActionResult>(demo, 'appointments.markArrived', { appointmentId: later })
    // Three minutes on the app's clock between the two arrivals.
    demo.clock.advance(3 * 60_000)
    await ok<ActionResult>(demo, 'appointments.markArrived', { appointmentId: earlier })
    const [first, second] = [await get(later), await get(earlier)]
    expect(first.arrivedAt).toBeDefined()
    expect(Date.parse(second.arrivedAt!) - Date.parse(first.arrivedAt!)).toBeGreaterThanOrEqual(3 * 60_000)

    // A page opened now takes the app's clock (the demo's, not the PC's).
    ;({ page, problems } = await demo.page({ bypassCSP: true }))
    await page.getByTestId('day-grid').waitFor({ timeout: 90_000 })
    await openWaitingRoom()
    await row(later).waitFor()
    await row(earlier).waitFor()

    // Both under the site they were booked at, by its name from the reference data.
    const reference = await ok<{ locations: { ref: string; name: string }[] }>(demo, 'reference.get', {
      connectionId: RIVERSIDE,
    })
    const siteName = reference.locations.find((l) => l.ref === first.locationRef)!.name
    const site = page.locator('[data-testid="waiting-site"]', {
      has: page.getByRole('heading', { level: 3, name: new RegExp(`^${siteName}`) }),
    })
    const ids = await site
      .getByTestId('waiting-row')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-appointment-id')))
    expect(ids).toContain(later)
    expect(ids).toContain(earlier)
    expect(ids.indexOf(later)).toBeLessThan(ids.indexOf(earlier))
    // The whole section in arrival order, any without a recorded time last.
    const arrivals = await site
      .getByTestId('waiting-row')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-arrived-at') ?? ''))
    const known = arrivals.filter(Boolean)
    expect(known).toEqual([...known].sort((a, b) => Date.parse(a) - Date.parse(b)))
    expect(arrivals.slice(0, known.length)).toEqual(known)

    // Arrival times in HH:mm in the clinic's zone, as the service has them (Semble's own journey
    // time may replace the desk's once it has the arrival: the screen follows the copy).
    for (const id of [later, earlier]) {
      await until(`the arrival time of ${id} on screen`, async () => {
        const a = await get(id)
        return (await row(id).getByTestId('waiting-arrived').textContent()) === london(a.arrivedAt!)
      })
      await expect(row(id).getByTestId('waiting-start').textContent()).resolves.toBe(
        london((await get(id)).start!),
      )
    }
    // Waits on the app's clock: the first to arrive has waited three minutes.
    await expect(row(later).getByTestId('waiting-for').textContent()).resolves.toMatch(/^[3-4] min$/)
    await expect(row(earlier).getByTestId('waiting-for').textContent()).resolves.toMatch(/^(under 1|1) min$/)
    // Whether the appointment's time has come.
    await expect(row(earlier).getByTestId('waiting-due').textContent()).resolves.toMatch(
      /^time passed \d+ min ago$/,
    )
    await expect(row(later).getByTestId('waiting-due').textContent()).resolves.toMatch(/^due in \d+ min$/)
    // The patient as the rest of the app names them.
    const p = demo.runtime.db
      .prepare(`SELECT given_name AS given, family_name AS family FROM patients WHERE id = ?`)
      .get(patients[21]!) as { given: string; family: string }
    await expect(row(later).locator('.identity-name').textContent()).resolves.toBe(
      `${p.family.toUpperCase()}, ${p.given}`,
    )
    await expect(row(later).locator('.identity-dob').textContent()).resolves.toMatch(/^Born /)

    // Booked but not here yet: not in the waiting room.
    expect((await get(notArrived)).status).toBe('booked')
    expect(await row(notArrived).count()).toBe(0)

    expect(await seriousViolations(page)).toEqual([])
    await screenshotsAtSizes(page, 'waiting-room')
  })

  it('an arrival taken back leaves the list after the event-driven re-read', async () => {
    // The arrival is held back (the seconds for Undo), so it can be withdrawn.
    demo.runtime.appointments.undoWindowMs = 120_000
    const id = await bookFirstFree(patients[23]!, [20, 30, 40, 50, 60, 70, 80])
    await ok<ActionResult>(demo, 'appointments.markArrived', { appointmentId: id })
    // Nothing on the page was touched: the queue event re-reads the copy.
    await row(id).waitFor({ timeout: 15_000 })
    await ok<ActionResult>(demo, 'appointments.undoStatus', { appointmentId: id })
    expect((await get(id)).status).toBe('booked')
    await until(
      'the undone arrival has left the waiting room',
      async () => (await row(id).count()) === 0,
      15_000,
    )
    await row(later).waitFor()
    demo.runtime.appointments.undoWindowMs = 0
  })

  it('still shows who is waiting from the copy with the clinic system offline, and says so', async () => {
    const id = await bookFirstFree(patients[24]!, [25, 35, 45, 55, 65, 75, 85, 95])
    await demo.runtime.sandbox!.semble.control.setOffline(true)
    try {
      // The arrival is recorded at the desk and waits to be sent; the failed send shows Semble away.
      await ok<ActionResult>(demo, 'appointments.markArrived', { appointmentId: id })
      await page.getByTestId('offline-banner').waitFor({ timeout: 30_000 })
      await page
        .getByTestId('cache-notice')
        .filter({ hasText: 'Riverside Clinic: showing Frontdesk’s copy' })
        .waitFor({ timeout: 15_000 })
      await row(id).waitFor()
      await row(later).waitFor()
      await expect(row(id).getByTestId('waiting-arrived').textContent()).resolves.toBe(
        london((await get(id)).arrivedAt!),
      )
      expect(await seriousViolations(page)).toEqual([])
      await screenshotsAtSizes(page, 'waiting-room-offline')
    } finally {
      await demo.runtime.sandbox!.semble.control.setOffline(false)
    }
    await page.getByText('All clinic systems online').waitFor({ timeout: 30_000 })
    await until(
      'the copy notice has gone',
      async () =>
        (await page
          .getByTestId('cache-notice')
          .filter({ hasText: 'Riverside Clinic: showing Frontdesk’s copy' })
          .count()) === 0,
    )
  })

  it('opens a waiting patient’s appointment in the day book from the keyboard', async () => {
    await row(earlier).getByRole('button').focus()
    await page.keyboard.press('Enter')
    await drawer(page).waitFor({ timeout: 30_000 })
    await expect(nav('Today').getAttribute('aria-current')).resolves.toBe('page')
    const p = demo.runtime.db
      .prepare(`SELECT given_name AS given, family_name AS family FROM patients WHERE id = ?`)
      .get(patients[20]!) as { given: string; family: string }
    await expect(drawer(page).locator('.identity-name').first().textContent()).resolves.toBe(
      `${p.family.toUpperCase()}, ${p.given}`,
    )
    expect(problems).toEqual([])
  })
})
