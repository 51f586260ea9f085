/**
 * Who is at the desk, in Chromium against the demo clinic: people are added in settings with a
 * PIN; "Switch person" locks the screen, which hides the app and shows staff names only; a wrong
 * PIN is said beside the field; the right one brings the app back with nothing half typed lost,
 * and changes are recorded under that person; left idle (the clinic's clock moved on), it locks.
 */
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AuditEntry } from '../../src/shared/contract'
import { bookAt, cachedPatients, firstTypeRef, ok, screenshotsAtSizes } from '../support/desk'
import { seriousViolations, startDemoHost, type DemoHost } from '../support/e2e'

let demo: DemoHost
let page: Page
let problems: string[]

beforeAll(async () => {
  demo = await startDemoHost({ patients: 60, name: 'desk-lock' })
  ;({ page, problems } = await demo.page({ bypassCSP: true }))
  await page.getByTestId('day-grid').waitFor({ timeout: 90_000 })
}, 120_000)

afterAll(async () => {
  await demo?.close()
})

const lockScreen = () => page.getByRole('dialog', { name: 'Frontdesk is locked' })
const people = () => page.getByTestId('desk-people')

async function addPerson(name: string, pin: string) {
  const form = people().getByRole('form', { name: 'Add a person' })
  await form.getByLabel('Name').fill(name)
  await form.getByLabel('PIN (4 to 8 digits)').fill(pin)
  await form.getByLabel('PIN again').fill(pin)
  await form.getByRole('button', { name: 'Add person' }).click()
  await people().getByRole('listitem').filter({ hasText: name }).waitFor()
}

async function unlockAs(name: string, pin: string) {
  await lockScreen().getByRole('radio', { name }).check()
  await lockScreen().getByLabel('PIN').fill(pin)
  await page.keyboard.press('Enter')
}

describe('who is at the desk', () => {
  it('people added with a PIN; switching locks the screen, which shows staff names only', async () => {
    await page.getByRole('button', { name: 'Settings' }).click()
    // Two PINs that differ are caught before anything is sent.
    const form = people().getByRole('form', { name: 'Add a person' })
    await form.getByLabel('Name').fill('Ana Costa')
    await form.getByLabel('PIN (4 to 8 digits)').fill('4821')
    await form.getByLabel('PIN again').fill('4812')
    await form.getByRole('button', { name: 'Add person' }).click()
    await form.getByText('does not match the PIN').waitFor()
    expect((await ok<{ staff: unknown[] }>(demo, 'desk.state', {})).staff).toEqual([])

    await addPerson('Ana Costa', '4821')
    await page.getByTestId('desk-person').getByText('Ana Costa').waitFor()
    await addPerson('Ben Okafor', '907163')
    await screenshotsAtSizes(page, 'desk-people')

    await page.getByRole('button', { name: 'Switch person' }).click()
    await lockScreen().waitFor()
    // The app is still there beneath (so drafts survive) but shows nothing and takes no input.
    expect(await page.locator('#global-search-input').isVisible()).toBe(false)
    expect(await page.getByTestId('desk-people').isVisible()).toBe(false)
    expect(await lockScreen().locator('.lock-person').allTextContents()).toEqual(['Ana Costa', 'Ben Okafor'])
    expect(await seriousViolations(page)).toEqual([])
    await screenshotsAtSizes(page, 'desk-locked')
  })

  it('a wrong PIN is said beside the field; the right one brings the app back, and changes carry that name', async () => {
    // A ninth digit is not cut off unseen: the PIN is refused for its length.
    await unlockAs('Ben Okafor', '907163555')
    await lockScreen().getByText('must be 4 to 8 digits').waitFor()
    await unlockAs('Ben Okafor', '4821')
    await lockScreen().getByText('Wrong PIN.').waitFor()
    expect(await lockScreen().getByLabel('PIN').inputValue()).toBe('')
    await screenshotsAtSizes(page, 'desk-wrong-pin')
    await unlockAs('Ben Okafor', '907163')
    await lockScreen().waitFor({ state: 'detached' })
    await page.getByTestId('desk-person').getByText('Ben Okafor').waitFor()

    const booked = await bookAt(demo, {
      patientId: cachedPatients(demo)[0]!,
      typeRef: await firstTypeRef(demo),
      start: new Date(demo.clock.now().getTime() + 26 * 3_600_000),
    })
    const audit = await ok<AuditEntry[]>(demo, 'audit.list', { limit: 20 })
    expect(audit.find((e) => e.entityId === booked)?.actor).toBe('Ben Okafor')
    expect(problems).toEqual([])
  })

  it('locks by itself when left idle, keeps what was half typed, and refuses changes meanwhile', async () => {
    await page.getByRole('button', { name: 'Today' }).click()
    const box = page.locator('#global-search-input')
    await box.click()
    await box.pressSequentially('Kau')
    demo.clock.advance(6 * 60_000)
    await lockScreen().waitFor({ timeout: 30_000 })
    const refused = await demo.runtime.dispatch('appointments.book', {})
    expect(refused.ok ? null : refused.error.code).toBe('locked')
    const r = (await demo.runtime.dispatch('patients.search', { text: 'Kau' })) as { ok: boolean }
    expect(r.ok).toBe(false)

    await unlockAs('Ana Costa', '4821')
    await lockScreen().waitFor({ state: 'detached' })
    await page.getByTestId('desk-person').getByText('Ana Costa').waitFor()
    expect(await box.inputValue()).toBe('Kau')
    expect(problems).toEqual([])
  })

  it('a booking dialog left open when the desk locks stays under the lock screen, whose PIN still goes in', async () => {
    const nhs = demo.runtime.db
      .prepare(
        `SELECT nhs_number FROM patients WHERE connection_id = 'demo-semble' AND nhs_number IS NOT NULL LIMIT 1`,
      )
      .pluck()
      .get() as string
    const spaced = `${nhs.slice(0, 3)} ${nhs.slice(3, 6)} ${nhs.slice(6)}`
    const box = page.locator('#global-search-input')
    await box.fill(spaced)
    await page.getByRole('listbox', { name: 'Patients found' }).getByRole('option').first().waitFor()
    await page.keyboard.press('Enter')
    await page.getByTestId('patient-card').getByRole('button', { name: 'Book an appointment' }).click()
    const booking = page.getByRole('dialog', { name: 'Book an appointment' })
    await booking.waitFor()

    await ok(demo, 'desk.lock', {})
    await lockScreen().waitFor()
    expect(await booking.isVisible()).toBe(false)
    // Escape does not leave the lock screen (nor close the dialog beneath).
    await page.keyboard.press('Escape')
    await unlockAs('Ben Okafor', '907163')
    await lockScreen().waitFor({ state: 'detached' })
    await booking.waitFor()
    expect(problems).toEqual([])
  })
})
