/**
 * Safety rules that live in the services, so every caller meets them, not only the screens that
 * ask first: a likely duplicate patient and a second appointment overlapping the patient's own are
 * refused until the request says a person has looked (`confirmDuplicate`, `confirmOverlap`).
 * Through the contract, on a real encrypted SQLite file and the demo clinic (sending held back).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Runtime } from '../../../src/main/app/runtime'
import type { ActionResult, AuditEntry } from '../../../src/shared/contract'
import type { Patient } from '../../../src/shared/model'
import type { Result } from '../../../src/shared/result'
import { openDemoRuntime } from '../../support/demo-runtime'

const SEMBLE = 'demo-semble'
const HEALTHIE = 'demo-healthie'
let rt: Runtime
let cleanup: () => void

type Created = { patient: Patient; message: string }
const create = (connectionId: string, patient: Record<string, string>, confirmDuplicate?: boolean) =>
  rt.dispatch('patients.create', {
    connectionId,
    patient,
    ...(confirmDuplicate === undefined ? {} : { confirmDuplicate }),
  }) as Promise<Result<Created>>

beforeAll(async () => {
  ;({ rt, cleanup } = await openDemoRuntime('safety-rules', { demoPatients: 20, backgroundRefresh: false }))
  // Offline: every write stays in Frontdesk's copy, so what the rules see is only what the tests made.
  await rt.sandbox!.semble.control.setOffline(true)
  await rt.sandbox!.healthie.control.setOffline(true)
})

afterAll(async () => {
  await rt?.close()
  cleanup?.()
})

describe('patients.create and likely duplicates', () => {
  it('refuses a same-name-and-date-of-birth duplicate without confirmDuplicate', async () => {
    const first = await create(SEMBLE, { givenName: 'Ada', familyName: 'Lovelace', birthDate: '1985-12-10' })
    expect(first.ok, JSON.stringify(first)).toBe(true)
    const again = await create(SEMBLE, {
      givenName: ' ada ',
      familyName: 'LOVELACE',
      birthDate: '1985-12-10',
    })
    expect(again).toMatchObject({
      ok: false,
      error: { code: 'needs-confirmation', field: 'confirmDuplicate', retryable: false },
    })
    if (!again.ok)
      expect(again.error.message).toMatch(
        /^ada LOVELACE may already be registered at Riverside Clinic: Ada Lovelace, born 1985-12-10 \(same name and date of birth\)\./,
      )
    const count = () =>
      (
        rt.db
          .prepare(`SELECT count(*) AS n FROM patients WHERE connection_id = ? AND birth_date = '1985-12-10'`)
          .get(SEMBLE) as { n: number }
      ).n
    expect(count()).toBe(1)

    const confirmed = await create(
      SEMBLE,
      { givenName: 'Ada', familyName: 'Lovelace', birthDate: '1985-12-10' },
      true,
    )
    expect(confirmed.ok, JSON.stringify(confirmed)).toBe(true)
    expect(count()).toBe(2)
    // The audit log says the person confirmed it was someone else, and who it was checked against.
    const audit = (await rt.dispatch('audit.list', { limit: 50 })) as Result<AuditEntry[]>
    const entry = audit.ok
      ? audit.value.find(
          (e) => confirmed.ok && e.entityId === confirmed.value.patient.id && e.action === 'createPatient',
        )
      : undefined
    expect(JSON.parse(entry?.change ?? '{}')).toMatchObject({
      confirmedNotDuplicateOf: [first.ok ? first.value.patient.id : ''],
    })
  })

  it('compares names without case, accents or punctuation', async () => {
    expect(
      (await create(SEMBLE, { givenName: 'Zoë', familyName: "O'Brien", birthDate: '1990-02-03' })).ok,
    ).toBe(true)
    expect(
      await create(SEMBLE, { givenName: 'zoe', familyName: 'OBrien', birthDate: '1990-02-03' }),
    ).toMatchObject({ ok: false, error: { code: 'needs-confirmation' } })
    expect(
      await create(SEMBLE, { givenName: 'Zoe', familyName: 'O Brien', birthDate: '1990-02-03' }),
    ).toMatchObject({ ok: false, error: { code: 'needs-confirmation' } })
  })

  it('treats the same NHS number under another name as a likely duplicate', async () => {
    expect(
      (
        await create(SEMBLE, {
          givenName: 'Grace',
          familyName: 'Hopper',
          birthDate: '1976-12-09',
          nhsNumber: '943 476 5919',
        })
      ).ok,
    ).toBe(true)
    const other = await create(SEMBLE, {
      givenName: 'Amazing',
      familyName: 'Grace',
      birthDate: '1976-09-12',
      nhsNumber: '9434765919',
    })
    expect(other).toMatchObject({
      ok: false,
      error: { code: 'needs-confirmation', field: 'confirmDuplicate' },
    })
    if (!other.ok) expect(other.error.message).toContain('NHS number 943 476 5919 (same NHS number)')
  })

  it('does not call another birth date or another clinic a duplicate', async () => {
    expect(
      (await create(SEMBLE, { givenName: 'Alan', familyName: 'Turing', birthDate: '1982-06-23' })).ok,
    ).toBe(true)
    expect(
      (await create(SEMBLE, { givenName: 'Alan', familyName: 'Turing', birthDate: '1982-06-24' })).ok,
    ).toBe(true)
    expect(
      (await create(HEALTHIE, { givenName: 'Alan', familyName: 'Turing', birthDate: '1982-06-23' })).ok,
    ).toBe(true)
  })
})

describe('booking a patient who already has an appointment then', () => {
  const book = (
    patientId: string,
    practitionerRef: string,
    start: string,
    end: string,
    confirmOverlap?: boolean,
  ) =>
    rt.dispatch('appointments.book', {
      connectionId: SEMBLE,
      patientId,
      appointmentTypeRef: 'sr-type',
      practitionerRef,
      start,
      end,
      ...(confirmOverlap === undefined ? {} : { confirmOverlap }),
    }) as Promise<Result<ActionResult>>

  it('is refused without confirmOverlap, whoever the practitioner', async () => {
    const patientId = rt.cache.upsertPatient({
      connectionId: SEMBLE,
      givenName: 'Mary',
      familyName: 'Seacole',
      birthDate: '1970-11-23',
    })
    const first = await book(patientId, 'sr-a', '2027-06-10T09:00:00Z', '2027-06-10T09:30:00Z')
    expect(first.ok, JSON.stringify(first)).toBe(true)
    // The same moment written with an offset is still an overlap.
    const second = await book(patientId, 'sr-b', '2027-06-10T10:15:00+01:00', '2027-06-10T10:45:00+01:00')
    expect(second).toMatchObject({
      ok: false,
      error: { code: 'needs-confirmation', field: 'confirmOverlap' },
    })
    if (!second.ok)
      expect(second.error.message).toBe(
        'Mary Seacole already has an appointment then (10:00–10:30). Book a second one only if that is intended.',
      )
    // Back to back is not an overlap.
    expect((await book(patientId, 'sr-b', '2027-06-10T09:30:00.000Z', '2027-06-10T10:00:00.000Z')).ok).toBe(
      true,
    )
    const confirmed = await book(patientId, 'sr-b', '2027-06-10T09:15:00Z', '2027-06-10T09:20:00Z', true)
    expect(confirmed.ok, JSON.stringify(confirmed)).toBe(true)
    // What is sent to the clinic system carries no trace of the flag.
    if (confirmed.ok) {
      const payload = (
        rt.db
          .prepare(`SELECT payload FROM outbox WHERE entity_key = ?`)
          .get(`appointment:${confirmed.value.appointment.id}`) as { payload: string }
      ).payload
      expect(payload).not.toContain('confirmOverlap')
    }
  })

  it('refuses a patient from another clinic system', async () => {
    const elsewhere = rt.cache.upsertPatient({
      connectionId: HEALTHIE,
      givenName: 'Edith',
      familyName: 'Cavell',
      birthDate: '1965-12-04',
    })
    expect(await book(elsewhere, 'sr-e', '2027-06-12T09:00:00Z', '2027-06-12T09:30:00Z')).toMatchObject({
      ok: false,
      error: {
        code: 'not-found',
        field: 'patientId',
        message: 'Choose the patient again: that record is not in this clinic.',
      },
    })
  })

  it('ignores a cancelled appointment', async () => {
    const patientId = rt.cache.upsertPatient({
      connectionId: SEMBLE,
      givenName: 'Florence',
      familyName: 'Nightingale',
      birthDate: '1971-05-12',
    })
    const first = await book(patientId, 'sr-c', '2027-06-11T09:00:00Z', '2027-06-11T09:30:00Z')
    if (!first.ok) throw new Error(first.error.message)
    const cancelled = await rt.dispatch('appointments.cancel', {
      appointmentId: first.value.appointment.id,
      reason: 'patient asked',
    })
    expect(cancelled.ok).toBe(true)
    expect((await book(patientId, 'sr-d', '2027-06-11T09:00:00Z', '2027-06-11T09:30:00Z')).ok).toBe(true)
  })
})

describe('moving an appointment to another practitioner', () => {
  it('refuses one who is not in that clinic system, queueing nothing', async () => {
    rt.cache.replaceReference(
      SEMBLE,
      [
        { connectionId: SEMBLE, ref: 'mv-a', name: 'Dr Able' },
        { connectionId: SEMBLE, ref: 'mv-b', name: 'Dr Baker' },
      ],
      null,
      null,
    )
    const patientId = rt.cache.upsertPatient({
      connectionId: SEMBLE,
      givenName: 'Elizabeth',
      familyName: 'Garrett',
      birthDate: '1966-06-09',
    })
    const booked = await rt.dispatch('appointments.book', {
      connectionId: SEMBLE,
      patientId,
      appointmentTypeRef: 'sr-type',
      practitionerRef: 'mv-a',
      start: '2027-06-14T09:00:00Z',
      end: '2027-06-14T09:30:00Z',
    })
    if (!booked.ok) throw new Error(booked.error.message)
    const appointmentId = (booked.value as ActionResult).appointment.id!
    const queued = () => rt.db.prepare(`SELECT count(*) FROM outbox`).pluck().get()
    const before = queued()
    const move = (practitionerRef: string) =>
      rt.dispatch('appointments.reschedule', {
        appointmentId,
        start: '2027-06-14T11:00:00Z',
        end: '2027-06-14T11:30:00Z',
        practitionerRef,
      })
    // A Healthie practitioner's lane, say: not one of Semble's.
    expect(await move('healthie-provider-1')).toMatchObject({
      ok: false,
      error: { code: 'invalid-input', field: 'practitionerRef' },
    })
    expect(queued()).toBe(before)
    expect(rt.cache.appointmentRow(appointmentId)?.start).toBe('2027-06-14T09:00:00.000Z')
    // One of its own is moved to.
    expect((await move('mv-b')).ok).toBe(true)
  })
})
