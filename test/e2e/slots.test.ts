/**
 * Free slots as fast as search, in Chromium against the demo clinic: with Frontdesk's copy warm
 * and Semble slow, the finder shows slots from the copy while it is still checking them; a slot
 * taken at Semble meanwhile disappears with a note once Semble answers; offline, the copy's slots
 * are offered, labelled, and a booking or a move made from one is sent exactly once when Semble is
 * back.
 */
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AppointmentView, MethodInput, MethodName, MethodOutput } from '../../src/shared/contract'
import type { Patient } from '../../src/shared/model'
import type { Result } from '../../src/shared/result'
import { bookAt, cachedPatients, drawer, ok, openCard } from '../support/desk'
import { screenshot, startDemoHost, type DemoHost } from '../support/e2e'
import { until } from '../support/until'

const CONNECTION = 'demo-semble'
let demo: DemoHost
let patients: Patient[]
let typeRef: string

const spaced = (nhs: string) => `${nhs.slice(0, 3)} ${nhs.slice(3, 6)} ${nhs.slice(6)}`
const semble = () => demo.runtime.sandbox!.semble.control
const bookRows = () =>
  demo.runtime.db
    .prepare(`SELECT client_ref AS clientRef, state FROM outbox WHERE kind = 'book' ORDER BY seq`)
    .all() as { clientRef: string; state: string }[]

/** A typed call through the router, as the page makes it. */
const call = <M extends MethodName>(method: M, input: MethodInput<M>) =>
  demo.runtime.dispatch(method, input) as Promise<Result<MethodOutput<M>>>

beforeAll(async () => {
  demo = await startDemoHost({ patients: 120, name: 'slots' })
  const adapter = demo.runtime.adapters.get(CONNECTION)
  patients = (await adapter.findPatients!({ text: '', limit: 120 })).filter((p) => p.nhsNumber)
  for (const p of patients) demo.runtime.cache.upsertPatient(p)
  const ref = await call('reference.get', { connectionId: CONNECTION })
  if (!ref.ok) throw new Error(ref.error.message)
  typeRef = [...ref.value.appointmentTypes].sort((a, b) => a.name.localeCompare(b.name))[0]!.ref
  // The background refresh has filled (or now fills) Semble's free slots into the copy.
  await until('the copy of free slots', async () => {
    await demo.runtime.refresh.refreshNow(CONNECTION)
    const n = demo.runtime.db
      .prepare(`SELECT count(*) AS n FROM slot_cache WHERE connection_id = ?`)
      .get(CONNECTION) as {
      n: number
    }
    return n.n > 0
  })
})

afterAll(async () => {
  await demo?.close()
})

async function openBooking(page: Page, p: Patient) {
  const box = page.locator('#global-search-input')
  await box.click()
  await box.fill(spaced(p.nhsNumber!))
  await page
    .getByRole('listbox', { name: 'Patients found' })
    .getByRole('option')
    .filter({ hasText: spaced(p.nhsNumber!) })
    .waitFor()
  await page.keyboard.press('Enter')
  await page.getByTestId('patient-card').getByText(spaced(p.nhsNumber!)).first().waitFor()
  await page.getByTestId('patient-card').getByRole('button', { name: 'Book an appointment' }).click()
  const dialog = page.getByRole('dialog', { name: 'Book an appointment' })
  await dialog.waitFor()
  await dialog.getByLabel('Appointment type').selectOption(typeRef)
  return dialog
}

describe('free slots from the copy, checked in place', () => {
  it('each slot tile shows the practitioner, their role and the site', async () => {
    const { page, problems } = await demo.page({ bypassCSP: true })
    const dialog = await openBooking(page, patients[0]!)
    const tiles = dialog.getByTestId('slot-finder').getByTestId('slot-tile')
    await tiles.first().waitFor()
    const state = semble().state
    const roleOf = new Map(
      [...state.users.values()].map((u) => [
        `${u.title ? `${u.title} ` : ''}${u.firstName} ${u.lastName}`,
        u.qualifications,
      ]),
    )
    const sites = new Set([...state.locations.values()].map((l) => l.name))
    const shown = await tiles.evaluateAll((els) =>
      els.slice(0, 12).map((el) => ({
        practitioner: el.querySelector('[data-part="practitioner"]')?.textContent ?? '',
        role: el.querySelector('[data-part="role"]')?.textContent ?? '',
        site: el.querySelector('[data-part="site"]')?.textContent ?? '',
      })),
    )
    expect(shown.length).toBeGreaterThan(0)
    for (const t of shown) {
      expect(roleOf.has(t.practitioner), t.practitioner).toBe(true)
      expect(t.role).toBe(roleOf.get(t.practitioner))
      expect(sites.has(t.site), t.site).toBe(true)
    }
    await screenshot(page, 'slot-tiles-practitioner-role-site')
    expect(problems).toEqual([])
  })

  it('with Semble slow, shows the copy while still checking, then the checked list', async () => {
    const { page, problems } = await demo.page({ bypassCSP: true })
    semble().inject({ kind: 'latency', ms: 1_500 })
    try {
      const dialog = await openBooking(page, patients[1]!)
      const finder = dialog.getByTestId('slot-finder')
      await finder.getByRole('button').first().waitFor()
      // Slots are on screen while Semble (1.5 s a request) has not answered yet.
      expect(await dialog.getByTestId('slot-check').getAttribute('data-state')).toBe('checking')
      expect(await finder.getByRole('button').first().textContent()).toMatch(/old|just now/)
      await screenshot(page, 'slots-from-copy')
      await dialog.locator('[data-testid="slot-check"][data-state="confirmed"]').waitFor({ timeout: 30_000 })
    } finally {
      semble().clearFaults()
    }
    expect(problems).toEqual([])
  })

  it('a slot taken at Semble meanwhile disappears with a note when Semble answers', async () => {
    const { page, problems } = await demo.page({ bypassCSP: true })
    // What the copy offers first, an hour or more ahead; another user of Semble takes it.
    const shown = await call('slots.find', {
      connectionId: CONNECTION,
      appointmentTypeRef: typeRef,
      days: 7,
      limit: 80,
      requestId: 'e2e-peek',
    })
    if (!shown.ok) throw new Error(shown.error.message)
    const soon = demo.clock.now().getTime() + 3600_000
    const taken = shown.value.find((s) => Date.parse(s.start) > soon)!
    await until('the copy settled', async () => {
      const again = await call('slots.find', {
        connectionId: CONNECTION,
        appointmentTypeRef: typeRef,
        days: 7,
        limit: 80,
      })
      return again.ok && again.value.some((s) => s.start === taken.start)
    })
    const adapter = demo.runtime.adapters.get(CONNECTION)
    await adapter.book!({
      clientRef: 'taken-at-semble',
      patientRef: patients[2]!.ref!,
      appointmentTypeRef: typeRef,
      practitionerRef: taken.practitionerRef!,
      locationRef: taken.locationRef!,
      start: taken.start,
      end: taken.end,
    })
    const dialog = await openBooking(page, patients[3]!)
    await dialog.locator('[data-testid="slot-check"][data-state="confirmed"]').waitFor({ timeout: 30_000 })
    expect(await dialog.getByTestId('slot-check').textContent()).toMatch(/no longer free/)
    await screenshot(page, 'slots-taken-meanwhile')
    expect(problems).toEqual([])
  })

  it('offline: offers the labelled copy; a booking from it is sent once when Semble is back', async () => {
    const { page, problems } = await demo.page({ bypassCSP: true })
    await semble().setOffline(true)
    let clientRef: string
    try {
      const dialog = await openBooking(page, patients[4]!)
      const label = dialog.getByTestId('slot-copy')
      await label.waitFor({ timeout: 30_000 })
      expect(await label.textContent()).toMatch(/From Frontdesk's copy, .* old — will be checked when sent\./)
      await screenshot(page, 'slots-offline-copy')
      await dialog.getByTestId('slot-finder').getByRole('button').first().click()
      await dialog.getByTestId('booking-confirm').waitFor()
      await dialog.getByRole('button', { name: 'Book this appointment' }).click()
      await page
        .getByTestId('toasts')
        .getByText(/will be sent when .* is back online/)
        .waitFor()
      clientRef = bookRows().at(-1)!.clientRef
    } finally {
      await semble().setOffline(false)
    }
    await until(
      'the booking sent',
      () => bookRows().find((r) => r.clientRef === clientRef)?.state === 'done',
      60_000,
    )
    const sent = semble()
      .writes()
      .filter(
        (w) =>
          w.operation === 'createBooking' &&
          w.outcome === 'applied' &&
          JSON.stringify(w.input).includes(clientRef),
      )
    expect(sent).toHaveLength(1)
    expect(problems.filter((p) => !/Failed to load resource/.test(p))).toEqual([])
  })

  it('offline: reschedule offers the labelled copy too; the move is sent once when Semble is back', async () => {
    const { page, problems } = await demo.page({ bypassCSP: true })
    await page.getByTestId('day-grid').waitFor({ timeout: 90_000 })
    const start = new Date(demo.clock.now().getTime() + 3 * 3_600_000)
    const id = await bookAt(demo, { patientId: cachedPatients(demo, CONNECTION)[5]!, typeRef, start })
    const before = await ok<AppointmentView>(demo, 'appointments.get', { appointmentId: id })
    const moves = () =>
      semble()
        .writes()
        .filter((w) => w.operation === 'updateBooking' && JSON.stringify(w.input).includes(before.ref!))
    await openCard(page, id)
    await semble().setOffline(true)
    try {
      await drawer(page).getByRole('button', { name: 'Reschedule…' }).click()
      const finder = page.getByTestId('slot-finder')
      await finder
        .getByTestId('slot-check')
        .getByText(/^From Frontdesk's copy, .* old — will be checked when sent\.$/)
        .waitFor({ timeout: 30_000 })
      const tile = finder.getByTestId('slot-tile').first()
      await tile.getByText(/copy, /).waitFor()
      await screenshot(page, 'slots-offline-reschedule')
      await tile.click()
      await finder.getByRole('button', { name: /^Move to / }).click()
      await page
        .getByTestId('toasts')
        .getByText(/^Moved: .+ — will be sent when Riverside Clinic is back online\./)
        .waitFor()
      expect(moves()).toEqual([])
    } finally {
      await semble().setOffline(false)
    }
    // Sent while its toast still shows ("Send now"), the toast says so: it follows the queue's events.
    await demo.runtime.sync.sendNow(CONNECTION)
    await page
      .getByTestId('toasts')
      .getByText(/^Moved: .+ — sent to Riverside Clinic\.$/)
      .waitFor()
    await until(
      'the move sent',
      async () =>
        (await ok<AppointmentView>(demo, 'appointments.get', { appointmentId: id })).sync === 'synced',
      60_000,
    )
    const after = await ok<AppointmentView>(demo, 'appointments.get', { appointmentId: id })
    expect(after.start).not.toBe(before.start)
    expect(moves().filter((w) => w.outcome === 'applied')).toHaveLength(1)
    expect(problems.filter((p) => !/Failed to load resource/.test(p))).toEqual([])
  })
})
