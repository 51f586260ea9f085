/**
 * What a careful screen refuses, the services refuse too, so no caller of the contract (the
 * renderer, the browser host) gets past it: times already past or absurdly long, a practitioner or
 * location from another clinic system, a date of birth in the future or over 125 years ago, and a
 * queue action on a change that is not there. Same setup as safety-rules.test.ts: the demo clinic,
 * offline, the app's clock pinned to Monday 30 March 2026, 09:00 Europe/London (08:00Z).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Runtime } from '../../../src/main/app/runtime'
import type { ActionResult } from '../../../src/shared/contract'
import type { Result } from '../../../src/shared/result'
import { openDemoRuntime } from '../../support/demo-runtime'

const SEMBLE = 'demo-semble'
const HEALTHIE = 'demo-healthie'
let rt: Runtime
let cleanup: () => void

const queued = () => rt.db.prepare(`SELECT count(*) FROM outbox`).pluck().get() as number

const patient = (givenName: string, familyName: string, birthDate: string) =>
  rt.cache.upsertPatient({ connectionId: SEMBLE, givenName, familyName, birthDate })

const book = (input: Record<string, unknown>) =>
  rt.dispatch('appointments.book', {
    connectionId: SEMBLE,
    appointmentTypeRef: 'rv-type',
    ...input,
  }) as Promise<Result<ActionResult>>

/** A half-hour booking well ahead, for a patient of its own: its appointment id. */
async function bookedAhead(name: [string, string, string], practitionerRef: string, start: string) {
  const booked = await book({
    patientId: patient(...name),
    practitionerRef,
    start,
    end: new Date(Date.parse(start) + 30 * 60_000).toISOString(),
  })
  if (!booked.ok) throw new Error(booked.error.message)
  return booked.value.appointment.id!
}

const rebook = (appointmentId: string, practitionerRef: string, start: string) =>
  rt.dispatch('appointments.rebook', {
    appointmentId,
    reason: 'patient asked',
    booking: {
      appointmentTypeRef: 'rv-type',
      practitionerRef,
      start,
      end: new Date(Date.parse(start) + 30 * 60_000).toISOString(),
    },
  })

beforeAll(async () => {
  ;({ rt, cleanup } = await openDemoRuntime('service-refusals', {
    demoPatients: 20,
    backgroundRefresh: false,
  }))
  await rt.sandbox!.semble.control.setOffline(true)
  await rt.sandbox!.healthie.control.setOffline(true)
})

afterAll(async () => {
  await rt?.close()
  cleanup?.()
})

describe('times the screens refuse', () => {
  it('appointments.book refuses a start on a day already gone', async () => {
    const patientId = patient('Past', 'Booking', '1980-01-01')
    const before = queued()
    // The clock says 2026-03-30T08:00Z; this is yesterday morning.
    const r = await book({
      patientId,
      practitionerRef: 'rv-a',
      start: '2026-03-29T09:00:00Z',
      end: '2026-03-29T09:30:00Z',
    })
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid-input', field: 'start' } })
    expect(queued()).toBe(before)
  })

  it('appointments.reschedule refuses a move to a day already gone', async () => {
    const id = await bookedAhead(['Past', 'Move', '1980-01-02'], 'rv-b', '2027-05-03T09:00:00Z')
    const before = queued()
    const moved = await rt.dispatch('appointments.reschedule', {
      appointmentId: id,
      start: '2026-03-27T09:00:00Z',
      end: '2026-03-27T09:30:00Z',
    })
    expect(moved).toMatchObject({ ok: false, error: { code: 'invalid-input', field: 'start' } })
    expect(queued()).toBe(before)
    expect(rt.cache.appointmentRow(id)?.start).toBe('2027-05-03T09:00:00.000Z')
  })

  it('appointments.rebook refuses a new time on a day already gone, cancelling nothing', async () => {
    const id = await bookedAhead(['Past', 'Rebook', '1980-01-03'], 'rv-c', '2027-05-04T09:00:00Z')
    const r = await rebook(id, 'rv-c', '2026-03-28T09:00:00Z')
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid-input', field: 'start' } })
    expect(rt.cache.appointmentRow(id)?.status).toBe('booked')
  })

  it('appointments.book refuses an absurdly long appointment (30 days), which would block the practitioner', async () => {
    const patientId = patient('Long', 'Booking', '1980-01-04')
    const before = queued()
    const r = await book({
      patientId,
      practitionerRef: 'rv-d',
      start: '2027-06-01T09:00:00Z',
      end: '2027-07-01T09:00:00Z',
    })
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid-input', field: 'end' } })
    expect(queued()).toBe(before)
  })

  it('appointments.reschedule refuses stretching an appointment to 30 days', async () => {
    const patientId = patient('Long', 'Move', '1980-01-05')
    const booked = await book({
      patientId,
      practitionerRef: 'rv-e',
      start: '2027-05-05T09:00:00Z',
      end: '2027-05-05T09:30:00Z',
    })
    if (!booked.ok) throw new Error(booked.error.message)
    const moved = await rt.dispatch('appointments.reschedule', {
      appointmentId: booked.value.appointment.id!,
      start: '2027-05-05T09:00:00Z',
      end: '2027-06-04T09:00:00Z',
    })
    expect(moved).toMatchObject({ ok: false, error: { code: 'invalid-input', field: 'end' } })
  })
})

describe('references from another clinic system on a new booking', () => {
  beforeAll(() => {
    rt.cache.replaceReference(
      SEMBLE,
      [
        { connectionId: SEMBLE, ref: 'rv-own-a', name: 'Dr Own' },
        { connectionId: SEMBLE, ref: 'rv-own-b', name: 'Dr Other' },
      ],
      null,
      [{ connectionId: SEMBLE, ref: 'rv-site', name: 'Riverside' }],
    )
    rt.cache.replaceReference(
      HEALTHIE,
      [{ connectionId: HEALTHIE, ref: 'healthie-provider-x', name: 'Dr Elsewhere' }],
      null,
      [{ connectionId: HEALTHIE, ref: 'healthie-site-x', name: 'Elsewhere' }],
    )
  })

  it('appointments.book refuses a practitioner who is not in that clinic system, as reschedule does', async () => {
    const patientId = patient('Wrong', 'Practitioner', '1980-02-01')
    const before = queued()
    const r = await book({
      patientId,
      practitionerRef: 'healthie-provider-x',
      start: '2027-05-06T09:00:00Z',
      end: '2027-05-06T09:30:00Z',
    })
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid-input', field: 'practitionerRef' } })
    expect(queued()).toBe(before)
  })

  it('appointments.rebook refuses a practitioner who is not in that clinic system', async () => {
    const id = await bookedAhead(['Wrong', 'Rebook', '1980-02-02'], 'rv-own-a', '2027-05-07T09:00:00Z')
    const r = await rebook(id, 'healthie-provider-x', '2027-05-08T09:00:00Z')
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid-input', field: 'practitionerRef' } })
    expect(rt.cache.appointmentRow(id)?.status).toBe('booked')
  })

  it('appointments.book refuses a location that is not in that clinic system', async () => {
    const patientId = patient('Wrong', 'Location', '1980-02-03')
    const before = queued()
    const r = await book({
      patientId,
      practitionerRef: 'rv-own-b',
      locationRef: 'healthie-site-x',
      start: '2027-05-09T09:00:00Z',
      end: '2027-05-09T09:30:00Z',
    })
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid-input', field: 'locationRef' } })
    expect(queued()).toBe(before)
  })
})

describe('patients.create and the date of birth', () => {
  it('refuses a date of birth in the future, as the form does', async () => {
    const r = await rt.dispatch('patients.create', {
      connectionId: SEMBLE,
      patient: { givenName: 'Not', familyName: 'Yetborn', birthDate: '2031-05-01' },
    })
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid-input' } })
    expect(rt.db.prepare(`SELECT count(*) FROM patients WHERE family_name = 'Yetborn'`).pluck().get()).toBe(0)
  })

  it('refuses a date of birth more than 125 years ago, as the form does', async () => {
    const r = await rt.dispatch('patients.create', {
      connectionId: SEMBLE,
      patient: { givenName: 'Very', familyName: 'Oldrecord', birthDate: '1850-05-01' },
    })
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid-input' } })
  })
})

describe('queue actions on a change that does not exist', () => {
  it('answers not-found, not an internal error or a conflict', async () => {
    const missing = 987_654
    expect(await rt.dispatch('queue.retry', { seq: missing })).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    })
    expect(await rt.dispatch('queue.sendNow', { connectionId: SEMBLE, seq: missing })).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    })
    expect(await rt.dispatch('queue.discard', { seq: missing })).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    })
  })
})
