/**
 * Right time, as a receptionist sees it: on both clock-change nights in Europe/London a time typed
 * by hand (Semble offline) is confirmed with the zone's short name, a time the clocks skip is
 * refused in a sentence naming the change, and the confirmation message names the zone too.
 */
import type { Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Patient } from '../../src/shared/model'
import { screenshot, startDemoHost, type DemoHost } from '../support/e2e'

const CONNECTION = 'demo-semble'
let demo: DemoHost
let patient: Patient
let typeRef: string
let practitionerRef: string
let locationRef: string | undefined

const spaced = (nhs: string) => `${nhs.slice(0, 3)} ${nhs.slice(3, 6)} ${nhs.slice(6)}`
const semble = () => demo.runtime.sandbox!.semble.control

beforeAll(async () => {
  demo = await startDemoHost({ patients: 60, name: 'right-time' })
  const adapter = demo.runtime.adapters.get(CONNECTION)
  const found = (await adapter.findPatients!({ text: '', limit: 60 })).filter((p) => p.nhsNumber)
  patient = found[7]!
  demo.runtime.cache.upsertPatient(patient)
  const ref = (await demo.runtime.dispatch('reference.get', { connectionId: CONNECTION })) as {
    ok: true
    value: {
      appointmentTypes: { ref: string; name: string }[]
      practitioners: { ref: string }[]
      locations: { ref: string }[]
    }
  }
  typeRef = [...ref.value.appointmentTypes].sort((a, b) => a.name.localeCompare(b.name))[0]!.ref
  practitionerRef = ref.value.practitioners[0]!.ref
  locationRef = ref.value.locations[0]?.ref
})

afterAll(async () => {
  await demo?.close()
})

async function openBooking(page: Page): Promise<Locator> {
  const box = page.locator('#global-search-input')
  await box.click()
  await box.fill(spaced(patient.nhsNumber!))
  await page
    .getByRole('listbox', { name: 'Patients found' })
    .getByRole('option')
    .filter({ hasText: spaced(patient.nhsNumber!) })
    .waitFor()
  await page.keyboard.press('Enter')
  await page.getByTestId('patient-card').getByRole('button', { name: 'Book an appointment' }).click()
  const dialog = page.getByRole('dialog', { name: 'Book an appointment' })
  await dialog.waitFor()
  await dialog.getByLabel('Appointment type').selectOption(typeRef)
  return dialog
}

async function openBookingOffline(page: Page): Promise<Locator> {
  const dialog = await openBooking(page)
  await dialog.getByText('Enter a time yourself').waitFor()
  return dialog
}

async function typeTime(dialog: Locator, date: string, time: string) {
  await dialog.getByLabel('Date', { exact: true }).fill(date)
  await dialog.getByLabel(/^Time/).fill(time)
  await dialog.locator('fieldset').getByLabel('Practitioner').selectOption(practitionerRef)
  const location = dialog.locator('fieldset').getByLabel('Location')
  if (locationRef && (await location.count())) await location.selectOption(locationRef)
  await dialog.getByRole('button', { name: 'Check this time' }).click()
}

describe('clock-change nights in Europe/London', () => {
  it('confirmations name BST or GMT, and a skipped time is refused in words', async () => {
    const { page, problems } = await demo.page()
    await semble().setOffline(true)
    try {
      // Autumn: 01:30 on Sunday 31 October 2027 happens twice; the first (BST) is read and said.
      let dialog = await openBookingOffline(page)
      await typeTime(dialog, '31/10/2027', '01:30')
      const confirm = dialog.getByTestId('booking-confirm')
      await confirm.waitFor()
      expect(await confirm.textContent()).toMatch(/31 October 2027, 01:30 BST–\d\d:\d\d (BST|GMT)/)
      await screenshot(page, 'right-time-autumn-confirm')
      await confirm.getByRole('button', { name: 'Book this appointment' }).click()
      const autumn = page.getByTestId('toasts').getByText(/31 Oct 01:30 BST — /)
      await autumn.waitFor()
      await screenshot(page, 'right-time-autumn-booked')
      const booked = demo.runtime.db
        .prepare(`SELECT start FROM appointments WHERE start LIKE '2027-10-31%'`)
        .all() as { start: string }[]
      expect(booked).toEqual([{ start: '2027-10-31T00:30:00.000Z' }])

      // Spring: 01:30 on Sunday 28 March 2027 does not exist in London.
      dialog = await openBookingOffline(page)
      await typeTime(dialog, '28/03/2027', '01:30')
      await dialog
        .getByText(
          'There is no 01:30 on Sunday 28 March 2027 in Europe/London: the clocks go forward at 01:00 GMT, straight to 02:00 BST. Choose a time before 01:00 or from 02:00.',
        )
        .waitFor()
      expect(await dialog.getByTestId('booking-confirm').count()).toBe(0)
      await screenshot(page, 'right-time-spring-refused')
      await typeTime(dialog, '28/03/2027', '00:30')
      await dialog.getByTestId('booking-confirm').waitFor()
      expect(await dialog.getByTestId('booking-confirm').textContent()).toMatch(
        /28 March 2027, 00:30 GMT–\d\d:\d\d (GMT|BST)/,
      )
      await screenshot(page, 'right-time-spring-confirm')
      await dialog.getByRole('button', { name: 'Book this appointment' }).click()
      await page
        .getByTestId('toasts')
        .getByText(/28 Mar 00:30 GMT — /)
        .waitFor()
      await screenshot(page, 'right-time-spring-booked')
    } finally {
      await semble().setOffline(false)
    }
    expect(problems.filter((p) => !/Failed to load resource/.test(p))).toEqual([])
  })
})

describe('a confirmation says what is known', () => {
  it('"sending…" becomes "will be sent when … is back" in the same toast when the first attempt fails', async () => {
    // Semble is back after the test above: wait until Frontdesk has noticed.
    await demo.runtime.sync.probe(CONNECTION)
    await expect.poll(() => demo.runtime.sync.state(CONNECTION).online, { timeout: 20_000 }).toBe(true)
    const { page, problems } = await demo.page()
    const dialog = await openBooking(page)
    const first = dialog.getByTestId('slot-finder').getByRole('button').first()
    await first.waitFor()
    await first.click()
    await dialog.getByTestId('booking-confirm').waitFor()
    // The first attempt is slow and then refused with a 503: the answer comes before it ends.
    demo.runtime.appointments.firstAttemptMs = 50
    semble().inject({ kind: 'latency', ms: 3_000 })
    semble().inject({ kind: 'status', status: 503, count: 1, scope: 'writes' })
    try {
      await dialog.getByRole('button', { name: 'Book this appointment' }).click()
      const toast = page.getByTestId('toasts').locator('.toast')
      await toast.getByText(/ — sending to Riverside Clinic…$/).waitFor()
      await screenshot(page, 'delivery-sending')
      await toast
        .getByText(/ — will be sent when Riverside Clinic is back online\.$/)
        .waitFor({ timeout: 20_000 })
      // Rewritten in place: still one toast, now a warning.
      expect(await toast.count()).toBe(1)
      expect(await toast.getAttribute('class')).toContain('toast-warning')
      await screenshot(page, 'delivery-updated')
    } finally {
      semble().clearFaults()
      demo.runtime.appointments.firstAttemptMs = 1_000
    }
    expect(problems.filter((p) => !/Failed to load resource/.test(p))).toEqual([])
  })
})
