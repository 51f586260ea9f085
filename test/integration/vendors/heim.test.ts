/**
 * The Heim adapter over real HTTP against the Heim simulator: patients, tasks, windows, visits with
 * and without a window, cancellation and no-show (once only), reconciliation by externalReference,
 * and every fault mode.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  ManualClock,
  seedClinic,
  startHeimSimulator,
  type HeimState,
  type SimulatorHandle,
} from '../../../src/sandbox'
import type { HttpClient } from '../../../src/main/vendors/http/client'
import type { HeimAdapter } from '../../../src/main/vendors/heim/adapter'
import { dayRange } from '../../../src/main/vendors/normalise'
import { createAdapter } from '../../../src/main/vendors/registry'
import type { BookRequest, VendorAdapter } from '../../../src/main/vendors/types'
import type { Patient, Slot } from '../../../src/shared/model'
import { clientOn, connectionFor, expectKind, recordingLogger, sleep } from './support'
import { until } from '../../support/until'

const ZONE = 'Europe/London'
const clock = new ManualClock(new Date('2026-03-27T08:00:00.000Z'))
const MONDAY = '2026-03-30'

let sim: SimulatorHandle<HeimState>
let http: HttpClient
let adapter: HeimAdapter
const logged = recordingLogger()

const requests = () => sim.control.requestCount()
const writesOf = (op: string) => sim.control.writes().filter((w) => w.operation === op)
let seq = 0
const newRef = () => `00000000-0000-4000-8000-${String(++seq).padStart(12, '0')}`

function make(credentials: Record<string, string>, baseUrl = sim.url) {
  return createAdapter(connectionFor('heim', baseUrl), {
    http,
    readCredentials: async () => credentials,
    log: logged.log,
    now: () => clock.now(),
  }) as HeimAdapter
}

beforeAll(async () => {
  sim = await startHeimSimulator(seedClinic({ patients: 50, today: clock.now(), timeZone: ZONE }), { clock })
  http = clientOn(clock, {}, logged.log)
  adapter = make({ apiKey: sim.credentials.apiKey! })
})

afterEach(() => sim.control.clearFaults())

afterAll(async () => {
  await sim.close()
  await http.close()
  expect(logged.text()).not.toContain(sim.credentials.apiKey)
})

let task: string
let patients: Patient[] = []
async function patient(i: number): Promise<Patient> {
  if (!patients.length) {
    const ids = [...sim.control.state.patients.values()].slice(0, 10).map((p) => p.id)
    patients = await Promise.all(ids.map((id) => adapter.getPatient(id)))
  }
  return patients[i % patients.length]!
}

async function windows(p: Patient): Promise<Slot[]> {
  task ??= (await adapter.listAppointmentTypes())[0]!.ref
  const { start } = dayRange(MONDAY, ZONE)
  const { end } = dayRange('2026-04-01', ZONE)
  return adapter.findSlots({ from: start, to: end, appointmentTypeRef: task, postcode: p.postcode! })
}

async function visit(i: number, withWindow = true): Promise<BookRequest> {
  let p = await patient(i)
  let open = await windows(p)
  // Heim covers some postcode areas only: take the next patient who lives in one.
  for (let k = 1; withWindow && !open.length && k < 10; k++) {
    p = await patient(i + k)
    open = await windows(p)
  }
  const w = withWindow ? open[i % open.length]! : undefined
  return {
    clientRef: newRef(),
    patientRef: p.ref!,
    appointmentTypeRef: task,
    start: w?.start ?? '',
    end: w?.end ?? '',
    ...(w ? { slotToken: w.token! } : {}),
    note: 'Key safe code 1234',
  }
}

describe('Heim adapter: capabilities and auth', () => {
  it('accepts the base URL with or without /v1 (as Heim documents it) and a trailing slash', async () => {
    const key = { apiKey: sim.credentials.apiKey! }
    const someone = [...sim.control.state.patients.values()][0]!.id
    for (const base of [sim.url, `${sim.url}/`, `${sim.url}/v1`, `${sim.url}/v1/`]) {
      const a = make(key, base)
      expect((await a.listAppointmentTypes()).length, base).toBeGreaterThan(0)
      expect((await a.getPatient(someone)).ref, base).toBe(someone)
    }
  })

  it('has patients, tasks, windows, booking, cancel and no-show; no practitioners, rooms, arrival or reschedule', () => {
    const ops = adapter.capabilities.operations
    for (const op of [
      'findPatients',
      'getPatient',
      'createPatient',
      'listAppointmentTypes',
      'findSlots',
      'listAppointments',
      'book',
      'cancel',
      'markNoShow',
      'findWrite',
    ] as const)
      expect(ops).toContain(op)
    const a = adapter as VendorAdapter
    for (const op of [
      'tracePatient',
      'listPractitioners',
      'listLocations',
      'reschedule',
      'markArrived',
    ] as const) {
      expect(ops).not.toContain(op)
      expect(a[op]).toBeUndefined()
    }
    expect(adapter.capabilities.notes.reschedule).toMatch(/cancel/)
  })

  it('connects with the bare key and says it is test mode', async () => {
    await expect(adapter.testConnection()).resolves.toMatchObject({
      ok: true,
      detail: expect.stringMatching(/test mode/),
    })
  })

  it('a live key (refused here) and a revoked key are auth failures, sent once', async () => {
    await expectKind(make({ apiKey: sim.credentials.liveApiKey! }).testConnection(), 'auth')
    sim.control.expireTokens()
    try {
      const before = requests()
      await expectKind(adapter.testConnection(), 'auth')
      expect(requests() - before).toBe(1)
    } finally {
      sim.control.state.revokedKeys.clear()
    }
  })
})

describe('Heim adapter: patients', () => {
  it('finds patients by name and maps NHS number, phone and postcode', async () => {
    const seeded = [...sim.control.state.patients.values()][2]!
    const found = await adapter.findPatients({ text: seeded.lastName })
    const p = found.find((x) => x.ref === seeded.id)!
    expect(p).toMatchObject({ familyName: seeded.lastName, birthDate: seeded.dateOfBirth })
    expect(p.phone).toMatch(/^\+44/)
    expect(p.postcode).toBeTruthy()
  })

  it('creates a patient with an externalReference and finds it by that reference', async () => {
    const clientRef = newRef()
    const created = await adapter.createPatient({
      clientRef,
      givenName: 'Zoë',
      familyName: "O'Neill",
      birthDate: '1948-11-02',
      phone: '07700 900777',
      email: 'zoe.oneill@example.com',
      nhsNumber: '943 476 5919',
      addressLine: '1 Canonbury Lane',
      city: 'London',
      postcode: 'n1 2as',
    })
    expect(created).toMatchObject({
      ref: expect.stringMatching(/^p_/),
      nhsNumber: '9434765919',
      phone: '+447700900777',
      postcode: 'N1 2AS',
    })
    expect(await adapter.findWrite({ kind: 'createPatient', clientRef, hint: {} })).toMatchObject({
      ref: created.ref,
    })
  })

  it('a patient without a phone is invalid with the field named', async () => {
    const e = await expectKind(
      adapter.createPatient({
        clientRef: newRef(),
        givenName: 'Al',
        familyName: 'Bo',
        birthDate: '1950-01-01',
        email: 'a@b.example',
      }),
      'invalid',
    )
    expect(e.fields?.map((f) => f.field)).toContain('phone')
  })

  it('an unknown patient is not-found', async () => {
    await expectKind(adapter.getPatient('p_nope'), 'not-found')
  })
})

describe('Heim adapter: visits', () => {
  it('lists tasks and windows for the patient’s area', async () => {
    expect((await adapter.listAppointmentTypes()).every((t) => t.ref.startsWith('tsk_'))).toBe(true)
    const w = await windows(await patient(0))
    expect(w.length).toBeGreaterThan(0)
    expect(w.every((s) => s.token?.startsWith('win_'))).toBe(true)
  })

  it('books into a window (booked), and without one (proposed: the patient chooses)', async () => {
    const req = await visit(0)
    const booked = await adapter.book(req)
    expect(booked).toMatchObject({
      status: 'booked',
      start: req.start,
      end: req.end,
      clientRef: req.clientRef,
    })

    const open = await adapter.book(await visit(1, false))
    expect(open).toMatchObject({ status: 'proposed', vendorStatus: 'scheduling' })
    expect(open.start).toBeUndefined()
  })

  it('cancels once; a resend finds it already cancelled; a different second cancel is refused', async () => {
    const booked = await adapter.book(await visit(2))
    const c = await adapter.cancel({ clientRef: newRef(), ref: booked.ref!, reason: 'Patient in hospital' })
    expect(c.status).toBe('cancelled')
    expect((await adapter.cancel({ clientRef: newRef(), ref: booked.ref!, reason: 'again' })).status).toBe(
      'cancelled',
    )
    await expectKind(
      adapter.markNoShow({ clientRef: newRef(), ref: booked.ref!, at: clock.now().toISOString() }),
      'conflict',
    )
    expect((await adapter.getAppointment(booked.ref!)).status).toBe('cancelled')
  })

  it('marks a no-show as a cancellation with reason patient_not_present', async () => {
    const booked = await adapter.book(await visit(3))
    const n = await adapter.markNoShow({
      clientRef: newRef(),
      ref: booked.ref!,
      at: clock.now().toISOString(),
    })
    expect(n.status).toBe('noshow')
    expect(sim.control.state.appointments.get(booked.ref!)!.cancellation?.reasonCode).toBe(
      'patient_not_present',
    )
  })

  it('lists the visits of a day', async () => {
    const req = await visit(4)
    const booked = await adapter.book(req)
    const { start, end } = dayRange(req.start.slice(0, 10), ZONE)
    const list = await adapter.listAppointments({ from: start, to: end })
    expect(list.map((a) => a.ref)).toContain(booked.ref)
    for (const a of list) expect(Date.parse(a.start!)).toBeGreaterThanOrEqual(Date.parse(start))
  })
})

describe('Heim adapter: faults', () => {
  const read = () => adapter.listAppointmentTypes()

  it('latency only slows things down', async () => {
    sim.control.inject({ kind: 'latency', ms: 100 })
    const t = Date.now()
    await read()
    expect(Date.now() - t).toBeGreaterThanOrEqual(100)
  })

  it.each([500, 502, 503] as const)('HTTP %i is unavailable, sent once', async (status) => {
    sim.control.inject({ kind: 'status', status, count: 1 })
    const before = requests()
    await expectKind(read(), 'unavailable')
    expect(requests() - before).toBe(1)
  })

  it('429 is rate-limited with the Retry-After, sent once', async () => {
    sim.control.inject({ kind: 'rate-limit', retryAfterSeconds: 5, count: 1 })
    const before = requests()
    expect((await expectKind(read(), 'rate-limited')).retryAfterMs).toBe(5_000)
    expect(requests() - before).toBe(1)
  })

  it('reset before the write: ambiguous, nothing created, the look-up finds nothing', async () => {
    const req = await visit(5)
    sim.control.inject({ kind: 'reset-before-write', count: 1 })
    const before = writesOf('POST /v1/appointments').length
    await expectKind(adapter.book(req), 'ambiguous')
    expect(writesOf('POST /v1/appointments').length).toBe(before)
    expect(await adapter.findWrite({ kind: 'book', clientRef: req.clientRef, hint: {} })).toBeNull()
  })

  it('reset after the write: ambiguous, created, and found by externalReference', async () => {
    const req = await visit(6)
    sim.control.inject({ kind: 'reset-after-write', count: 1 })
    const sent = requests()
    await expectKind(adapter.book(req), 'ambiguous')
    expect(requests() - sent).toBe(2) // the patient read, then the one create
    expect(await adapter.findWrite({ kind: 'book', clientRef: req.clientRef, hint: {} })).toMatchObject({
      clientRef: req.clientRef,
    })
  })

  it('a hang is a timeout for a read and ambiguous for a write', async () => {
    sim.control.inject({ kind: 'hang', ms: 1_500, count: 1 })
    await expectKind(read(), 'timeout')
    const req = await visit(7)
    sim.control.inject({ kind: 'hang', ms: 1_500, count: 1, scope: 'writes' })
    await expectKind(adapter.book(req), 'ambiguous')
    // Heim applies the write once its hang is over.
    await until(
      'the held write at Heim',
      async () => (await adapter.findWrite({ kind: 'book', clientRef: req.clientRef, hint: {} })) !== null,
    )
  })

  it('a malformed answer is protocol for a read and ambiguous for a write', async () => {
    sim.control.inject({ kind: 'malformed', count: 1 })
    await expectKind(read(), 'protocol')
    const req = await visit(8)
    sim.control.inject({ kind: 'malformed', count: 1, scope: 'writes' })
    await expectKind(adapter.book(req), 'ambiguous')
    expect(await adapter.findWrite({ kind: 'book', clientRef: req.clientRef, hint: {} })).not.toBeNull()
  })

  it('offline: reads and writes are offline and nothing reaches Heim', async () => {
    const req = await visit(9)
    await sim.control.setOffline(true)
    await sleep(20) // let idle keep-alive sockets see the close (see semble.test.ts)
    try {
      const before = requests()
      await expectKind(read(), 'offline')
      await expectKind(adapter.book(req), 'offline')
      expect(requests()).toBe(before)
    } finally {
      await sim.control.setOffline(false)
    }
    await expect(adapter.book(req)).resolves.toMatchObject({ clientRef: req.clientRef })
  })
})
