/**
 * The services behind the booking flow, the patient card, the Hero trace and the settings screen,
 * through the contract, against the demo clinic's simulators over real HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Runtime } from '../../../src/main/app/runtime'
import type { ReferenceData, SlotView, TraceOutcome } from '../../../src/shared/contract'
import { TEST_START } from '../../support/clock'
import { openDemoRuntime } from '../../support/demo-runtime'

let rt: Runtime
let cleanup: () => void

async function ok<T>(name: string, input: unknown): Promise<T> {
  const r = await rt.dispatch(name, input)
  if (!r.ok) throw new Error(`${name}: ${r.error.code} ${r.error.message}`)
  return r.value as T
}

beforeAll(async () => {
  ;({ rt, cleanup } = await openDemoRuntime('services', { demoPatients: 120 }))
})

afterAll(async () => {
  await rt?.close()
  cleanup?.()
})

describe('reference data and free slots', () => {
  it('fills the cache from the vendor and answers the next free slots, soonest first', async () => {
    const ref = await ok<ReferenceData>('reference.get', { connectionId: 'demo-healthie' })
    expect(ref.appointmentTypes.length).toBeGreaterThan(0)
    expect(ref.practitioners.length).toBeGreaterThan(0)
    const slots = await ok<SlotView[]>('slots.find', {
      connectionId: 'demo-healthie',
      appointmentTypeRef: ref.appointmentTypes[0]!.ref,
      limit: 10,
    })
    expect(slots.length).toBeGreaterThan(0)
    const starts = slots.map((s) => Date.parse(s.start))
    expect([...starts].sort((a, b) => a - b)).toEqual(starts)
    expect(starts[0]).toBeGreaterThanOrEqual(TEST_START.getTime())
    expect(slots[0]!.practitionerName).toBeTruthy()
  })

  it('says plainly when the vendor is away and Frontdesk has no copy of its free slots', async () => {
    const ref = await ok<ReferenceData>('reference.get', { connectionId: 'demo-semble' })
    rt.db.prepare(`DELETE FROM slot_coverage WHERE connection_id = 'demo-semble'`).run()
    rt.db.prepare(`DELETE FROM slot_cache WHERE connection_id = 'demo-semble'`).run()
    await rt.sandbox!.semble.control.setOffline(true)
    try {
      const r = await rt.dispatch('slots.find', {
        connectionId: 'demo-semble',
        appointmentTypeRef: ref.appointmentTypes[0]!.ref,
      })
      expect(r, JSON.stringify(r)).toMatchObject({ ok: false, error: { code: 'offline' } })
      // The cached reference data still answers.
      expect(
        (await ok<ReferenceData>('reference.get', { connectionId: 'demo-semble' })).appointmentTypes.length,
      ).toBeGreaterThan(0)
    } finally {
      await rt.sandbox!.semble.control.setOffline(false)
    }
  })
})

describe("the vendor's booking warnings", () => {
  it('come from Healthie for a taken time, and are empty for a free one or a vendor without them', async () => {
    const ref = await ok<ReferenceData>('reference.get', { connectionId: 'demo-healthie' })
    const type = ref.appointmentTypes[0]!.ref
    const [slot] = await ok<SlotView[]>('slots.find', {
      connectionId: 'demo-healthie',
      appointmentTypeRef: type,
      limit: 1,
    })
    const ask = () =>
      ok<string[]>('appointments.warnings', {
        connectionId: 'demo-healthie',
        practitionerRef: slot!.practitionerRef!,
        appointmentTypeRef: type,
        start: slot!.start,
      })
    expect(await ask()).toEqual([])
    const adapter = rt.adapters.get('demo-healthie')
    const [someone] = await adapter.findPatients!({ text: '', limit: 1 })
    await adapter.book!({
      clientRef: 'taken-meanwhile',
      patientRef: someone!.ref!,
      appointmentTypeRef: type,
      practitionerRef: slot!.practitionerRef!,
      ...(ref.locations[0] ? { locationRef: ref.locations[0].ref } : {}),
      start: slot!.start,
      end: slot!.end,
    })
    const warnings = await ask()
    expect(warnings.length).toBe(1)
    expect(warnings[0]).toMatch(/conflicting event/)

    const semble = await ok<ReferenceData>('reference.get', { connectionId: 'demo-semble' })
    const none = await ok<string[]>('appointments.warnings', {
      connectionId: 'demo-semble',
      practitionerRef: semble.practitioners[0]!.ref,
      appointmentTypeRef: semble.appointmentTypes[0]!.ref,
      start: slot!.start,
    })
    expect(none).toEqual([])
  })
})

describe('the Hero PDS trace', () => {
  it('finds a patient, asks for identity verification, or finds nobody', async () => {
    const hero = rt.sandbox!.hero.control.state
    const people = rt.sandbox!.clinics.hero.patients
    const verifying = people.find((p) => hero.identityCheck.has(p.nhsNumber))!
    const plain = people.find((p) => !hero.identityCheck.has(p.nhsNumber))!

    const found = await ok<TraceOutcome>('patients.trace', {
      connectionId: 'demo-hero',
      nhsNumber: plain.nhsNumber.replace(/(\d{3})(\d{3})(\d{4})/, '$1 $2 $3'),
      birthDate: plain.birthDate,
    })
    expect(found.outcome).toBe('found')
    if (found.outcome === 'found') {
      expect(found.patient).toMatchObject({
        nhsNumber: plain.nhsNumber,
        birthDate: plain.birthDate,
        connectionId: 'demo-hero',
      })
      expect(found.patient.ref).toBeTruthy()
    }
    const byName = await ok<TraceOutcome>('patients.trace', {
      connectionId: 'demo-hero',
      givenName: plain.givenName,
      familyName: plain.familyName,
      birthDate: plain.birthDate,
      postcode: plain.address.postcode,
    })
    expect(byName.outcome).toBe('found')

    const verify = await ok<TraceOutcome>('patients.trace', {
      connectionId: 'demo-hero',
      nhsNumber: verifying.nhsNumber,
      birthDate: verifying.birthDate,
    })
    expect(verify).toMatchObject({
      outcome: 'must-verify-identity',
      loginUrl: expect.stringMatching(/^https:\/\//),
    })

    const nobody = await ok<TraceOutcome>('patients.trace', {
      connectionId: 'demo-hero',
      nhsNumber: '999 000 0026',
      birthDate: '1950-01-01',
    })
    expect(nobody.outcome).toBe('not-found')
  })

  it('refuses a wrong check digit and an incomplete name trace before asking Hero', async () => {
    const requests = rt.sandbox!.hero.control.requestCount()
    const bad = await rt.dispatch('patients.trace', {
      connectionId: 'demo-hero',
      nhsNumber: '943 476 5918',
      birthDate: '1980-01-01',
    })
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-input', field: 'nhsNumber' } })
    const partial = await rt.dispatch('patients.trace', {
      connectionId: 'demo-hero',
      givenName: 'Ada',
      birthDate: '1980-01-01',
    })
    expect(partial).toMatchObject({ ok: false, error: { code: 'invalid-input' } })
    expect(rt.sandbox!.hero.control.requestCount()).toBe(requests)
  })

  it('is refused for vendors that search instead', async () => {
    const r = await rt.dispatch('patients.trace', {
      connectionId: 'demo-semble',
      nhsNumber: '943 476 5919',
      birthDate: '1980-01-01',
    })
    expect(r).toMatchObject({ ok: false, error: { code: 'vendor-rejected' } })
  })
})

describe('connections from the settings screen', () => {
  it('validates the time zone and address, saves, and removes with its secrets', async () => {
    const badZone = await rt.dispatch('connections.save', {
      vendor: 'heim',
      label: 'Test',
      baseUrl: 'https://api.heim.health',
      timeZone: 'Europe/Londn',
    })
    expect(badZone).toMatchObject({ ok: false, error: { code: 'invalid-input', field: 'timeZone' } })
    const plainHttp = await rt.dispatch('connections.save', {
      vendor: 'heim',
      label: 'Test',
      baseUrl: 'http://api.heim.health',
      timeZone: 'Europe/London',
    })
    expect(plainHttp).toMatchObject({ ok: false, error: { code: 'invalid-input', field: 'baseUrl' } })

    const saved = await ok<{ id: string; locale: string }>('connections.save', {
      vendor: 'heim',
      label: 'Heim (Leeds)',
      baseUrl: 'https://api.heim.health',
      timeZone: 'Europe/London',
    })
    expect(saved.locale).toBe('en-GB')
    await ok('credentials.set', { connectionId: saved.id, fields: { apiKey: 'test_abc' } })
    const changed = await rt.dispatch('connections.save', {
      id: saved.id,
      vendor: 'hero',
      label: 'x',
      baseUrl: 'https://a.b',
      timeZone: 'Europe/London',
    })
    expect(changed).toMatchObject({ ok: false, error: { field: 'vendor' } })

    await ok('connections.remove', { connectionId: saved.id })
    expect((await ok<{ id: string }[]>('connections.list', {})).map((c) => c.id)).not.toContain(saved.id)
    expect(await rt.secrets.get(`connection:${saved.id}:apiKey`)).toBeNull()
  })
})
