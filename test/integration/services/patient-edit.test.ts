/**
 * Correcting a patient's contact details: through the contract, against the demo clinic's
 * simulators over real HTTP, online and offline, with the outbox's guarantees (sent once, kept
 * while unsent, put back on discard) and the vendor's limits said plainly.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Runtime } from '../../../src/main/app/runtime'
import type { QueueItem, ReferenceData } from '../../../src/shared/contract'
import type { Patient } from '../../../src/shared/model'
import { upsertPatients } from '../../../src/main/search'
import { openDemoRuntime } from '../../support/demo-runtime'
import { until } from '../../support/until'

const SEMBLE = 'demo-semble'
let rt: Runtime
let cleanup: () => void

async function ok<T>(name: string, input: unknown): Promise<T> {
  const r = await rt.dispatch(name, input)
  if (!r.ok) throw new Error(`${name}: ${r.error.code} ${r.error.message}`)
  return r.value as T
}

/** Cached patients of a connection that the clinic system has (a vendor id). */
function patientsOf(connectionId: string, n: number): { id: string; ref: string; phone: string | null }[] {
  return rt.db
    .prepare(
      `SELECT id, ref, phone FROM patients WHERE connection_id = ? AND ref IS NOT NULL ORDER BY family_name, id LIMIT ?`,
    )
    .all(connectionId, n) as { id: string; ref: string; phone: string | null }[]
}

const rowsOf = (patientId: string) =>
  rt.db
    .prepare(`SELECT seq, kind, state FROM outbox WHERE entity_key = ? ORDER BY seq`)
    .all(`patient:${patientId}`) as { seq: number; kind: string; state: string }[]

const semblePatient = (ref: string) => rt.sandbox!.semble.control.state.patients.get(ref)!

beforeAll(async () => {
  ;({ rt, cleanup } = await openDemoRuntime('patient-edit', { demoPatients: 60 }))
  await until('the Semble patients in the copy', async () => patientsOf(SEMBLE, 10).length === 10)
})

afterAll(async () => {
  await rt?.close()
  cleanup?.()
})

describe('what each clinic system lets Frontdesk change', () => {
  it('is in the reference data: Semble phone and NHS number, Healthie all four, Hero and Heim none, with why', async () => {
    const fields = async (connectionId: string) =>
      (await ok<ReferenceData>('reference.get', { connectionId })).capabilities
    expect((await fields(SEMBLE)).patientFields).toEqual(['phone', 'nhsNumber'])
    expect((await fields('demo-healthie')).patientFields).toEqual(['phone', 'email', 'nhsNumber', 'address'])
    for (const c of ['demo-hero', 'demo-heim']) {
      const caps = await fields(c)
      expect(caps.patientFields, c).toEqual([])
      expect(caps.notes.updatePatient, c).toMatch(/change (the )?details in/)
    }
  })

  it('refuses, before anything is queued, a detail the clinic system cannot change, and a wrong NHS number', async () => {
    const [p] = patientsOf(SEMBLE, 1)
    const before = rowsOf(p!.id).length
    const email = await rt.dispatch('patients.update', {
      patientId: p!.id,
      changes: { email: 'new.address@example.org' },
    })
    expect(email).toMatchObject({
      ok: false,
      error: {
        code: 'vendor-rejected',
        field: 'changes.email',
        message: expect.stringMatching(/email.*in Riverside/i),
      },
    })
    const nhs = await rt.dispatch('patients.update', {
      patientId: p!.id,
      changes: { nhsNumber: '943 476 5918' },
    })
    expect(nhs).toMatchObject({ ok: false, error: { code: 'invalid-input', field: 'changes.nhsNumber' } })
    const phone = await rt.dispatch('patients.update', {
      patientId: p!.id,
      changes: { phone: 'not a phone' },
    })
    expect(phone).toMatchObject({ ok: false, error: { code: 'invalid-input', field: 'changes.phone' } })
    const nothing = await rt.dispatch('patients.update', { patientId: p!.id, changes: {} })
    expect(nothing).toMatchObject({ ok: false, error: { code: 'invalid-input' } })
    expect(rowsOf(p!.id)).toHaveLength(before)
  })
})

describe('Semble, online', () => {
  it('adds the new phone and sets the NHS number, shows them on the card, and logs who changed what', async () => {
    const [, p] = patientsOf(SEMBLE, 2)
    const answer = await ok<{ patient: Patient; message: string }>('patients.update', {
      patientId: p!.id,
      changes: { phone: '07700 900461', nhsNumber: '943 476 5919' },
    })
    expect(answer.patient).toMatchObject({ phone: '+447700900461', nhsNumber: '9434765919' })
    expect(answer.message).toMatch(/^Details changed: .* \(phone, NHS number\)/)
    await until('the edit sent', async () => rowsOf(p!.id).at(-1)?.state === 'done')
    const at = semblePatient(p!.ref)
    expect(at.phones.at(-1)).toMatchObject({ phoneType: 'Mobile', phoneNumber: '+447700900461' })
    expect(at.numbers.filter((n) => /nhs/i.test(n.name)).map((n) => n.value)).toEqual(['9434765919'])
    expect(await ok<Patient>('patients.get', { patientId: p!.id })).toMatchObject({
      phone: '+447700900461',
      nhsNumber: '9434765919',
    })
    const audit = rt.db
      .prepare(
        `SELECT change FROM audit_log WHERE entity_id = ? AND action = 'updatePatient' AND outcome = 'queued'`,
      )
      .pluck()
      .get(p!.id) as string
    expect(JSON.parse(audit)).toMatchObject({
      patientId: p!.id,
      changes: { phone: { from: p!.phone, to: '+447700900461' }, nhsNumber: { to: '9434765919' } },
    })
  })

  it('sent twice, leaves the record as once: one new phone, one NHS number', async () => {
    const [, , p] = patientsOf(SEMBLE, 3)
    for (let i = 0; i < 2; i++) {
      await ok('patients.update', {
        patientId: p!.id,
        changes: { phone: '07700 900462', nhsNumber: '4010232137' },
      })
      await until(`edit ${i + 1} sent`, async () => rowsOf(p!.id).every((r) => r.state === 'done'))
    }
    const at = semblePatient(p!.ref)
    expect(at.phones.filter((x) => x.phoneNumber === '+447700900462')).toHaveLength(1)
    expect(at.numbers.filter((n) => /nhs/i.test(n.name)).map((n) => n.value)).toEqual(['4010232137'])
  })
})

describe('Semble, offline', () => {
  it('keeps the edit on the card through a refresh, and sends it once when Semble is back', async () => {
    const [, , , p] = patientsOf(SEMBLE, 4)
    const semble = rt.sandbox!.semble.control
    await semble.setOffline(true)
    try {
      const answer = await ok<{ patient: Patient; message: string }>('patients.update', {
        patientId: p!.id,
        changes: { phone: '07700 900463' },
      })
      expect(answer.patient.phone).toBe('+447700900463')
      expect(answer.message).toMatch(/sending to Riverside|when Riverside .* is back/i)
      const queued = rowsOf(p!.id).at(-1)!
      expect(queued.kind).toBe('updatePatient')
      expect(['pending', 'sending']).toContain(queued.state)
      // The background refresh brings Semble's record with another phone: the unsent edit stays.
      const row = rt.db
        .prepare(`SELECT given_name AS g, family_name AS f, birth_date AS b FROM patients WHERE id = ?`)
        .get(p!.id) as { g: string; f: string; b: string }
      upsertPatients(
        rt.db,
        [
          {
            ref: p!.ref,
            connectionId: SEMBLE,
            givenName: row.g,
            familyName: row.f,
            birthDate: row.b,
            phone: '+447700900000',
          },
        ],
        new Date().toISOString(),
      )
      expect((await ok<Patient>('patients.get', { patientId: p!.id })).phone).toBe('+447700900463')
    } finally {
      await semble.setOffline(false)
    }
    await ok('queue.sendNow', { connectionId: SEMBLE })
    await until('the edit sent', async () => rowsOf(p!.id).at(-1)?.state === 'done')
    expect(semblePatient(p!.ref).phones.filter((x) => x.phoneNumber === '+447700900463')).toHaveLength(1)
  })

  it('discarded before it is sent, puts the card back as it was and sends nothing', async () => {
    const [, , , , p] = patientsOf(SEMBLE, 5)
    const semble = rt.sandbox!.semble.control
    const phonesBefore = semblePatient(p!.ref).phones.length
    await semble.setOffline(true)
    try {
      // Frontdesk notices first (a read on a connection the simulator just dropped could leave the
      // write's own outcome unknown, and such a change rightly cannot be discarded).
      await rt.sync.probe(SEMBLE)
      await ok('patients.update', { patientId: p!.id, changes: { phone: '07700 900464' } })
      await until('the edit waits to be sent', async () => rowsOf(p!.id).at(-1)?.state === 'pending')
      const seq = rowsOf(p!.id).at(-1)!.seq
      await ok<QueueItem[]>('queue.discard', { seq })
      expect((await ok<Patient>('patients.get', { patientId: p!.id })).phone ?? null).toBe(p!.phone)
    } finally {
      await semble.setOffline(false)
    }
    await ok('queue.sendNow', { connectionId: SEMBLE })
    expect(semblePatient(p!.ref).phones).toHaveLength(phonesBefore)
  })
})
