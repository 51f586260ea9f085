/**
 * Patients as a receptionist finds them: by surname prefix, date of birth (typed day first) and NHS
 * number (typed with spaces) from the header search, Enter to open the card; registering a new
 * patient with the duplicate warning; the Hero NHS trace with its three answers.
 */
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { nhsCheckDigit } from '../../src/shared/nhs-number'
import type { Patient } from '../../src/shared/model'
import { screenshot, seriousViolations, startDemoHost, type DemoHost } from '../support/e2e'

let demo: DemoHost
let cached: Patient[]
/** Patients with appointments both to come and past. */
let withDiary: Set<string>

const spaced = (nhs: string) => `${nhs.slice(0, 3)} ${nhs.slice(3, 6)} ${nhs.slice(6)}`
const dayFirst = (iso: string) => {
  const [y, m, d] = iso.split('-')
  return `${d}/${m}/${y}`
}
/** A modulus-11-valid test-range NHS number that the seed did not issue. */
function unusedNhsNumber(taken: Set<string>): string {
  for (let n = 999_900_000; ; n++) {
    const nine = String(n)
    const check = nhsCheckDigit(nine)
    if (check !== null && !taken.has(`${nine}${check}`)) return `${nine}${check}`
  }
}

beforeAll(async () => {
  demo = await startDemoHost({ patients: 200, name: 'patients' })
  // The local cache holds the patients the app has seen: show it the Semble clinic's list.
  const adapter = demo.runtime.adapters.get('demo-semble')
  cached = await adapter.findPatients!({ text: '', limit: 200 })
  for (const p of cached) demo.runtime.cache.upsertPatient(p)
  // Let the first background refresh finish, so every clinic's patients are in the copy searched.
  await demo.runtime.refresh.refreshNow()
  // And the diary a fortnight either side, so cards have appointments to come and past.
  const from = new Date(demo.clock.now().getTime() - 14 * 86_400_000).toISOString()
  const to = new Date(demo.clock.now().getTime() + 14 * 86_400_000).toISOString()
  const diary = await adapter.listAppointments!({ from, to })
  await demo.runtime.cache.replaceAppointments('demo-semble', from, to, diary)
  withDiary = new Set(
    cached
      .filter((p) => {
        const mine = diary.filter((a) => a.patientRef === p.ref && a.start)
        return (
          mine.some((a) => Date.parse(a.start!) > demo.clock.now().getTime()) &&
          mine.some((a) => Date.parse(a.start!) < demo.clock.now().getTime())
        )
      })
      .map((p) => p.ref!),
  )
})

afterAll(async () => {
  await demo?.close()
})

async function search(page: Page, text: string) {
  const box = page.locator('#global-search-input')
  await box.fill('')
  await page.keyboard.press('Escape')
  await page.keyboard.press('/')
  await expect.poll(() => page.evaluate('document.activeElement?.id')).toBe('global-search-input')
  await page.keyboard.type(text, { delay: 15 })
}

const identityText = (p: Pick<Patient, 'givenName' | 'familyName'>) =>
  `${p.familyName.toUpperCase()}, ${p.givenName}`

async function expectNoSeriousViolations(page: Page) {
  const violations = await seriousViolations(page)
  expect(
    violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`),
  ).toEqual([])
}

describe('finding a patient', () => {
  it('by surname prefix, by date of birth and by NHS number; Enter opens the card', async () => {
    const { page, problems } = await demo.page({ bypassCSP: true })
    await page.getByRole('heading', { name: 'Frontdesk', level: 1 }).waitFor()
    // The header search works from any screen; the scans below are of this area's screens.
    await page.getByRole('button', { name: 'Patients' }).click()

    // A patient whose first four letters of surname few others share, with an NHS number and phone.
    const prefixOf = (p: Pick<Patient, 'familyName'>) => p.familyName.slice(0, 4).toLowerCase()
    const counts = new Map<string, number>()
    // Count across every clinic the search covers (Hero only traces), not just this one.
    const everyone = demo.runtime.db
      .prepare(`SELECT family_name AS familyName FROM patients WHERE connection_id != 'demo-hero'`)
      .all() as { familyName: string }[]
    for (const p of everyone) counts.set(prefixOf(p), (counts.get(prefixOf(p)) ?? 0) + 1)
    const target = cached.find(
      (p) =>
        p.nhsNumber &&
        p.phone &&
        p.familyName.length >= 5 &&
        (counts.get(prefixOf(p)) ?? 0) >= 2 &&
        (counts.get(prefixOf(p)) ?? 0) <= 6,
    )!
    expect(target).toBeTruthy()

    // Surname prefix, typed keystroke by keystroke.
    await search(page, prefixOf(target))
    const list = page.getByRole('listbox', { name: 'Patients found' })
    const option = list.getByRole('option').filter({ hasText: identityText(target) })
    await option.first().waitFor()
    expect(await list.getByRole('option').count()).toBe(counts.get(prefixOf(target)))
    // Each row: name, date of birth with age, NHS number 3-3-4, phone.
    const row = (await option.first().textContent())!
    expect(row).toContain(spaced(target.nhsNumber!))
    expect(row).toMatch(/Born \d{1,2} [A-Z][a-z]{2} \d{4} \(\d+\)/)
    expect(row).toMatch(/0\d{4} \d{6}/)
    await page.getByText(/Looking for: Surname/).waitFor()
    await screenshot(page, 'search-results')
    await expectNoSeriousViolations(page)

    // Up/Down move the choice; Enter opens the chosen one.
    const options = list.getByRole('option')
    for (let i = 0; i < 10; i++) {
      const selected = await list.locator('[aria-selected="true"]').textContent()
      if (selected?.includes(identityText(target)) && selected.includes(spaced(target.nhsNumber!))) break
      await page.keyboard.press('ArrowDown')
    }
    expect(await list.locator('[aria-selected="true"]').textContent()).toContain(spaced(target.nhsNumber!))
    expect(await options.count()).toBeGreaterThan(0)
    await page.keyboard.press('Enter')
    const card = page.getByTestId('patient-card')
    await card.waitFor()
    expect(await card.getByRole('heading', { level: 2 }).first().textContent()).toContain(
      identityText(target),
    )

    // Date of birth typed day first: the target is among the results.
    await search(page, dayFirst(target.birthDate))
    await list
      .getByRole('option')
      .filter({ hasText: spaced(target.nhsNumber!) })
      .waitFor()
    const dobRows = await list.getByRole('option').allTextContents()
    expect(dobRows.length).toBeGreaterThan(0)
    for (const r of dobRows) expect(r).toContain('Born')

    // NHS number typed with spaces: exactly that patient; Enter opens their card.
    const other =
      cached.find((p) => p.nhsNumber && p.ref !== target.ref && withDiary.has(p.ref!)) ??
      cached.find((p) => p.nhsNumber && p.ref !== target.ref)!
    await search(page, spaced(other.nhsNumber!))
    await page.getByText(/Looking for: NHS number/).waitFor()
    await list
      .getByRole('option')
      .filter({ hasText: identityText(other) })
      .waitFor()
    expect(await list.getByRole('option').count()).toBe(1)
    await page.keyboard.press('Enter')
    await card.getByText(spaced(other.nhsNumber!)).first().waitFor()
    expect(await card.textContent()).toContain(identityText(other))
    expect(await card.textContent()).toContain('Riverside Clinic')
    await card.getByRole('button', { name: 'Book an appointment' }).waitFor()
    if (withDiary.has(other.ref!)) {
      await card.getByTestId('upcoming').getByTestId('appointment-row').first().waitFor()
      await card.getByTestId('past').getByTestId('appointment-row').first().waitFor()
      // Times in the clinic's zone, with a status badge.
      expect(await card.getByTestId('upcoming').textContent()).toMatch(/\d{2}:\d{2}–\d{2}:\d{2}/)
    }
    await screenshot(page, 'patient-card')
    await expectNoSeriousViolations(page)
    if (withDiary.has(other.ref!)) {
      // An upcoming appointment opens in the day book, with the day book's actions.
      await card.getByTestId('upcoming').getByRole('button', { name: /^Open/ }).first().click()
      await page.getByRole('button', { name: 'Close appointment' }).waitFor()
      expect(await page.getByRole('dialog').first().textContent()).toContain(other.familyName.toUpperCase())
    }
    expect(problems).toEqual([])
  })
})

describe('registering a new patient', () => {
  it('warns about the same name and date of birth before creating, then registers a new one', async () => {
    const { page, problems } = await demo.page({ bypassCSP: true })
    await page.getByRole('button', { name: 'Patients' }).click()
    await page.getByRole('button', { name: 'New patient' }).click()
    const form = page.getByRole('form', { name: 'Register a new patient' })
    await form.waitFor()

    const existing = cached.find((p) => p.nhsNumber)!
    await form.getByLabel('First name').fill(existing.givenName)
    await form.getByLabel('Last name').fill(existing.familyName)
    await form.getByLabel('Date of birth (day first)').fill(dayFirst(existing.birthDate))
    // The date is read back in words.
    await form.getByText(/^Read as /).waitFor()
    // An NHS number with a wrong check digit is caught as it is typed.
    const nhs = form.getByRole('textbox', { name: 'NHS number' })
    const wrong = `${existing.nhsNumber!.slice(0, 9)}${(Number(existing.nhsNumber!.slice(9)) + 1) % 10}`
    await nhs.fill(spaced(wrong))
    await form.getByText(/check digit is wrong/).waitFor()
    expect(await nhs.getAttribute('aria-invalid')).toBe('true')
    await nhs.fill('')

    const warning = page.getByTestId('duplicate-warning')
    await warning.waitFor()
    expect(await warning.textContent()).toContain(identityText(existing))
    expect(await warning.textContent()).toContain(spaced(existing.nhsNumber!))
    await screenshot(page, 'new-patient-duplicate')
    await expectNoSeriousViolations(page)

    // Submitting does not create while the warning stands.
    const before = demo.runtime.db.prepare(`SELECT count(*) AS n FROM patients`).get() as { n: number }
    await form.getByRole('button', { name: 'Register patient' }).click()
    expect((demo.runtime.db.prepare(`SELECT count(*) AS n FROM patients`).get() as { n: number }).n).toBe(
      before.n,
    )
    // "Open existing record" goes to their card.
    await warning.getByRole('button', { name: 'Open existing record' }).click()
    await page.getByTestId('patient-card').getByText(spaced(existing.nhsNumber!)).first().waitFor()

    // A genuinely new person is registered, and the message says where it is going.
    await page.getByRole('button', { name: 'Patients' }).click()
    await page.getByRole('button', { name: 'New patient' }).click()
    await form.getByLabel('First name').fill('Imogen')
    await form.getByLabel('Last name').fill('Quartermaine')
    await form.getByLabel('Date of birth (day first)').fill('7.4.92')
    await form.getByText(/Read as .*7 April 1992 \(age \d+\)/).waitFor()
    await form.getByLabel('Phone').fill('07700 900461')
    await form.getByLabel('Postcode').fill('sw1a1aa')
    await form.getByRole('button', { name: 'Register patient' }).click()
    await page.getByTestId('toasts').getByText('Registered: Imogen Quartermaine').waitFor()
    await page.getByTestId('patient-card').getByText('QUARTERMAINE, Imogen').waitFor()
    expect(await page.getByTestId('patient-card').textContent()).toContain('SW1A 1AA')
    expect(problems).toEqual([])
  })
})

describe('the Hero NHS trace', () => {
  it('shows found, must-verify-identity (link as text, never opened) and not-found answers', async () => {
    const { page, context, problems } = await demo.page({ bypassCSP: true })
    const hero = demo.runtime.sandbox!.hero.control.state
    const seed = demo.runtime.sandbox!.clinics.hero.patients
    const traceable = seed.find((p) => !hero.identityCheck.has(p.nhsNumber))!
    const mustVerify = seed.find((p) => hero.identityCheck.has(p.nhsNumber))!
    expect(mustVerify).toBeTruthy()
    const unknown = unusedNhsNumber(new Set(seed.map((p) => p.nhsNumber)))

    await page.getByRole('button', { name: 'Patients' }).click()
    await page.getByRole('button', { name: 'NHS trace (Hero)' }).click()
    const form = page.getByRole('form', { name: 'NHS trace for a Hero Health clinic' })
    await form.waitFor()
    const result = page.getByTestId('trace-result')

    // Found, by NHS number (with spaces) and date of birth.
    await form.getByRole('textbox', { name: 'NHS number' }).fill(spaced(traceable.nhsNumber))
    await form.getByLabel('Date of birth (day first)').fill(dayFirst(traceable.birthDate))
    await form.getByRole('button', { name: 'Trace' }).click()
    await result.getByRole('heading', { name: 'Found on the NHS Spine' }).waitFor()
    expect(await result.textContent()).toContain(spaced(traceable.nhsNumber))
    await screenshot(page, 'trace-found')
    await expectNoSeriousViolations(page)

    // Must verify identity: said plainly, with the login link as text.
    await form.getByRole('textbox', { name: 'NHS number' }).fill(spaced(mustVerify.nhsNumber))
    await form.getByLabel('Date of birth (day first)').fill(dayFirst(mustVerify.birthDate))
    await form.getByRole('button', { name: 'Trace' }).click()
    await result.getByRole('heading', { name: 'The patient must confirm who they are first' }).waitFor()
    const url = await result.getByTestId('login-url').textContent()
    expect(url).toMatch(/^https:\/\/patient\.herohealth\.net\/verify\//)
    expect(await result.locator('a').count()).toBe(0)
    expect(context.pages()).toHaveLength(1)
    await screenshot(page, 'trace-must-verify')
    await expectNoSeriousViolations(page)

    // Not found: by name, date of birth and postcode that match nobody.
    await form.getByLabel('Name, date of birth and postcode').check()
    await form.getByLabel('First name').fill('Nobody')
    await form.getByLabel('Last name').fill('Atall')
    await form.getByLabel('Date of birth (day first)').fill('01/01/1970')
    await form.getByRole('textbox', { name: 'Postcode' }).fill('ZZ1 1ZZ')
    await form.getByRole('button', { name: 'Trace' }).click()
    await result.getByRole('heading', { name: 'No match on the NHS Spine' }).waitFor()
    // And by an NHS number the Spine does not know.
    await form.getByLabel('NHS number and date of birth').check()
    await form.getByRole('textbox', { name: 'NHS number' }).fill(spaced(unknown))
    await form.getByLabel('Date of birth (day first)').fill('01/01/1970')
    await form.getByRole('button', { name: 'Trace' }).click()
    await result.getByText(`NHS number ${spaced(unknown)}`, { exact: false }).waitFor()
    await screenshot(page, 'trace-not-found')
    await expectNoSeriousViolations(page)
    expect(problems).toEqual([])
  })
})

describe('a name typed with a slip', () => {
  it('"Kuar" suggests "Kaur" and lists her as a similar name; the new patient form warns of near matches', async () => {
    demo.runtime.cache.upsertPatient({
      connectionId: 'demo-semble',
      givenName: 'Priya',
      familyName: 'Kaur',
      birthDate: '2014-10-04',
      postcode: 'LE1 5WW',
    })
    const { page, problems } = await demo.page({ bypassCSP: true })
    const kaur = { givenName: 'Priya', familyName: 'Kaur' }
    const list = page.getByRole('listbox', { name: 'Patients found' })

    await search(page, 'Kuar')
    const suggestion = page.getByTestId('did-you-mean')
    await suggestion.waitFor()
    expect(await suggestion.textContent()).toBe('No exact match for “Kuar”. Did you mean Kaur?')
    const similar = list.getByRole('option').filter({ hasText: identityText(kaur) })
    await similar.waitFor()
    expect(await similar.getByTestId('hit-similar').textContent()).toMatch(/^Similar name/)
    await screenshot(page, 'search-did-you-mean')
    await expectNoSeriousViolations(page)

    // Choosing the suggestion searches for it: Priya Kaur is now an exact match.
    await suggestion.getByRole('button', { name: 'Kaur' }).click()
    await expect.poll(() => page.locator('#global-search-input').inputValue()).toBe('Kaur')
    await expect.poll(() => suggestion.count()).toBe(0)
    await list
      .getByRole('option')
      .filter({ hasText: identityText(kaur) })
      .waitFor()
    expect(await list.getByTestId('hit-similar').count()).toBe(0)
    expect(await page.evaluate('document.activeElement?.id')).toBe('global-search-input')
    await page.keyboard.press('Escape')

    // Registering "Priya Kuar", born the same day: the form warns, and says why.
    await page.getByRole('button', { name: 'Patients' }).click()
    await page.getByRole('button', { name: 'New patient' }).click()
    const form = page.getByRole('form', { name: 'Register a new patient' })
    await form.waitFor()
    await form.getByLabel('First name').fill('Priya')
    await form.getByLabel('Last name').fill('Kuar')
    await form.getByLabel('Date of birth (day first)').fill('04/10/2014')
    const warning = page.getByTestId('duplicate-warning')
    await warning.getByText('Why: similar name, same date of birth').waitFor()
    expect(await warning.textContent()).toContain(identityText(kaur))
    await screenshot(page, 'new-patient-near-duplicate')
    await expectNoSeriousViolations(page)
    // The right surname with day and month swapped is warned of too.
    await form.getByLabel('Last name').fill('Kaur')
    await form.getByLabel('Date of birth (day first)').fill('10/04/2014')
    await warning.getByText('Why: same name, day and month of birth swapped').waitFor()
    // And nothing is registered while the warning stands.
    const count = () =>
      (
        demo.runtime.db.prepare(`SELECT count(*) AS n FROM patients WHERE family_name = 'Kaur'`).get() as {
          n: number
        }
      ).n
    const before = count()
    await form.getByRole('button', { name: 'Register patient' }).click()
    await warning.getByText('Why: same name, day and month of birth swapped').waitFor()
    expect(count()).toBe(before)
    expect(problems).toEqual([])
  })
})
