/**
 * Booking as a receptionist does it, from the patient card through the free-slot finder and the
 * confirmation step; online (reaching Semble exactly once), offline (kept, then sent exactly once
 * when Semble is back), and a conflict (someone else took the time at Semble meanwhile) resolved
 * by choosing another time.
 */
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Patient, Slot } from '../../src/shared/model'
import { screenshot, seriousViolations, startDemoHost, type DemoHost } from '../support/e2e'

const CONNECTION = 'demo-semble'
let demo: DemoHost
let cached: Patient[]
let typeRef: string

const spaced = (nhs: string) => `${nhs.slice(0, 3)} ${nhs.slice(3, 6)} ${nhs.slice(6)}`
const semble = () => demo.runtime.sandbox!.semble.control
const bookRows = () =>
  demo.runtime.db
    .prepare(
      `SELECT seq, client_ref AS clientRef, state, payload FROM outbox WHERE kind = 'book' ORDER BY seq`,
    )
    .all() as { seq: number; clientRef: string; state: string; payload: string }[]
const createBookingsWith = (clientRef: string) =>
  semble()
    .writes()
    .filter(
      (w) =>
        w.operation === 'createBooking' &&
        w.outcome === 'applied' &&
        JSON.stringify(w.input).includes(clientRef),
    )
const london = (iso: string) => {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/London',
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).formatToParts(new Date(iso))
  const get = (t: string) => parts.find((p) => p.type === t)!.value
  return { date: `${get('year')}-${get('month')}-${get('day')}`, time: `${get('hour')}:${get('minute')}` }
}

beforeAll(async () => {
  demo = await startDemoHost({ patients: 200, name: 'booking' })
  const adapter = demo.runtime.adapters.get(CONNECTION)
  cached = (await adapter.findPatients!({ text: '', limit: 200 })).filter((p) => p.nhsNumber)
  for (const p of cached) demo.runtime.cache.upsertPatient(p)
  const ref = (await demo.runtime.dispatch('reference.get', { connectionId: CONNECTION })) as {
    ok: true
    value: { appointmentTypes: { ref: string; name: string; lengthMinutes: number }[] }
  }
  // The booking dialog lists types by name; the tests choose the first one it offers.
  typeRef = [...ref.value.appointmentTypes].sort((a, b) => a.name.localeCompare(b.name))[0]!.ref
})

afterAll(async () => {
  await demo?.close()
})

async function openCard(page: Page, p: Patient) {
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
}

async function openBooking(page: Page) {
  await page.getByTestId('patient-card').getByRole('button', { name: 'Book an appointment' }).click()
  const dialog = page.getByRole('dialog', { name: 'Book an appointment' })
  await dialog.waitFor()
  await dialog.getByLabel('Appointment type').selectOption(typeRef)
  return dialog
}

async function expectNoSeriousViolations(page: Page) {
  const violations = await seriousViolations(page)
  expect(
    violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`),
  ).toEqual([])
}

async function waitForState(clientRef: string, state: string) {
  await expect
    .poll(() => bookRows().find((r) => r.clientRef === clientRef)?.state, { timeout: 20_000 })
    .toBe(state)
}

/**
 * Free times at Semble well away from the first ones the finder offers (those the first test
 * takes): Wednesday and Thursday of the pinned week, both working days.
 */
async function freeSlots(): Promise<Slot[]> {
  const from = new Date(demo.clock.now().getTime() + 2 * 86_400_000)
  const slots = await demo.runtime.adapters.get(CONNECTION).findSlots!({
    from: from.toISOString(),
    to: new Date(from.getTime() + 2 * 86_400_000).toISOString(),
    appointmentTypeRef: typeRef,
  })
  return slots.sort((a, b) => a.start.localeCompare(b.start))
}

async function bookByHand(page: Page, dialog: ReturnType<Page['getByRole']>, slot: Slot) {
  await dialog.getByText('Enter a time yourself').waitFor()
  const when = london(slot.start)
  await dialog.getByLabel('Date', { exact: true }).fill(when.date.split('-').reverse().join('/'))
  await dialog.getByLabel(/^Time/).fill(when.time)
  await dialog.locator('fieldset').getByLabel('Practitioner').selectOption(slot.practitionerRef!)
  const location = dialog.locator('fieldset').getByLabel('Location')
  if (slot.locationRef && (await location.count())) await location.selectOption(slot.locationRef)
  await dialog.getByRole('button', { name: 'Check this time' }).click()
  await dialog.getByTestId('booking-confirm').waitFor()
  await dialog.getByRole('button', { name: 'Book this appointment' }).click()
}

describe('booking from the patient card', () => {
  it('books through the slot finder and the confirmation; Semble gets it exactly once', async () => {
    const { page, problems } = await demo.page({ bypassCSP: true })
    const patient = cached[3]!
    await openCard(page, patient)
    const dialog = await openBooking(page)
    const finder = dialog.getByTestId('slot-finder')
    const first = finder.getByRole('button').first()
    await first.waitFor()
    await dialog.getByText(/free times? over \d+ days?/).waitFor()
    await screenshot(page, 'booking-finder')
    await expectNoSeriousViolations(page)

    const practitioner = (await first.locator('[data-part="practitioner"]').textContent())!
    await first.click()
    const confirm = dialog.getByTestId('booking-confirm')
    await confirm.waitFor()
    expect(await confirm.textContent()).toContain(spaced(patient.nhsNumber!))
    expect(await confirm.textContent()).toContain(practitioner)
    await screenshot(page, 'booking-confirm')
    await expectNoSeriousViolations(page)
    await confirm.getByRole('button', { name: 'Book this appointment' }).click()

    const toast = page.getByTestId('toasts').getByText(`Booked: ${patient.givenName} ${patient.familyName}`)
    await toast.waitFor()
    expect(await toast.textContent()).toMatch(/\d{1,2} [A-Z][a-z]{2} \d{2}:\d{2}/)
    expect(await dialog.count()).toBe(0)
    const upcoming = page.getByTestId('upcoming')
    await upcoming.getByTestId('appointment-row').first().waitFor()

    const row = bookRows().at(-1)!
    await waitForState(row.clientRef, 'done')
    expect(createBookingsWith(row.clientRef)).toHaveLength(1)
    // The card follows: no "waiting" badge once Semble has it.
    await expect.poll(() => upcoming.getByText('Waiting to send').count(), { timeout: 10_000 }).toBe(0)
    await screenshot(page, 'booking-done')
    expect(problems).toEqual([])
  })

  it('books while Semble is offline, says it will be sent, and sends it exactly once when it is back', async () => {
    const { page, problems } = await demo.page({ bypassCSP: true })
    const patient = cached[4]!
    const slot = (await freeSlots())[0]!
    await openCard(page, patient)
    await semble().setOffline(true)
    try {
      const dialog = await openBooking(page)
      // The finder cannot ask Semble: it says so, and offers a time typed by hand.
      await dialog
        .getByRole('alert')
        .getByText(/offline/)
        .waitFor()
      await bookByHand(page, dialog, slot)
      await page
        .getByTestId('toasts')
        .getByText('will be sent when Riverside Clinic is back online')
        .waitFor()
      await screenshot(page, 'booking-offline')
      await page.getByTestId('upcoming').getByText('Waiting to send').waitFor()
    } finally {
      await semble().setOffline(false)
    }
    const row = bookRows().at(-1)!
    expect(createBookingsWith(row.clientRef)).toHaveLength(0)
    await waitForState(row.clientRef, 'done')
    expect(createBookingsWith(row.clientRef)).toHaveLength(1)
    await expect
      .poll(() => page.getByTestId('upcoming').getByText('Waiting to send').count(), { timeout: 10_000 })
      .toBe(0)
    // Sent once, and only once, even after more drains.
    await demo.runtime.sync.drain(CONNECTION)
    await demo.runtime.sync.drain(CONNECTION)
    expect(createBookingsWith(row.clientRef)).toHaveLength(1)
    expect(problems.filter((p) => !/Failed to load resource/.test(p))).toEqual([])
  })

  it('a time taken at Semble meanwhile comes back needing attention, and is put right with another time', async () => {
    const { page, problems } = await demo.page({ bypassCSP: true })
    const patient = cached[5]!
    const someoneElse = cached[6]!
    const slot = (await freeSlots())[3]!
    await openCard(page, patient)
    // The patient may already have appointments (the background refresh brings them in).
    const alreadyBooked = demo.runtime.patients
      .appointments(demo.runtime.cache.patientByRef(CONNECTION, patient.ref!)!.id)
      .filter((a) => !a.start || Date.parse(a.end ?? a.start) >= demo.clock.now().getTime()).length

    // Offline, the receptionist books a time by hand…
    await semble().setOffline(true)
    let ours: { seq: number; clientRef: string }
    try {
      const dialog = await openBooking(page)
      await dialog
        .getByRole('alert')
        .getByText(/offline/)
        .waitFor()
      await bookByHand(page, dialog, slot)
      await page
        .getByTestId('toasts')
        .getByText('will be sent when Riverside Clinic is back online')
        .waitFor()
      ours = bookRows().at(-1)!
      // …while at the clinic someone books the same time for another patient in Semble itself.
      const state = semble().state
      const now = demo.clock.now()
      const location = slot.locationRef ?? [...state.locations.keys()][0]!
      const theirs = {
        id: state.ids.next('booking', now),
        deleted: false,
        cancellationReason: null,
        doctorId: slot.practitionerRef!,
        start: slot.start,
        end: slot.end,
        locationId: location,
        roomName: '',
        bookingTypeId: typeRef,
        patientId: someoneElse.ref!,
        bookingJourney: { arrived: null, consultation: null, departed: null, dna: null },
        createdAt: now.toISOString(),
        updatedAt: now.toISOString(),
        videoUrl: null,
        comments: 'Booked at the reception desk in Semble',
        reference: state.nextBookingReference(),
        billed: false,
        patientMessagesSent: { confirmation: false, reminder: false, followup: false, cancellation: false },
        onlineBookingPaymentStatus: null,
      }
      state.bookings.set(theirs.id, theirs)
    } finally {
      await semble().setOffline(false)
    }

    await waitForState(ours.clientRef, 'needs-attention')
    expect(createBookingsWith(ours.clientRef)).toHaveLength(0)
    const upcoming = page.getByTestId('upcoming')
    await upcoming.getByText('Needs attention').waitFor()
    await screenshot(page, 'booking-needs-attention')

    // Put right: book another time through the finder, then discard the refused one.
    const dialog = await openBooking(page)
    const first = dialog.getByTestId('slot-finder').getByRole('button').first()
    await first.waitFor()
    await first.click()
    await dialog.getByRole('button', { name: 'Book this appointment' }).click()
    await page
      .getByTestId('toasts')
      .getByText(`Booked: ${patient.givenName} ${patient.familyName}`)
      .first()
      .waitFor()
    const rebooked = bookRows().at(-1)!
    expect(rebooked.seq).toBeGreaterThan(ours.seq)
    await waitForState(rebooked.clientRef, 'done')
    expect(createBookingsWith(rebooked.clientRef)).toHaveLength(1)

    const discarded = await demo.runtime.dispatch('queue.discard', { seq: ours.seq })
    expect(discarded.ok).toBe(true)
    await expect.poll(() => upcoming.getByText('Needs attention').count(), { timeout: 10_000 }).toBe(0)
    await expect.poll(() => upcoming.getByTestId('appointment-row').count()).toBe(alreadyBooked + 1)
    expect(createBookingsWith(ours.clientRef)).toHaveLength(0)
    expect(problems.filter((p) => !/Failed to load resource/.test(p))).toEqual([])
  })

  it('says plainly when the chosen time went meanwhile, and goes back to the finder', async () => {
    const { page, problems } = await demo.page({ bypassCSP: true })
    const patient = cached[7]!
    await openCard(page, patient)
    const dialog = await openBooking(page)
    // The list as Semble has it (not Frontdesk's copy, which may still show times taken since), so
    // the first time here is the one booked for someone else below.
    await dialog.locator('[data-testid="slot-check"][data-state="confirmed"]').waitFor()
    const first = dialog.getByTestId('slot-finder').getByRole('button').first()
    await first.waitFor()
    await first.click()
    await dialog.getByTestId('booking-confirm').waitFor()
    expect(await dialog.getByTestId('booking-confirm').textContent()).toContain(spaced(patient.nhsNumber!))
    const other = cached[8]!
    // Meanwhile another receptionist in this Frontdesk books that time for someone else.
    const otherId = demo.runtime.cache.patientByRef(CONNECTION, other.ref!)!.id
    const slots = (await demo.runtime.dispatch('slots.find', {
      connectionId: CONNECTION,
      appointmentTypeRef: typeRef,
      days: 14,
      limit: 1,
    })) as { ok: true; value: Slot[] }
    const taken = slots.value[0]!
    const r = await demo.runtime.dispatch('appointments.book', {
      connectionId: CONNECTION,
      patientId: otherId,
      appointmentTypeRef: typeRef,
      practitionerRef: taken.practitionerRef,
      ...(taken.locationRef ? { locationRef: taken.locationRef } : {}),
      start: taken.start,
      end: taken.end,
    })
    expect(r.ok).toBe(true)
    await dialog.getByRole('button', { name: 'Book this appointment' }).click()
    const error = dialog.getByTestId('booking-error')
    await error.getByText('That time is no longer free').waitFor()
    await screenshot(page, 'booking-conflict')
    await dialog.getByRole('button', { name: 'Choose another time' }).click()
    await dialog.getByTestId('slot-finder').getByRole('button').first().waitFor()
    expect(problems).toEqual([])
  })
})

describe("the clinic system's own warnings", () => {
  it('shows Healthie’s conflict warning on the confirmation step when the time was taken meanwhile', async () => {
    const healthie = demo.runtime.adapters.get('demo-healthie')
    const [patient] = (await healthie.findPatients!({ text: '', limit: 5 })).filter((p) => p.nhsNumber)
    const localId = demo.runtime.cache.upsertPatient(patient!)
    const ref = (await demo.runtime.dispatch('reference.get', { connectionId: 'demo-healthie' })) as {
      ok: true
      value: { appointmentTypes: { ref: string; name: string }[]; locations: { ref: string }[] }
    }
    const type = [...ref.value.appointmentTypes].sort((a, b) => a.name.localeCompare(b.name))[0]!.ref

    const { page } = await demo.page({ bypassCSP: true })
    // The demo's clinics share one seeded population: choose this person's Healthie record.
    await page.locator('#global-search-input').fill(spaced(patient!.nhsNumber!))
    await page
      .getByRole('listbox', { name: 'Patients found' })
      .getByRole('option')
      .filter({ hasText: spaced(patient!.nhsNumber!) })
      .filter({ hasText: 'Harbour Wellness' })
      .click()
    await page.getByTestId('patient-card').getByText('Harbour Wellness').first().waitFor()
    await page.getByTestId('patient-card').getByRole('button', { name: 'Book an appointment' }).click()
    const dialog = page.getByRole('dialog', { name: 'Book an appointment' })
    await dialog.getByLabel('Appointment type').selectOption(type)
    const first = dialog.getByTestId('slot-finder').getByRole('button').first()
    await first.waitFor()
    // The list as Healthie confirmed it (shown from Frontdesk's copy first, checked in place).
    await dialog.locator('[data-testid="slot-check"][data-state="confirmed"]').waitFor()

    // Someone at Harbour Wellness books the soonest free time directly in Healthie.
    const soonest = (await demo.runtime.dispatch('slots.find', {
      connectionId: 'demo-healthie',
      appointmentTypeRef: type,
      patientId: localId,
      limit: 1,
    })) as { ok: true; value: Slot[] }
    const taken = soonest.value[0]!
    const [other] = await healthie.findPatients!({ text: '', limit: 1 })
    await healthie.book!({
      clientRef: 'booked-at-the-desk',
      patientRef: other!.ref!,
      appointmentTypeRef: type,
      practitionerRef: taken.practitionerRef!,
      ...(ref.value.locations[0] ? { locationRef: ref.value.locations[0].ref } : {}),
      start: taken.start,
      end: taken.end,
    })

    await first.click()
    const warning = dialog.getByTestId('vendor-warning')
    await warning.first().waitFor({ timeout: 15_000 })
    expect(await warning.first().textContent()).toMatch(/^Harbour Wellness warns: .*conflicting event/)
    await screenshot(page, 'booking-vendor-warning')
    await expectNoSeriousViolations(page)
  })
})

describe('a typed time that clashes with a booking in Frontdesk’s copy', () => {
  it('is caught by "Check this time", before the confirmation, while Semble is offline', async () => {
    const { page, problems } = await demo.page({ bypassCSP: true })
    const slot = (await freeSlots()).at(-1)!
    const patient = cached[6]!
    await openCard(page, patient)
    await semble().setOffline(true)
    try {
      // Another patient already holds that practitioner at that time in the local copy (booked offline).
      const other = await demo.runtime.dispatch('appointments.book', {
        connectionId: CONNECTION,
        patientId: demo.runtime.cache.upsertPatient(cached[7]!),
        appointmentTypeRef: typeRef,
        practitionerRef: slot.practitionerRef!,
        start: slot.start,
        end: slot.end,
        ...(slot.locationRef ? { locationRef: slot.locationRef } : {}),
        confirmOverlap: true,
      })
      expect(other.ok, JSON.stringify(other)).toBe(true)

      const dialog = await openBooking(page)
      await dialog.getByText('Enter a time yourself').waitFor()
      const when = london(slot.start)
      await dialog.getByLabel('Date', { exact: true }).fill(when.date.split('-').reverse().join('/'))
      await dialog.getByLabel(/^Time/).fill(when.time)
      await dialog.locator('fieldset').getByLabel('Practitioner').selectOption(slot.practitionerRef!)
      const location = dialog.locator('fieldset').getByLabel('Location')
      if (slot.locationRef && (await location.count())) await location.selectOption(slot.locationRef)
      await dialog.getByRole('button', { name: 'Check this time' }).click()
      await dialog.getByText(/^That practitioner already has an appointment then \(/).waitFor()
      expect(await dialog.getByTestId('booking-confirm').count()).toBe(0)
      await screenshot(page, 'booking-typed-time-clash')
      await expectNoSeriousViolations(page)
    } finally {
      await semble().setOffline(false)
    }
    expect(problems.filter((p) => !/Failed to load resource/.test(p))).toEqual([])
  })
})
