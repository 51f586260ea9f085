/**
 * Editing a patient's contact details on their card, end to end: only the details changed are sent,
 * the card shows them at once and the toast says whether they were sent; Semble (phone and NHS
 * number only, its note says so) gets them once, also when it was offline at the time; Healthie
 * takes phone, email and address; the audit log records each field from and to; a wrong NHS
 * number, an email the service refuses and an address without its first line are said beside
 * their fields and change nothing; a clinic system that cannot change patients (Hero) offers no
 * form, only its note. A patient Semble no longer lists is said so on the open card, which then
 * offers neither Book nor Edit until Semble lists them again.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AuditEntry, ReferenceData } from '../../src/shared/contract'
import type { Connection } from '../../src/shared/model'
import { nhsCheckDigit } from '../../src/shared/nhs-number'
import { toE164 } from '../../src/shared/phone'
import { cachedPatients, ok, patientsInCopy, RIVERSIDE, screenshotsAtSizes } from '../support/desk'
import { seriousViolations, startDemoHost, type DemoHost } from '../support/e2e'
import { ownRefresh } from '../support/refresh'
import { until } from '../support/until'

let demo: DemoHost
let page: Page
let problems: string[]
let patients: string[]
let labels: Record<string, string>
/** Each test's own patient: none of them is edited twice. */
let nextPatient = 0

interface Row {
  id: string
  ref: string
  given: string
  family: string
  nhs: string | null
  phone: string | null
  email: string | null
  postcode: string | null
}

const patientRow = (id: string) =>
  demo.runtime.db
    .prepare(
      `SELECT id, ref, given_name AS given, family_name AS family, nhs_number AS nhs, phone, email, postcode
         FROM patients WHERE id = ?`,
    )
    .get(id) as Row

/** `+447700900123` → `07700 900123`, as the card shows a UK number. */
const formatPhone = (e164: string) => parsePhoneNumberFromString(e164, 'GB')!.formatNational()
const spaced = (nhs: string) => `${nhs.slice(0, 3)} ${nhs.slice(3, 6)} ${nhs.slice(6)}`
const semble = () => demo.runtime.sandbox!.semble.control
const healthie = () => demo.runtime.sandbox!.healthie.control
const HARBOUR = 'demo-healthie'
const atSemble = (ref: string) => semble().state.patients.get(ref)!
/** Semble's applied writes whose input carries `marker` (a new email, a new address line). */
const appliedWith = (marker: string) =>
  semble()
    .writes()
    .filter((w) => w.outcome === 'applied' && JSON.stringify(w.input).includes(marker))
const editRows = (patientId: string) =>
  demo.runtime.db
    .prepare(`SELECT seq, state FROM outbox WHERE kind = 'updatePatient' AND entity_key = ? ORDER BY seq`)
    .all(`patient:${patientId}`) as { seq: number; state: string }[]

/** A Riverside patient in the copy with an NHS number, a phone and an email, and at Semble. */
function takePatient(): Row {
  while (nextPatient < patients.length) {
    const row = patientRow(patients[nextPatient++]!)
    if (row.nhs && row.phone && row.email && row.ref && semble().state.patients.has(row.ref)) return row
  }
  throw new Error('no Riverside patient left to edit')
}

/** A Harbour Wellness (Healthie) patient in the copy with an NHS number, a phone and an email. */
function takeHealthiePatient(): Row {
  for (const id of cachedPatients(demo, HARBOUR)) {
    const row = patientRow(id)
    if (row.nhs && row.phone && row.email && row.ref && healthie().state.users.has(row.ref)) return row
  }
  throw new Error('no Harbour Wellness patient to edit')
}

/** A UK mobile number (national form) that no Semble patient has. */
function unusedMobile(seed: number): { typed: string; e164: string } {
  const taken = new Set(
    [...semble().state.patients.values()].flatMap((p) => p.phones.map((ph) => toE164(ph.phoneNumber))),
  )
  for (let n = seed % 100_000; ; n = (n + 1) % 100_000) {
    const typed = `07700 9${String(n).padStart(5, '0')}`
    const e164 = toE164(typed)!
    if (!taken.has(e164)) return { typed, e164 }
  }
}

/** A valid test-range NHS number that neither Frontdesk's copy nor Semble has. */
function unusedNhsNumber(): string {
  const taken = new Set([
    ...(demo.runtime.db
      .prepare(`SELECT nhs_number FROM patients WHERE nhs_number IS NOT NULL`)
      .pluck()
      .all() as string[]),
    ...[...semble().state.patients.values()].flatMap((p) => p.numbers.map((n) => n.value)),
  ])
  for (let n = 999_800_000 + (Date.now() % 1000) * 97; ; n++) {
    const check = nhsCheckDigit(String(n))
    if (check !== null && !taken.has(`${n}${check}`)) return `${n}${check}`
  }
}

/** A test-range NHS number with its check digit made wrong. */
function wrongNhsNumber(nhs: string): string {
  const check = nhsCheckDigit(nhs.slice(0, 9))!
  return `${nhs.slice(0, 9)}${(check + 1) % 10}`
}

const focused = () =>
  page.evaluate(`(() => {
    const el = document.activeElement
    return {
      tag: el ? el.tagName.toLowerCase() : null,
      id: (el && el.id) || '',
      text: ((el && (el.getAttribute('aria-label') || el.textContent)) || '').trim(),
    }
  })()`) as Promise<{ tag: string | null; id: string; text: string }>

const card = () => page.getByTestId('patient-card')
const editForm = () => card().getByRole('form', { name: 'Edit contact details' })
const toasts = () => page.getByTestId('toasts')

async function openPatientCard(row: Row, connectionId = RIVERSIDE) {
  const box = page.locator('#global-search-input')
  await box.click()
  await box.fill(spaced(row.nhs!))
  await page
    .getByRole('listbox', { name: 'Patients found' })
    .getByRole('option')
    .filter({ hasText: spaced(row.nhs!) })
    .filter({ hasText: labels[connectionId]! })
    .first()
    .click()
  await card().getByText(spaced(row.nhs!)).first().waitFor()
}

/** Opens the form from the card's button; the first field has the focus. */
async function openEdit() {
  await card().getByRole('button', { name: 'Edit details' }).click()
  await editForm().waitFor()
  const phoneId = await editForm().getByLabel('Mobile phone').getAttribute('id')
  await until('focus is on the first field', async () => (await focused()).id === phoneId)
}

async function expectFocusBackOnEdit() {
  await until('the form is gone', async () => (await editForm().count()) === 0)
  await until('focus is back on Edit details', async () => (await focused()).tag === 'button')
  expect(await focused()).toMatchObject({ tag: 'button', text: 'Edit details' })
}

async function expectNoSeriousViolations() {
  const violations = await seriousViolations(page)
  expect(
    violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`),
  ).toEqual([])
}

const auditOf = async (patientId: string) =>
  (await ok<AuditEntry[]>(demo, 'audit.list', { limit: 1000 })).filter(
    (e) => e.action === 'updatePatient' && e.patientId === patientId,
  )

beforeAll(async () => {
  demo = await startDemoHost({ patients: 200, name: 'patient-edit' })
  ;({ page, problems } = await demo.page({ bypassCSP: true }))
  patients = await patientsInCopy(demo, 100)
  const connections = await ok<Connection[]>(demo, 'connections.list', {})
  labels = Object.fromEntries(connections.map((c) => [c.id, c.label]))
  await page.getByRole('heading', { name: 'Frontdesk', level: 1 }).waitFor({ timeout: 90_000 })
}, 120_000)

afterAll(async () => {
  await demo?.runtime.sandbox?.semble.control.setOffline(false)
  await demo?.close()
})

describe('editing a Semble patient online', () => {
  it('sends only the phone and NHS number changed, shows them at once, Semble holds them and the audit log has them', async () => {
    const row = takePatient()
    const phone = unusedMobile(Date.now())
    const nhs = unusedNhsNumber()
    const reference = await ok<ReferenceData>(demo, 'reference.get', { connectionId: RIVERSIDE })
    await openPatientCard(row)
    await openEdit()
    const form = editForm()
    // Prefilled with what the card knows; Semble's API changes the phone and NHS number only, so
    // only those are offered, with Semble's note saying so.
    expect(await form.getByLabel('Mobile phone').inputValue()).toBe(formatPhone(row.phone!))
    expect(await form.getByLabel('NHS number').inputValue()).toBe(spaced(row.nhs!))
    expect(await form.getByLabel('Email').count()).toBe(0)
    expect(await form.getByLabel('Address line').count()).toBe(0)
    await form
      .getByTestId('edit-note')
      .getByText(reference.capabilities.notes.updatePatient!, { exact: true })
      .waitFor()
    await expectNoSeriousViolations()

    await form.getByLabel('Mobile phone').fill(phone.typed)
    await form.getByLabel('NHS number').fill(spaced(nhs))
    await form.getByText(`Ten digits, as on an NHS letter or the NHS App.`).waitFor()
    await screenshotsAtSizes(page, 'patient-edit-form')
    const calls: unknown[] = []
    const listen = (r: { url(): string; postDataJSON(): unknown }) => {
      if (r.url().endsWith('/api/call/patients.update')) calls.push(r.postDataJSON())
    }
    page.on('request', listen)
    await form.getByRole('button', { name: 'Save details' }).click()

    // The toast says what changed and that it was sent.
    await toasts()
      .getByText(
        `Details changed: ${row.given} ${row.family} (phone, NHS number) — sent to ${labels[RIVERSIDE]}.`,
      )
      .waitFor({ timeout: 30_000 })
    page.off('request', listen)
    await expectFocusBackOnEdit()
    // Only the two fields changed went.
    expect(JSON.stringify(calls)).toContain(`"changes":{"phone":"${phone.e164}","nhsNumber":"${nhs}"}`)

    // The card, at once.
    await card().locator('.demographics').getByText(formatPhone(phone.e164), { exact: true }).waitFor()
    await card().getByRole('heading', { level: 2 }).getByText(spaced(nhs)).first().waitFor()
    expect(patientRow(row.id)).toMatchObject({
      phone: phone.e164,
      nhs,
      email: row.email,
      postcode: row.postcode,
    })

    // Semble holds them, each written once.
    await until('Semble has the new details', () => {
      const p = atSemble(row.ref)
      return (
        p.phones.some((ph) => toE164(ph.phoneNumber) === phone.e164) &&
        p.numbers.some((n) => n.name === 'NHS Number' && n.value === nhs)
      )
    })
    expect(atSemble(row.ref).phones.filter((ph) => toE164(ph.phoneNumber) === phone.e164)).toHaveLength(1)
    expect(atSemble(row.ref).email).toBe(row.email)
    expect(appliedWith(phone.e164)).toHaveLength(1)
    expect(appliedWith(nhs)).toHaveLength(1)
    await until('the change is done', () => editRows(row.id).every((r) => r.state === 'done'))
    expect(editRows(row.id)).toHaveLength(1)

    // The audit log: each field from and to, saved then sent.
    const entries = await auditOf(row.id)
    const queued = entries.find((e) => e.outcome === 'queued')!
    // Named as the audit screen shows it: "Given FAMILY".
    expect(queued.patientName).toBe(`${row.given} ${row.family.toUpperCase()}`)
    expect(JSON.parse(queued.change!)).toMatchObject({
      patientId: row.id,
      patientName: `${row.given} ${row.family}`,
      changes: { phone: { from: row.phone, to: phone.e164 }, nhsNumber: { from: row.nhs, to: nhs } },
    })
    expect(JSON.parse(queued.change!).changes).not.toHaveProperty('email')
    await until('the audit log says it was sent', async () =>
      (await auditOf(row.id)).some((e) => e.outcome === 'sent'),
    )
    await screenshotsAtSizes(page, 'patient-edit-saved')
  })
})

describe('editing while Semble is offline', () => {
  it('keeps and shows the edit, says it will be sent, and Semble gets it exactly once when back', async () => {
    const row = takePatient()
    const phone = unusedMobile(Date.now() + 5_000)
    await openPatientCard(row)
    await semble().setOffline(true)
    try {
      await openEdit()
      const form = editForm()
      await form.getByLabel('Mobile phone').fill(phone.typed)
      await form.getByRole('button', { name: 'Save details' }).click()
      await toasts()
        .getByText(
          `Details changed: ${row.given} ${row.family} (phone) — will be sent when ${labels[RIVERSIDE]} is back online.`,
        )
        .waitFor({ timeout: 30_000 })
      await expectFocusBackOnEdit()
      await card().locator('.demographics').getByText(formatPhone(phone.e164), { exact: true }).waitFor()
      expect(editRows(row.id).map((r) => r.state)).not.toContain('done')
      expect(appliedWith(phone.e164)).toEqual([])
      await screenshotsAtSizes(page, 'patient-edit-offline')

      // Kept: the card read afresh (after another screen) still shows it.
      await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Today' }).click()
      await openPatientCard(row)
      await card().locator('.demographics').getByText(formatPhone(phone.e164), { exact: true }).waitFor()
      expect(patientRow(row.id)).toMatchObject({ phone: phone.e164 })
      // The card says which of its details are only in Frontdesk so far.
      await card()
        .getByTestId('unsent-edit')
        .getByText(`Changed here, not yet in ${labels[RIVERSIDE]}: phone — waiting to send.`)
        .waitFor()
    } finally {
      await semble().setOffline(false)
    }

    await until(
      'Semble has the edit',
      () => atSemble(row.ref).phones.some((ph) => toE164(ph.phoneNumber) === phone.e164),
      60_000,
    )
    await until('the change is done', () => editRows(row.id).every((r) => r.state === 'done'), 30_000)
    // Exactly once, still after a few more rounds of the queue.
    await new Promise((r) => setTimeout(r, 3_000))
    expect(appliedWith(phone.e164)).toHaveLength(1)
    expect(atSemble(row.ref).phones.filter((ph) => toE164(ph.phoneNumber) === phone.e164)).toHaveLength(1)
    expect(editRows(row.id)).toHaveLength(1)
    await card().locator('.demographics').getByText(formatPhone(phone.e164), { exact: true }).waitFor()
    // Sent: the mark goes (the card follows the queue's events).
    await card().getByTestId('unsent-edit').waitFor({ state: 'detached' })
  })
})

describe('a wrong NHS number', () => {
  it('is said beside its field, Save sends nothing, and Escape and Cancel leave everything as it was', async () => {
    const row = takePatient()
    const before = patientRow(row.id)
    const sembleBefore = JSON.stringify(atSemble(row.ref))
    const calls: string[] = []
    const listen = (r: { url(): string }) => {
      if (r.url().endsWith('/api/call/patients.update')) calls.push(r.url())
    }
    page.on('request', listen)
    await openPatientCard(row)
    await openEdit()
    const form = editForm()
    const nhs = form.getByLabel('NHS number')

    // A wrong check digit: said as soon as the ten digits are there, and Save sends nothing.
    await nhs.fill(spaced(wrongNhsNumber(row.nhs!)))
    await form.getByText(/check digit is wrong/).waitFor()
    expect(await nhs.getAttribute('aria-invalid')).toBe('true')
    await form.getByRole('button', { name: 'Save details' }).click()
    await form
      .getByRole('alert')
      .getByText(/Some details need correcting/)
      .waitFor()
    expect(await form.count()).toBe(1)
    await screenshotsAtSizes(page, 'patient-edit-wrong-nhs')
    await expectNoSeriousViolations()

    // The service says the same, by its field path (should a number reach it).
    const r = await demo.runtime.dispatch('patients.update', {
      patientId: row.id,
      changes: { nhsNumber: wrongNhsNumber(row.nhs!) },
    })
    expect(r.ok ? null : r.error).toMatchObject({ code: 'invalid-input', field: 'changes.nhsNumber' })

    // Escape cancels: nothing changed anywhere, focus back on the button.
    await nhs.press('Escape')
    await expectFocusBackOnEdit()
    page.off('request', listen)
    expect(calls).toEqual([])
    expect(patientRow(row.id)).toEqual(before)
    expect(editRows(row.id)).toEqual([])
    expect(JSON.stringify(atSemble(row.ref))).toBe(sembleBefore)
    expect(await auditOf(row.id)).toEqual([])
    await card().getByRole('heading', { level: 2 }).getByText(spaced(row.nhs!)).first().waitFor()

    // Cancel does the same, and the form opens afresh from the card's values.
    await openEdit()
    expect(await editForm().getByLabel('NHS number').inputValue()).toBe(spaced(row.nhs!))
    await editForm().getByLabel('Mobile phone').fill('07700 900999')
    await editForm().getByRole('button', { name: 'Cancel' }).click()
    await expectFocusBackOnEdit()
    expect(patientRow(row.id)).toEqual(before)
    expect(editRows(row.id)).toEqual([])
  })
})

describe('editing a Healthie patient', () => {
  it('offers every detail, says the contract’s refusal beside its field before sending, and sends phone, email and address as changed', async () => {
    const row = takeHealthiePatient()
    const client = () => healthie().state.users.get(row.ref)!
    const phone = unusedMobile(Date.now() + 9_000)
    const email = `harbour.${Date.now()}@example.org`
    const line = `${(Date.now() % 900) + 100} Quayside Walk`
    await openPatientCard(row, HARBOUR)
    await openEdit()
    const form = editForm()
    for (const label of ['Mobile phone', 'Email', 'NHS number', 'Address line', 'Town or city', 'Postcode'])
      expect(await form.getByLabel(label, { exact: true }).count(), label).toBe(1)

    // An email the contract refuses: said beside Email in the service's own words, nothing queued.
    await form.getByLabel('Email').fill('ann@clinic.c')
    await form.getByRole('button', { name: 'Save details' }).click()
    await form.getByText('This is not an email address.').waitFor()
    expect(await form.getByLabel('Email').getAttribute('aria-invalid')).toBe('true')
    expect(editRows(row.id)).toEqual([])
    // The address changes as one: a postcode alone wants its first line.
    await form.getByLabel('Email').fill(email)
    await form.getByLabel('Postcode').fill('bs1 4dj')
    await form.getByRole('button', { name: 'Save details' }).click()
    await form.getByText(/The address changes as one: enter its first line/).waitFor()
    expect(await form.getByLabel('Address line').getAttribute('aria-invalid')).toBe('true')
    // The town is optional: not marked.
    expect(await form.getByLabel('Town or city').getAttribute('aria-invalid')).toBe('false')
    expect(editRows(row.id)).toEqual([])
    await screenshotsAtSizes(page, 'patient-edit-healthie-errors')
    await expectNoSeriousViolations()

    await form.getByLabel('Mobile phone').fill(phone.typed)
    await form.getByLabel('Address line').fill(line)
    await form.getByLabel('Town or city').fill('Bristol')
    await form.getByRole('button', { name: 'Save details' }).click()
    await toasts()
      .getByText(
        `Details changed: ${row.given} ${row.family} (phone, email, address) — sent to ${labels[HARBOUR]}.`,
      )
      .waitFor({ timeout: 30_000 })
    await expectFocusBackOnEdit()
    const details = card().locator('.demographics')
    await details.getByText(formatPhone(phone.e164), { exact: true }).waitFor()
    await details.getByText(email, { exact: true }).waitFor()
    await details.getByText('BS1 4DJ', { exact: true }).waitFor()

    await until('Healthie has the new details', () => client().email === email, 30_000)
    expect(toE164(client().phone_number)).toBe(phone.e164)
    expect(client().location).toMatchObject({ line1: line, city: 'Bristol', zip: 'BS1 4DJ' })
    expect(client().record_identifier).toBe(row.nhs)
    await until('the change is done', () => editRows(row.id).every((r) => r.state === 'done'))
    expect(editRows(row.id)).toHaveLength(1)
    const queued = (await auditOf(row.id)).find((e) => e.outcome === 'queued')!
    expect(JSON.parse(queued.change!).changes).toMatchObject({
      phone: { from: row.phone, to: phone.e164 },
      email: { from: row.email, to: email },
      postcode: { from: row.postcode, to: 'BS1 4DJ' },
    })
  })
})

describe('a patient Semble no longer lists', () => {
  it('says on the card when Semble no longer lists the patient, offers no Book or Edit, and takes both back when it lists them again', async () => {
    const row = takePatient()
    await openPatientCard(row)
    await card().getByRole('button', { name: 'Book an appointment' }).waitFor()
    const held = atSemble(row.ref)
    semble().state.patients.delete(row.ref)
    const goneAt = () =>
      demo.runtime.db.prepare('SELECT gone_at FROM patients WHERE id = ?').pluck().get(row.id) as
        string | null
    // The refresh's end re-reads the open card. A refresh of its own reads only the patient list
    // (not the slots and the fortnight), and one whole pass missing them is enough here
    // (the rule of two is proven in test/integration/sync/patient-gone.test.ts).
    const refresh = ownRefresh(demo.runtime, {
      now: () => demo.clock.now(),
      windowDays: 0,
      patientPagesPerRun: 100,
      passesBeforeGone: 1,
    })
    await refresh.refreshNow(RIVERSIDE)
    expect(goneAt()).not.toBeNull()
    const notice = card().getByTestId('patient-gone')
    await notice.waitFor()
    expect(await notice.textContent()).toContain(
      `${labels[RIVERSIDE]} no longer lists ${row.given} ${row.family} (deleted or merged into another record there)`,
    )
    expect(await card().getByRole('button', { name: 'Book an appointment' }).count()).toBe(0)
    expect(await card().getByRole('button', { name: 'Edit details' }).count()).toBe(0)
    await expectNoSeriousViolations()

    semble().state.patients.set(row.ref, held)
    await refresh.refreshNow(RIVERSIDE)
    expect(goneAt()).toBeNull()
    await card().getByRole('button', { name: 'Book an appointment' }).waitFor()
    expect(await notice.count()).toBe(0)
  })
})

describe('a clinic system that cannot change patients', () => {
  it('offers no form on a Hero patient’s card, only the note', async () => {
    const hero = demo.runtime.sandbox!.hero.control.state
    const seed = demo.runtime.sandbox!.clinics.hero.patients
    const traceable = seed.find((p) => !hero.identityCheck.has(p.nhsNumber))!
    const reference = await ok<ReferenceData>(demo, 'reference.get', { connectionId: 'demo-hero' })
    expect(reference.capabilities.operations).not.toContain('updatePatient')
    const note =
      reference.capabilities.notes.updatePatient ?? `Change these details in ${labels['demo-hero']}.`

    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Patients' }).click()
    await page.getByRole('button', { name: 'NHS trace (Hero)' }).click()
    const trace = page.getByRole('form', { name: 'NHS trace for a Hero Health clinic' })
    await trace.getByRole('textbox', { name: 'NHS number' }).fill(spaced(traceable.nhsNumber))
    const [y, m, d] = traceable.birthDate.split('-')
    await trace.getByLabel('Date of birth (day first)').fill(`${d}/${m}/${y}`)
    await trace.getByRole('button', { name: 'Trace' }).click()
    await page.getByTestId('trace-result').getByRole('button', { name: 'Open patient card' }).click()
    await card().getByText(spaced(traceable.nhsNumber)).first().waitFor()
    await card().getByTestId('edit-unavailable').getByText(note, { exact: true }).waitFor()
    expect(await card().getByRole('button', { name: 'Edit details' }).count()).toBe(0)
    expect(await card().getByRole('form').count()).toBe(0)
    await card().getByRole('button', { name: 'Book an appointment' }).waitFor()
    await expectNoSeriousViolations()
    await screenshotsAtSizes(page, 'patient-edit-hero')
  })

  it('logged nothing unexpected', () => {
    // Requests refused while Semble was away, and the service's 400 for the refused email, are the
    // browser's own notes, not the app's errors.
    expect(problems.filter((p) => !/Failed to load resource/.test(p))).toEqual([])
  })
})
