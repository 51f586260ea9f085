/**
 * A day at the desk, the rest: the booking dialog's focus (it opens on the first field and gives
 * focus back after Book), and the audit log naming whose appointment a check-in, no-show or
 * cancellation was; the drawer's sync line while a no-show is held back (offline, or in its
 * seconds for Undo) never says the clinic system has it; the patient card keeps a booking just
 * made when a refresh that read the day before it was sent writes that day.
 */
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AppointmentView } from '../../src/shared/contract'
import { foldText } from '../../src/shared/fold-text'
import {
  bookAt,
  patientsInCopy,
  drawer,
  firstTypeRef,
  ok,
  openCard,
  RIVERSIDE,
  screenshotsAtSizes,
} from '../support/desk'
import { startDemoHost, type DemoHost } from '../support/e2e'
import { until } from '../support/until'

let demo: DemoHost
let page: Page
let problems: string[]
let patients: string[]
let typeRef: string

beforeAll(async () => {
  demo = await startDemoHost({ patients: 200, name: 'desk-day' })
  ;({ page, problems } = await demo.page())
  patients = await patientsInCopy(demo, 21)
  typeRef = await firstTypeRef(demo)
  await page.getByTestId('day-grid').waitFor({ timeout: 90_000 })
}, 120_000)

afterAll(async () => {
  await demo?.close()
})

const minutesFromNow = (m: number) => new Date(demo.clock.now().getTime() + m * 60_000)
const patientRow = (id: string) =>
  demo.runtime.db
    .prepare(
      `SELECT given_name AS given, family_name AS family, nhs_number AS nhs FROM patients WHERE id = ?`,
    )
    .get(id) as {
    given: string
    family: string
    nhs: string | null
  }
/** The element with focus: its tag, its accessible words and whether it is inside the dialog. */
const focused = () =>
  page.evaluate(`(() => {
    const el = document.activeElement
    return {
      tag: el ? el.tagName.toLowerCase() : null,
      id: (el && el.id) || '',
      text: ((el && (el.getAttribute('aria-label') || el.textContent)) || '').trim(),
      inDialog: !!(el && el.closest('dialog')),
    }
  })()`) as Promise<{ tag: string | null; id: string; text: string; inDialog: boolean }>

/** A booking dialog left open (by a failed test before) is closed, so each test starts on the page. */
async function closeBooking() {
  const open = page.getByRole('dialog', { name: 'Book an appointment' })
  if (await open.count()) await open.getByRole('button', { name: 'Close without booking' }).click()
}

async function openPatientCard(patientId: string) {
  const p = patientRow(patientId)
  const box = page.locator('#global-search-input')
  await box.click()
  const nhs = p.nhs!
  const spaced = `${nhs.slice(0, 3)} ${nhs.slice(3, 6)} ${nhs.slice(6)}`
  await box.fill(spaced)
  await page
    .getByRole('listbox', { name: 'Patients found' })
    .getByRole('option')
    .filter({ hasText: spaced })
    .filter({ hasText: 'Riverside' })
    .first()
    .click()
  await page.getByTestId('patient-card').getByText(spaced).first().waitFor()
}

describe('the booking dialog and focus', () => {
  it('opens on the appointment type, not on Close, and after Book gives focus back to the Book button', async () => {
    const withNhs = patients.find((id) => patientRow(id).nhs)!
    await openPatientCard(withNhs)
    const card = page.getByTestId('patient-card')
    await card.getByRole('button', { name: 'Book an appointment' }).click()
    const dialog = page.getByRole('dialog', { name: 'Book an appointment' })
    await dialog.waitFor()
    const typeId = await dialog.getByLabel('Appointment type').getAttribute('id')
    await until('focus is in the dialog', async () => (await focused()).inDialog)
    expect(await focused()).toMatchObject({ tag: 'select', id: typeId, inDialog: true })

    await dialog.getByLabel('Appointment type').selectOption(typeRef)
    const first = dialog.getByTestId('slot-finder').getByRole('button').first()
    await first.waitFor()
    await first.click()
    await dialog.getByTestId('booking-confirm').waitFor()
    await dialog.getByRole('button', { name: /^Book (this|a second) appointment$/ }).click()
    await page
      .getByTestId('toasts')
      .getByText(/^Booked: /)
      .first()
      .waitFor()
    await until('the dialog is gone', async () => (await dialog.count()) === 0)
    // Not dropped to the page: back on the button that opened the dialog.
    await until('focus is back on Book', async () => (await focused()).tag !== 'body')
    expect(await focused()).toMatchObject({ tag: 'button', text: 'Book an appointment', inDialog: false })
    await screenshotsAtSizes(page, 'desk-day-after-booking')
  })
})

describe('the audit log says whose appointment it was', () => {
  it('names the patient for a check-in, a no-show and a cancellation, in the service and on screen', async () => {
    await closeBooking()
    demo.runtime.appointments.undoWindowMs = 60_000
    // The cancelled one has a name with a letter outside plain ASCII (Yılmaz, Sørensen…): the log
    // shows surnames in capitals, and a filter typed as written or in plain letters must find it.
    const c = patients.find((id) => foldText(patientRow(id).family) !== patientRow(id).family.toLowerCase())!
    expect(c, 'a demo patient whose surname is not plain ASCII').toBeDefined()
    const [a, b] = patients.filter((id) => id !== c).slice(10, 12) as [string, string]
    const arriving = await bookAt(demo, { patientId: a, typeRef, start: minutesFromNow(10) })
    const missing = await bookAt(demo, { patientId: b, typeRef, start: minutesFromNow(-20) })
    const cancelled = await bookAt(demo, { patientId: c, typeRef, start: minutesFromNow(60) })
    await ok<AppointmentView>(demo, 'appointments.markArrived', { appointmentId: arriving })
    await ok<AppointmentView>(demo, 'appointments.markNoShow', { appointmentId: missing })
    await ok<AppointmentView>(demo, 'appointments.cancel', {
      appointmentId: cancelled,
      reason: 'Patient unwell',
    })

    // In the service: each change's own audit entry carries the patient.
    const entry = (id: string, action: string) =>
      JSON.parse(
        demo.runtime.db
          .prepare(`SELECT change FROM audit_log WHERE entity_id = ? AND action = ? AND outcome = 'queued'`)
          .pluck()
          .get(id, action) as string,
      ) as Record<string, unknown>
    for (const [id, action, patientId] of [
      [arriving, 'markArrived', a],
      [missing, 'markNoShow', b],
      [cancelled, 'cancel', c],
    ] as const) {
      const p = patientRow(patientId)
      expect(entry(id, action), action).toMatchObject({ patientId, patientName: `${p.given} ${p.family}` })
    }

    // On screen: the entry made at the desk (saved, waiting to send) names the patient, from the
    // one audit.list answer (no call per patient). From the day book, which reads no patient.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Today' }).click()
    await page.getByTestId('day-grid').waitFor()
    const calls: string[] = []
    const count = (r: { url(): string }) => {
      const m = /\/api\/call\/([\w.]+)$/.exec(r.url())
      if (m) calls.push(m[1]!)
    }
    page.on('request', count)
    await page.getByRole('button', { name: 'Audit log' }).click()
    await page.getByTestId('audit-table').waitFor()
    const rows = page.getByTestId('audit-row')
    const plain = (name: string) => foldText(name)
    expect(plain(patientRow(c).family)).not.toBe(patientRow(c).family.toLowerCase())
    for (const [words, patientId, typed] of [
      ['checked in saved', a, patientRow(a).family],
      ['no-show saved', b, patientRow(b).family],
      ['cancelled saved', c, patientRow(c).family],
      ['cancelled saved', c, plain(patientRow(c).family)],
    ] as const) {
      const p = patientRow(patientId)
      await page.getByLabel('Filter').fill(`${words} ${typed}`)
      await until(`the ${words} row for ${typed}`, async () => (await rows.count()) === 1)
      // Shown as "Given FAMILY": compared folded, as upper-casing "Yılmaz" gives "YILMAZ".
      expect(foldText((await rows.first().textContent())!)).toContain(foldText(`${p.given} ${p.family}`))
    }
    page.off('request', count)
    expect(calls.filter((c) => c === 'patients.get')).toEqual([])
    expect(calls).toContain('audit.list')
    await page.getByLabel('Filter').fill('')
    await screenshotsAtSizes(page, 'desk-day-audit')
  })

  it('logged nothing unexpected', () => {
    expect(problems).toEqual([])
  })
})

describe('the drawer while a no-show is held back', () => {
  it('says the no-show is not yet sent, offline and then online in its undo window, never that the clinic system has it', async () => {
    await closeBooking()
    demo.runtime.appointments.undoWindowMs = 120_000
    const semble = demo.runtime.sandbox!.semble.control
    const id = await bookAt(demo, { patientId: patients[20]!, typeRef, start: minutesFromNow(-15) })
    const rowsOf = () =>
      demo.runtime.db
        .prepare(`SELECT kind, state FROM outbox WHERE entity_key = ? ORDER BY seq`)
        .all(`appointment:${id}`) as { kind: string; state: string }[]
    await page.getByRole('button', { name: 'Today', exact: true }).click()
    await openCard(page, id)
    const line = drawer(page).getByTestId('drawer-sync')
    // Before: the booking is at Semble.
    await line.getByText('The clinic system has this.').waitFor()

    await semble.setOffline(true)
    const seen: string[] = []
    try {
      await page.getByRole('button', { name: 'Refresh' }).click()
      await page.getByText('Riverside Clinic is offline').first().waitFor({ timeout: 15_000 })
      await drawer(page).getByRole('button', { name: 'No-show' }).click()
      await line
        .getByText(
          /^Queued The no-show is saved here and not yet sent to Riverside Clinic; it can still be undone\./,
        )
        .waitFor()
    } finally {
      await semble.setOffline(false)
    }
    // Back online, the no-show still in its seconds for Undo: every read of the day (the
    // reconnection's, a full refresh) keeps saying it is to be sent.
    await until(
      'Riverside is back',
      async () => (await page.getByText('Riverside Clinic is offline').count()) === 0,
    )
    await page.getByRole('button', { name: 'Refresh' }).click()
    await until(
      'the drawer says it waits for Undo',
      async () => {
        const text = (await line.textContent()) ?? ''
        seen.push(text)
        return text.includes('(it waits a few seconds for Undo first)')
      },
      30_000,
    )
    for (let i = 0; i < 20; i++) {
      seen.push((await line.textContent()) ?? '')
      await new Promise((r) => setTimeout(r, 100))
    }
    expect(rowsOf().at(-1)).toEqual({ kind: 'markNoShow', state: 'pending' })
    expect(seen.filter((t) => t.includes('The clinic system has this.'))).toEqual([])
    await screenshotsAtSizes(page, 'desk-day-drawer-held')

    // Undo leaves nothing to send, and the line says the clinic system has the booking again.
    await drawer(page).getByRole('button', { name: 'Undo no-show' }).click()
    await line.getByText('The clinic system has this.').waitFor()
    expect(rowsOf().at(-1)).toEqual({ kind: 'markNoShow', state: 'discarded' })
  })

  it('logged nothing unexpected either', () => {
    // Requests refused while Semble was away are the browser's own notes, not the app's errors.
    expect(problems.filter((p) => !/Failed to load resource/.test(p))).toEqual([])
  })
})

describe('the patient card after booking', () => {
  it('shows the new appointment at once, and still after a refresh that read the day before the booking was sent', async () => {
    await closeBooking()
    // The start-up refresh is over: nothing else brings this patient's appointments meanwhile.
    await demo.runtime.refresh.refreshNow(RIVERSIDE)
    const from = demo.clock.now().toISOString()
    const to = new Date(demo.clock.now().getTime() + 3 * 86_400_000).toISOString()
    const upcomingOf = (id: string) =>
      demo.runtime.db
        .prepare(
          `SELECT count(*) FROM appointments a JOIN patients p ON p.id = ?
             WHERE (a.patient_id = p.id OR (a.connection_id = p.connection_id AND a.patient_ref = p.ref))
               AND coalesce(a.end, a.start) >= ?`,
        )
        .pluck()
        .get(id, from) as number
    const withNhs = patients.slice(30).filter((id) => patientRow(id).nhs)
    const patientId = withNhs.find((id) => upcomingOf(id) === 0) ?? withNhs[0]!
    await openPatientCard(patientId)
    const card = page.getByTestId('patient-card')
    const rows = card.getByTestId('upcoming').getByTestId('appointment-row')
    const heading = card.getByRole('heading', { name: /^Upcoming appointments/ })
    // "Upcoming appointments (n)": what the card shows before the booking.
    const shown = async () => Number(/\((\d+)\)/.exec((await heading.textContent()) ?? '')?.[1] ?? NaN)
    await heading.waitFor()
    const before = await shown()
    expect(await rows.count()).toBe(before)
    const inCopy = upcomingOf(patientId)

    // A background refresh asks Semble for the coming days (it then fetches that day's unknown
    // patients one by one before writing the list) ...
    const listedAt = demo.clock.now().toISOString()
    const list = await demo.runtime.adapters.get(RIVERSIDE).listAppointments!({ from, to })

    // ... meanwhile the receptionist books, and Semble gets it.
    await card.getByRole('button', { name: 'Book an appointment' }).click()
    const dialog = page.getByRole('dialog', { name: 'Book an appointment' })
    await dialog.getByLabel('Appointment type').selectOption(typeRef)
    const first = dialog.getByTestId('slot-finder').getByRole('button').first()
    await first.waitFor()
    await first.click()
    await dialog.getByRole('button', { name: /^Book (this|a second) appointment$/ }).click()
    await page
      .getByTestId('toasts')
      .getByText(/^Booked: /)
      .first()
      .waitFor()
    // At once, from Frontdesk's copy.
    await until('the card shows the booking', async () => (await rows.count()) === before + 1)
    const booked = demo.runtime.db
      .prepare(`SELECT entity_key AS key, state FROM outbox WHERE kind = 'book' ORDER BY seq DESC LIMIT 1`)
      .get() as { key: string; state: string }
    await until(
      'Semble has the booking',
      () =>
        demo.runtime.db
          .prepare(`SELECT state FROM outbox WHERE entity_key = ? AND kind = 'book'`)
          .pluck()
          .get(booked.key) === 'done',
    )

    // The refresh writes the days as it read them, without the booking.
    await demo.runtime.cache.replaceAppointments(RIVERSIDE, from, to, list, listedAt)
    expect(upcomingOf(patientId), 'the booking is still in the copy').toBe(inCopy + 1)

    // The card read afresh still shows it (not "No appointments booked").
    await page.getByRole('button', { name: 'Today', exact: true }).click()
    await openPatientCard(patientId)
    await heading.waitFor()
    await until('the card has read its appointments', async () => (await rows.count()) > 0)
    expect(await shown()).toBe(before + 1)
    expect(await rows.count()).toBe(before + 1)
    expect(await card.getByText(/^No appointments booked for/).count()).toBe(0)
    await screenshotsAtSizes(page, 'desk-day-card-after-booking')
  })
})
