/**
 * The Healthie adapter over real HTTP against the Healthie simulator: every capability, the
 * pinned API version, and every fault mode (the error kind, and that nothing was retried).
 */
import { DateTime } from 'luxon'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock, seedClinic, type SimulatorHandle } from '../../../src/sandbox'
import { startHealthieSimulator } from '../../../src/sandbox/healthie'
import type { HttpClient } from '../../../src/main/vendors/http/client'
import { type HealthieAdapter } from '../../../src/main/vendors/healthie/adapter'
import { dayRange } from '../../../src/main/vendors/normalise'
import { createAdapter } from '../../../src/main/vendors/registry'
import type { BookRequest, VendorAdapter } from '../../../src/main/vendors/types'
import type { Appointment, Patient, Slot } from '../../../src/shared/model'
import { clientOn, connectionFor, expectKind, recordingLogger, sleep } from './support'
import { until } from '../../support/until'

type HealthieState = Awaited<ReturnType<typeof startHealthieSimulator>>['control']['state']

const ZONE = 'Europe/London'
const clock = new ManualClock(new Date('2026-03-27T08:00:00.000Z'))
const MONDAY = '2026-03-30'

let sim: SimulatorHandle<HealthieState>
let http: HttpClient
let adapter: HealthieAdapter
const logged = recordingLogger()
let connection: ReturnType<typeof connectionFor>

const requests = () => sim.control.requestCount()
const writesOf = (operation: string) => sim.control.writes().filter((w) => w.operation === operation)
let seq = 0
const newRef = () => `00000000-0000-4000-8000-${String(++seq).padStart(12, '0')}`

function make(credentials: Record<string, string>, options: Record<string, string> = {}, id = connection.id) {
  return createAdapter(
    { ...connection, id, options: { ...connection.options, ...options } },
    { http, readCredentials: async () => credentials, log: logged.log, now: () => clock.now() },
  ) as HealthieAdapter
}

beforeAll(async () => {
  const clinic = seedClinic({ patients: 50, today: clock.now(), timeZone: ZONE })
  sim = await startHealthieSimulator(clinic, { clock })
  http = clientOn(clock, {}, logged.log)
  connection = connectionFor('healthie', sim.url)
  adapter = make({ apiKey: sim.credentials.apiKey! })
})

afterEach(() => sim.control.clearFaults())

afterAll(async () => {
  await sim.close()
  await http.close()
  expect(logged.text()).not.toContain(sim.credentials.apiKey)
})

let patientPool: Patient[] = []
async function somePatient(i: number): Promise<Patient> {
  if (!patientPool.length) {
    const ids = [...sim.control.state.users.values()].filter((u) => u.kind === 'patient').slice(0, 20)
    patientPool = await Promise.all(ids.map((u) => adapter.getPatient(u.id)))
  }
  return patientPool[i % patientPool.length]!
}

async function mondaySlots(
  practitionerName: string,
  typeName: string,
  a: VendorAdapter = adapter,
): Promise<Slot[]> {
  const practitioner = (await a.listPractitioners!()).find((p) => p.name.includes(practitionerName))!
  const type = (await a.listAppointmentTypes!()).find((t) => t.name === typeName)!
  const { start, end } = dayRange(MONDAY, ZONE)
  return a.findSlots!({
    from: start,
    to: end,
    practitionerRef: practitioner.ref,
    appointmentTypeRef: type.ref,
  })
}

let slotPool: Slot[] = []
let location: string | undefined
async function freeSlot(): Promise<Slot> {
  if (!slotPool.length) slotPool = await mondaySlots('Patel', 'GP appointment')
  location ??= (await adapter.listLocations())[0]!.ref
  const s = slotPool.shift()!
  slotPool.shift()
  return { ...s, locationRef: location }
}

function bookingFor(slot: Slot, patient: Patient, extra: Partial<BookRequest> = {}): BookRequest {
  return {
    clientRef: newRef(),
    patientRef: patient.ref!,
    appointmentTypeRef: slot.appointmentTypeRef!,
    practitionerRef: slot.practitionerRef!,
    locationRef: slot.locationRef!,
    start: slot.start,
    end: slot.end,
    note: 'Booked by test',
    ...extra,
  }
}

describe('Healthie adapter: capabilities and auth', () => {
  it('has every front-desk operation except the PDS trace', () => {
    expect([...adapter.capabilities.operations].sort()).toEqual(
      [
        'book',
        'bookingWarnings',
        'cancel',
        'createPatient',
        'findPatients',
        'findSlots',
        'findWrite',
        'getAppointment',
        'getPatient',
        'listAppointmentTypes',
        'listAppointments',
        'listLocations',
        'listPractitioners',
        'markArrived',
        'markNoShow',
        'reschedule',
        'updateNote',
        'updatePatient',
      ].sort(),
    )
    expect((adapter as VendorAdapter).tracePatient).toBeUndefined()
  })

  it('connects with Basic key, AuthorizationSource and the pinned version, with no warnings', async () => {
    await expect(adapter.testConnection()).resolves.toMatchObject({
      ok: true,
      detail: expect.stringMatching(/2026-01-01/),
    })
    expect(logged.lines.filter((l) => l.msg === 'vendor warnings')).toEqual([])
  })

  it('a version that is not a published release date is a protocol failure naming the code', async () => {
    const e = await expectKind(
      make({ apiKey: sim.credentials.apiKey! }, { apiVersion: '2023-02-30' }).testConnection(),
      'protocol',
    )
    expect(e.vendorCode).toBe('UNSUPPORTED_API_VERSION')
  })

  it('a revoked key is an auth failure, sent once', async () => {
    sim.control.expireTokens()
    try {
      const before = requests()
      await expectKind(adapter.testConnection(), 'auth')
      expect(requests() - before).toBe(1)
    } finally {
      sim.control.state.reinstateApiKey()
    }
  })

  it('no key at all is an auth failure before anything is sent', async () => {
    const before = requests()
    await expectKind(make({}).testConnection(), 'auth')
    expect(requests()).toBe(before)
  })
})

describe('Healthie adapter: patients', () => {
  it('finds patients by name and reads the NHS number from the record identifier', async () => {
    const seeded = [...sim.control.state.users.values()].find((u) => u.kind === 'patient')!
    const found = await adapter.findPatients({ text: `${seeded.first_name} ${seeded.last_name}` })
    const p = found.find((x) => x.ref === seeded.id)!
    expect(p.familyName).toBe(seeded.last_name)
    expect(p.birthDate).toMatch(/^\d{4}-\d{2}-\d{2}$/)
    expect(p.nhsNumber).toMatch(/^999\d{7}$/)
    expect(p.phone).toMatch(/^\+44/)
  })

  it('gets a patient, and says not-found for an unknown one', async () => {
    const p = await somePatient(0)
    expect((await adapter.getPatient(p.ref!)).ref).toBe(p.ref)
    await expectKind(adapter.getPatient('1'), 'not-found')
  })

  it('creates a client with metadata, no welcome email, and finds the write again', async () => {
    const clientRef = newRef()
    const created = await adapter.createPatient({
      clientRef,
      givenName: 'Zoë',
      familyName: "D'Arcy",
      birthDate: '1990-06-15',
      phone: '07700 900998',
      nhsNumber: '9434765919',
    })
    expect(created).toMatchObject({
      givenName: 'Zoë',
      familyName: "D'Arcy",
      birthDate: '1990-06-15',
      nhsNumber: '9434765919',
    })
    const sent = writesOf('createClient').at(-1)!.input as { input: Record<string, unknown> }
    expect(sent.input).toMatchObject({ dont_send_welcome: true, skipped_email: true })
    const found = await adapter.findWrite({
      kind: 'createPatient',
      clientRef,
      hint: { familyName: "D'Arcy", birthDate: '1990-06-15' },
    })
    expect((found as Patient).ref).toBe(created.ref)
  })

  it('a client without a first name is invalid, with the field', async () => {
    const e = await expectKind(
      adapter.createPatient({ clientRef: newRef(), givenName: '', familyName: 'X', birthDate: '1990-01-01' }),
      'invalid',
    )
    expect(e.fields).toContainEqual({ field: 'first_name', message: "can't be blank" })
  })
})

describe('Healthie adapter: reference data and slots', () => {
  it('lists providers, appointment types and locations', async () => {
    const people = await adapter.listPractitioners()
    expect(people.map((p) => p.name)).toContain('Tomás Ó Briain')
    const types = await adapter.listAppointmentTypes()
    expect(types.find((t) => t.name === 'Long GP appointment')?.lengthMinutes).toBe(20)
    expect((await adapter.listLocations()).length).toBeGreaterThan(0)
  })

  it('finds slots of the type length inside working hours in BST, one day at a time', async () => {
    const before = requests()
    const slots = await mondaySlots('Patel', 'Long GP appointment')
    expect(requests() - before).toBeLessThanOrEqual(3)
    expect(slots.length).toBeGreaterThan(0)
    for (const s of slots) {
      const start = DateTime.fromISO(s.start, { zone: ZONE })
      expect(start.offset).toBe(60)
      expect(start.toFormat('HH:mm') >= '08:30').toBe(true)
      expect(DateTime.fromISO(s.end).diff(start, 'minutes').minutes).toBe(20)
    }
  })

  it('asks for an appointment type before looking for slots', async () => {
    const { start, end } = dayRange(MONDAY, ZONE)
    await expectKind(adapter.findSlots({ from: start, to: end }), 'invalid')
  })
})

describe('Healthie adapter: appointments', () => {
  it("lists a day's appointments for the whole organisation with canonical statuses", async () => {
    const { start, end } = dayRange('2026-03-26', ZONE)
    const list = await adapter.listAppointments({ from: start, to: end })
    expect(list.length).toBeGreaterThan(10)
    expect(new Set(list.map((a) => a.practitionerRef)).size).toBeGreaterThan(1)
    for (const a of list)
      expect(['fulfilled', 'noshow', 'cancelled', 'booked', 'arrived']).toContain(a.status)
  })

  it('books with enforce_availability and metadata, and a second booking into the same time is a conflict', async () => {
    const slot = await freeSlot()
    const req = bookingFor(slot, await somePatient(1))
    const booked = await adapter.book(req)
    expect(booked).toMatchObject({
      status: 'booked',
      start: slot.start,
      end: slot.end,
      clientRef: req.clientRef,
      note: 'Booked by test',
    })
    const sent = writesOf('createAppointment').at(-1)!.input as { input: Record<string, unknown> }
    expect(sent.input.enforce_availability).toBe(true)
    expect(JSON.parse(sent.input.metadata as string)).toEqual({ frontdeskRef: req.clientRef })

    const e = await expectKind(
      adapter.book({ ...req, clientRef: newRef(), patientRef: (await somePatient(2)).ref! }),
      'conflict',
    )
    expect(e.fields?.[0]?.field).toBe('datetime')
  })

  it('reschedules, checks in, marks no-show and cancels with the reason', async () => {
    const [a, b, c] = [await freeSlot(), await freeSlot(), await freeSlot()]
    const booked = await adapter.book(bookingFor(a, await somePatient(3)))
    const moved = await adapter.reschedule({
      clientRef: newRef(),
      ref: booked.ref!,
      start: b.start,
      end: b.end,
    })
    expect(moved.start).toBe(b.start)
    expect(await adapter.getAppointment(booked.ref!)).toMatchObject({ start: b.start, end: b.end })

    expect((await adapter.markArrived({ clientRef: newRef(), ref: booked.ref!, at: b.start })).status).toBe(
      'arrived',
    )

    const other = await adapter.book(bookingFor(c, await somePatient(4)))
    const cancelled = await adapter.cancel({
      clientRef: newRef(),
      ref: other.ref!,
      reason: 'Patient rang to cancel',
    })
    expect(cancelled).toMatchObject({ status: 'cancelled', vendorStatus: 'Cancelled' })
    expect(sim.control.state.appointments.get(other.ref!)!.other_cancellation_reason).toBe(
      'Patient rang to cancel',
    )
    expect((await adapter.cancel({ clientRef: newRef(), ref: other.ref!, reason: 'again' })).status).toBe(
      'cancelled',
    )
    expect((await adapter.getAppointment(other.ref!)).status).toBe('cancelled')

    const third = await adapter.book(bookingFor(await freeSlot(), await somePatient(5)))
    expect((await adapter.markNoShow({ clientRef: newRef(), ref: third.ref!, at: third.end! })).status).toBe(
      'noshow',
    )
  })

  it('check-in turned off for the organisation is refused as invalid, not hidden', async () => {
    const booked = await adapter.book(bookingFor(await freeSlot(), await somePatient(6)))
    sim.control.state.options.checkInEnabled = false
    try {
      const e = await expectKind(
        adapter.markArrived({ clientRef: newRef(), ref: booked.ref!, at: booked.start! }),
        'invalid',
      )
      expect(e.fields?.[0]?.field).toBe('pm_status')
    } finally {
      sim.control.state.options.checkInEnabled = true
    }
  })

  it('reads whether the organisation has Checked-In: without it, arrival is refused before anything is written', async () => {
    const booked = await adapter.book(bookingFor(await freeSlot(), await somePatient(7)))
    sim.control.state.options.checkInEnabled = false
    try {
      const fresh = make({ apiKey: sim.credentials.apiKey! })
      const before = writesOf('updateAppointment').length
      const e = await expectKind(
        fresh.markArrived({ clientRef: newRef(), ref: booked.ref!, at: booked.start! }),
        'invalid',
      )
      expect(e.message).toMatch(/Arrival cannot be recorded in this clinic’s Healthie/)
      expect(e.fields?.[0]?.field).toBe('pm_status')
      expect(writesOf('updateAppointment')).toHaveLength(before)
    } finally {
      sim.control.state.options.checkInEnabled = true
    }
    const enabled = make({ apiKey: sim.credentials.apiKey! })
    expect(
      (await enabled.markArrived({ clientRef: newRef(), ref: booked.ref!, at: booked.start! })).status,
    ).toBe('arrived')
  })

  it('knows from the reference data, before any arrival is tried, whether Checked-In is on', async () => {
    sim.control.state.options.checkInEnabled = false
    try {
      const off = make({ apiKey: sim.credentials.apiKey! })
      await off.listAppointmentTypes()
      expect(off.capabilities.operations).not.toContain('markArrived')
      expect(off.capabilities.notes.markArrived).toMatch(
        /Arrival cannot be recorded in this clinic’s Healthie/,
      )
      expect(off.capabilities.operations).toContain('markNoShow')
    } finally {
      sim.control.state.options.checkInEnabled = true
    }
    const on = make({ apiKey: sim.credentials.apiKey! })
    await on.listAppointmentTypes()
    expect(on.capabilities.operations).toContain('markArrived')
  })

  it('finds a booking made elsewhere by patient, provider and start', async () => {
    const seeded = [...sim.control.state.appointments.values()].find(
      (a) =>
        a.deleted_at === null && a.pm_status === null && !a.metadata && a.startMs > clock.now().getTime(),
    )!
    const found = (await adapter.findWrite({
      kind: 'book',
      clientRef: newRef(),
      hint: {
        patientRef: seeded.patientId!,
        practitionerRef: seeded.providerId,
        start: new Date(seeded.startMs).toISOString(),
      },
    })) as Appointment
    expect(found.ref).toBe(seeded.id)
  })
})

describe('Healthie adapter: faults', () => {
  it('latency only slows things down', async () => {
    sim.control.inject({ kind: 'latency', ms: 100 })
    const t = Date.now()
    await adapter.testConnection()
    expect(Date.now() - t).toBeGreaterThanOrEqual(100)
  })

  it.each([500, 502, 503] as const)('HTTP %i is unavailable, sent once', async (status) => {
    sim.control.inject({ kind: 'status', status, count: 1 })
    const before = requests()
    await expectKind(adapter.findPatients({ text: 'smith' }), 'unavailable')
    expect(requests() - before).toBe(1)
  })

  it('HTTP 503 on a write is unavailable and nothing was booked', async () => {
    const req = bookingFor(await freeSlot(), await somePatient(7))
    sim.control.inject({ kind: 'status', status: 503, count: 1 })
    const before = writesOf('createAppointment').length
    await expectKind(adapter.book(req), 'unavailable')
    expect(writesOf('createAppointment').length).toBe(before)
    expect(await adapter.findWrite({ kind: 'book', clientRef: req.clientRef, hint: req })).toBeNull()
  })

  it('TOO_MANY_REQUESTS (429 or inside a 200) is rate-limited, sent once', async () => {
    sim.control.inject({ kind: 'rate-limit', retryAfterSeconds: 2, count: 1 })
    let before = requests()
    const e = await expectKind(adapter.findPatients({ text: 'smith' }), 'rate-limited')
    expect(e.retryAfterMs).toBe(2_000)
    expect(requests() - before).toBe(1)

    sim.control.state.options.rateLimitHttpStatus = 200
    try {
      sim.control.inject({ kind: 'rate-limit', retryAfterSeconds: 2, count: 1 })
      before = requests()
      const inside = await expectKind(adapter.findPatients({ text: 'smith' }), 'rate-limited')
      expect(inside.vendorCode).toBe('TOO_MANY_REQUESTS')
      expect(requests() - before).toBe(1)
    } finally {
      sim.control.state.options.rateLimitHttpStatus = 429
    }
  })

  it('reset before the write: ambiguous, nothing applied, the look-up finds nothing', async () => {
    const req = bookingFor(await freeSlot(), await somePatient(8))
    sim.control.inject({ kind: 'reset-before-write', count: 1 })
    const before = writesOf('createAppointment').length
    const sent = requests()
    await expectKind(adapter.book(req), 'ambiguous')
    expect(requests() - sent).toBe(1)
    expect(writesOf('createAppointment').length).toBe(before)
    expect(await adapter.findWrite({ kind: 'book', clientRef: req.clientRef, hint: req })).toBeNull()
  })

  it('reset after the write: ambiguous, applied, and found by its metadata', async () => {
    const req = bookingFor(await freeSlot(), await somePatient(9))
    sim.control.inject({ kind: 'reset-after-write', count: 1 })
    await expectKind(adapter.book(req), 'ambiguous')
    expect(writesOf('createAppointment').at(-1)?.outcome).toBe('applied')
    expect(await adapter.findWrite({ kind: 'book', clientRef: req.clientRef, hint: req })).toMatchObject({
      clientRef: req.clientRef,
    })
  })

  it('a hang is a timeout for a read and ambiguous for a write', async () => {
    sim.control.inject({ kind: 'hang', ms: 1_500, count: 1 })
    await expectKind(adapter.findPatients({ text: 'smith' }), 'timeout')
    const req = bookingFor(await freeSlot(), await somePatient(10))
    sim.control.inject({ kind: 'hang', ms: 1_500, count: 1 })
    const sent = requests()
    await expectKind(adapter.book(req), 'ambiguous')
    expect(requests() - sent).toBe(1)
    // Healthie applies the write once its hang is over.
    await until(
      'the held write at Healthie',
      async () => (await adapter.findWrite({ kind: 'book', clientRef: req.clientRef, hint: req })) !== null,
    )
  })

  it('a malformed answer is protocol for a read and ambiguous for a write', async () => {
    sim.control.inject({ kind: 'malformed', count: 1 })
    await expectKind(adapter.findPatients({ text: 'smith' }), 'protocol')
    const req = bookingFor(await freeSlot(), await somePatient(11))
    sim.control.inject({ kind: 'malformed', count: 1 })
    await expectKind(adapter.book(req), 'ambiguous')
    expect(await adapter.findWrite({ kind: 'book', clientRef: req.clientRef, hint: req })).not.toBeNull()
  })

  it('offline: reads and writes are offline and nothing reaches Healthie', async () => {
    const req = bookingFor(await freeSlot(), await somePatient(12))
    await sim.control.setOffline(true)
    await sleep(20) // let idle keep-alive sockets see the close (see semble.test.ts)
    try {
      const before = requests()
      await expectKind(adapter.testConnection(), 'offline')
      await expectKind(adapter.book(req), 'offline')
      expect(requests()).toBe(before)
    } finally {
      await sim.control.setOffline(false)
    }
    await expect(adapter.book(req)).resolves.toMatchObject({ clientRef: req.clientRef })
  })
})
