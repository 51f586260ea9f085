/**
 * Offline, visibly, as a receptionist sees it: Riverside (Semble) goes offline, a booking and a
 * cancellation wait in the queue and the banner says so; when Riverside is back each change reaches
 * it exactly once. A slot taken meanwhile at the clinic comes back as needs-attention with the
 * clinic system's reason and free alternatives, and is put right from the queue panel.
 */
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ActionResult, QueueItem } from '../../src/shared/contract'
import type { Patient, Slot } from '../../src/shared/model'
import { screenshot, seriousViolations, startDemoHost, type DemoHost } from '../support/e2e'
import { until } from '../support/until'

const CONNECTION = 'demo-semble'
let demo: DemoHost
let page: Page
let problems: string[]
let typeRef = ''
let locationRef = ''
let slots: Slot[] = []
const patients: { id: string; p: Patient }[] = []

async function call<T>(name: string, input: unknown): Promise<T> {
  const r = await demo.runtime.dispatch(name, input)
  if (!r.ok) throw new Error(`${name}: ${r.error.code} ${r.error.message}`)
  return r.value as T
}

const semble = () => demo.runtime.sandbox!.semble
const applied = (op: string, marker: string) =>
  semble()
    .control.writes()
    .filter((w) => w.operation === op && w.outcome === 'applied' && JSON.stringify(w.input).includes(marker))
const clientRefOf = (appointmentId: string) =>
  (
    demo.runtime.db
      .prepare(`SELECT client_ref FROM outbox WHERE entity_key = ? ORDER BY seq LIMIT 1`)
      .get(`appointment:${appointmentId}`) as { client_ref: string }
  ).client_ref
const queue = () => call<QueueItem[]>('queue.list', { connectionId: CONNECTION })

function takeSlot(): Slot {
  const s = slots.shift()
  if (!s) throw new Error('out of slots')
  return s
}
const bookInput = (slot: Slot, patientId: string) => ({
  connectionId: CONNECTION,
  patientId,
  appointmentTypeRef: typeRef,
  practitionerRef: slot.practitionerRef!,
  locationRef,
  start: slot.start,
  end: slot.end,
})

beforeAll(async () => {
  demo = await startDemoHost({ patients: 200, name: 'queue' })
  const adapter = demo.runtime.adapters.get(CONNECTION)
  const [types, locations, found] = await Promise.all([
    adapter.listAppointmentTypes!(),
    adapter.listLocations!(),
    adapter.findPatients!({ text: '', limit: 10 }),
  ])
  typeRef = types.find((t) => t.lengthMinutes <= 30)!.ref
  locationRef = locations[0]!.ref
  for (const p of found.slice(0, 6)) patients.push({ id: demo.runtime.cache.upsertPatient(p), p })
  const from = new Date(demo.clock.now().getTime() + 3 * 24 * 3600_000)
  const all = await adapter.findSlots!({
    from: from.toISOString(),
    to: new Date(from.getTime() + 6 * 24 * 3600_000).toISOString(),
    appointmentTypeRef: typeRef,
    locationRef,
  })
  const seen = new Set<string>()
  slots = all.filter((s) => {
    const key = `${s.practitionerRef}:${s.start.slice(0, 13)}`
    return seen.has(key) ? false : (seen.add(key), true)
  })
  // Practitioner and type names for the queue's plain words.
  await call('reference.get', { connectionId: CONNECTION })
  ;({ page, problems } = await demo.page({ bypassCSP: true }))
  await page
    .getByText('All clinic systems online')
    .waitFor({ timeout: 20_000 })
    .catch(async (e: unknown) => {
      await screenshot(page, 'queue-start-failed')
      throw new Error(`${String(e)}\n${await page.getByTestId('connection-strip').textContent()}`)
    })
})

afterAll(async () => {
  await semble()?.control.setOffline(false)
  await demo?.close()
})

describe('offline, visibly', () => {
  it('shows a booking and a cancellation waiting while Riverside is offline, then sends each exactly once', async () => {
    // A booking made earlier, already at the clinic.
    const earlier = await call<ActionResult>('appointments.book', bookInput(takeSlot(), patients[0]!.id))
    await until('sent', async () => (await queue()).length === 0)
    const earlierRef = (
      await call<{ ref: string }>('appointments.get', { appointmentId: earlier.appointment.id })
    ).ref
    expect(earlierRef).toBeTruthy()

    await semble().control.setOffline(true)
    const booked = await call<ActionResult>('appointments.book', bookInput(takeSlot(), patients[1]!.id))
    // The first send finds Riverside away; the banner says so at once.
    const banner = page.getByTestId('offline-banner')
    await banner.waitFor({ timeout: 20_000 })
    const cancelled = await call<ActionResult>('appointments.cancel', {
      appointmentId: earlier.appointment.id,
      reason: 'Patient rang to cancel',
    })
    expect(cancelled.message).toContain('will be sent when Riverside Clinic is back online')

    await until('banner counts both', async () => (await banner.textContent())!.includes('2 changes waiting'))
    const bannerText = (await banner.textContent())!
    expect(bannerText).toMatch(/Riverside Clinic is offline since \d\d:\d\d · last synced \d\d:\d\d/)
    expect(bannerText).toContain('2 changes waiting to be sent')
    // The nav badge counts them too.
    await expect(page.getByRole('button', { name: /Queue\s*2/ }).count()).resolves.toBe(1)

    await page.getByRole('button', { name: 'Open the queue' }).click()
    const group = page.getByTestId(`queue-group-${CONNECTION}`)
    await group.waitFor()
    const rows = group.getByTestId('queue-row')
    await until('two rows', async () => (await rows.count()) === 2)
    const bookRow = group.locator('[data-kind="book"]')
    const cancelRow = group.locator('[data-kind="cancel"]')
    const p1 = patients[1]!.p
    await until('patient named', async () =>
      (await bookRow.textContent())!.includes(p1.familyName.toUpperCase()),
    )
    const bookText = (await bookRow.textContent())!
    expect(bookText).toMatch(/^Book /)
    expect(bookText).toContain(`${p1.familyName.toUpperCase()}, ${p1.givenName}`)
    expect(bookText, bookText).toMatch(/Born \d{1,2} \w{3,4} \d{4}/)
    expect(bookText).toMatch(/with \S+/)
    expect(bookText).toMatch(
      /Waiting to send \((\d+ attempts?|not tried yet)\) — goes when Riverside Clinic is back online/,
    )
    const cancelText = (await cancelRow.textContent())!
    expect(cancelText).toMatch(/^Cancel /)
    expect(cancelText).toContain(patients[0]!.p.familyName.toUpperCase())
    expect(cancelText).toContain('reason: Patient rang to cancel')
    expect(await group.textContent()).toContain('Offline since')
    expect(await seriousViolations(page)).toEqual([])
    await screenshot(page, 'queue-offline')

    // Nothing reached the clinic while it was away.
    expect(applied('createBooking', clientRefOf(booked.appointment.id!))).toHaveLength(0)
    expect(applied('deleteBooking', earlierRef)).toHaveLength(0)

    await semble().control.setOffline(false)
    await page.getByText('Nothing is waiting: every change has reached its clinic system.').waitFor({
      timeout: 30_000,
    })
    await until('banner gone', async () => (await page.getByTestId('offline-banner').count()) === 0)
    await page.getByText('All clinic systems online').waitFor()
    expect(applied('createBooking', clientRefOf(booked.appointment.id!))).toHaveLength(1)
    expect(applied('deleteBooking', earlierRef)).toHaveLength(1)
  })

  it('shows a slot taken meanwhile as needs-attention and books another time from the queue', async () => {
    const slot = takeSlot()
    const patient = patients[2]!
    // Someone at the clinic books the slot directly in Semble; Frontdesk's copy does not know yet.
    const direct = await demo.runtime.adapters.get(CONNECTION).book!({
      clientRef: 'someone-else',
      patientRef: patients[3]!.p.ref!,
      appointmentTypeRef: typeRef,
      practitionerRef: slot.practitionerRef!,
      locationRef,
      start: slot.start,
      end: slot.end,
    })
    expect(direct.ref).toBeTruthy()
    await semble().control.setOffline(true)
    const mine = await call<ActionResult>('appointments.book', bookInput(slot, patient.id))
    await semble().control.setOffline(false)

    await page.getByRole('button', { name: /^Queue/ }).click()
    const row = page.locator('[data-testid="queue-row"][data-state="needs-attention"]')
    await row.waitFor({ timeout: 30_000 })
    await until('patient named', async () =>
      (await row.textContent())!.includes(patient.p.familyName.toUpperCase()),
    )
    expect(await row.getByTestId('queue-state').textContent()).toMatch(
      /^Needs attention: that time is no longer free \(\d+ attempts?\)$/,
    )
    expect(await row.getByTestId('queue-reason').textContent()).toMatch(/^Riverside Clinic said: .+/)
    // The banner says so while the connection is online.
    expect(await page.getByTestId('attention-banner').textContent()).toContain(
      '1 change for Riverside Clinic needs attention',
    )

    await row.getByRole('button', { name: 'Edit: choose another time' }).click()
    const choices = row.getByRole('radio')
    expect(await choices.count()).toBeGreaterThan(0)
    const firstLabel = (await row.locator('.slot-choice').first().textContent())!
    await choices.first().check()
    expect(await row.locator('.queue-confirm-text').textContent()).toContain(
      `This will book ${patient.p.givenName} ${patient.p.familyName.toUpperCase()} for ${firstLabel}`,
    )
    expect(await seriousViolations(page)).toEqual([])
    await screenshot(page, 'queue-conflict')
    await row.getByRole('button', { name: 'Book this time' }).click()

    await page.getByText('Nothing is waiting: every change has reached its clinic system.').waitFor({
      timeout: 30_000,
    })
    await expect(page.getByTestId('toasts').textContent()).resolves.toMatch(
      /Booked: .+ The booking that could not be sent was removed\./,
    )
    // The failed booking is rolled back; the new one reached the clinic exactly once.
    const gone = await demo.runtime.dispatch('appointments.get', { appointmentId: mine.appointment.id })
    expect(gone).toMatchObject({ ok: false, error: { code: 'not-found' } })
    expect(applied('createBooking', clientRefOf(mine.appointment.id!))).toHaveLength(0)
    const replacement = demo.runtime.db
      .prepare(
        `SELECT client_ref, payload FROM outbox WHERE connection_id = ? AND kind = 'book' AND state = 'done' ORDER BY seq DESC LIMIT 1`,
      )
      .get(CONNECTION) as { client_ref: string; payload: string }
    expect(JSON.parse(replacement.payload)).toMatchObject({ patientId: patient.id })
    expect(applied('createBooking', replacement.client_ref)).toHaveLength(1)
    expect(problems).toEqual([])
  })
})
