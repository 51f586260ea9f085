/**
 * The Semble adapter over real HTTP against the Semble simulator: every capability, auth renewal,
 * and every fault mode (the error kind, and that nothing was retried behind the caller's back).
 */
import { DateTime } from 'luxon'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock, seedClinic, type SimulatorHandle } from '../../../src/sandbox'
import { startSembleSimulator, type SembleState } from '../../../src/sandbox/semble'
import type { HttpClient } from '../../../src/main/vendors/http/client'
import { dayRange } from '../../../src/main/vendors/normalise'
import { createAdapter } from '../../../src/main/vendors/registry'
import { type SembleAdapter } from '../../../src/main/vendors/semble/adapter'
import type { BookRequest, VendorAdapter } from '../../../src/main/vendors/types'
import type { Appointment, Patient, Slot } from '../../../src/shared/model'
import { clientOn, connectionFor, expectKind, recordingLogger, sleep } from './support'
import { until } from '../../support/until'

const ZONE = 'Europe/London'
// A Friday; the clocks go forward on Sunday 29 March, so next week's slots are in BST.
const clock = new ManualClock(new Date('2026-03-27T08:00:00.000Z'))
const MONDAY = '2026-03-30'

let sim: SimulatorHandle<SembleState>
let http: HttpClient
let adapter: SembleAdapter
const logged = recordingLogger()
let connection: ReturnType<typeof connectionFor>

const requests = () => sim.control.requestCount()
const writesOf = (operation: string) => sim.control.writes().filter((w) => w.operation === operation)
let seq = 0
const newRef = () => `00000000-0000-4000-8000-${String(++seq).padStart(12, '0')}`

function make(credentials: Record<string, string>, id = connection.id) {
  return createAdapter(
    { ...connection, id },
    { http, readCredentials: async () => credentials, log: logged.log, now: () => clock.now() },
  ) as SembleAdapter
}

beforeAll(async () => {
  const clinic = seedClinic({ patients: 50, today: clock.now(), timeZone: ZONE })
  sim = await startSembleSimulator(clinic, { clock })
  http = clientOn(clock, {}, logged.log)
  connection = connectionFor('semble', sim.url, { nhsNumberTypeId: sim.credentials.nhsNumberTypeId! })
  adapter = make({ apiToken: sim.credentials.apiToken! })
})

afterEach(() => sim.control.clearFaults())

afterAll(async () => {
  await sim.close()
  await http.close()
  // No secret ever reaches the log.
  for (const secret of [sim.credentials.apiToken, sim.credentials.signInPassword]) {
    expect(logged.text()).not.toContain(secret)
  }
})

/** Free slots for one clinician and type on Monday, from the adapter itself. */
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

let patientPool: Patient[] = []
async function somePatient(i: number): Promise<Patient> {
  if (!patientPool.length) {
    const clinicPatients = [...sim.control.state.patients.values()].slice(0, 20)
    patientPool = await Promise.all(clinicPatients.map((p) => adapter.getPatient(p.id)))
  }
  return patientPool[i % patientPool.length]!
}

let slotPool: Slot[] = []
async function freeSlot(): Promise<Slot> {
  if (!slotPool.length) slotPool = await mondaySlots('Patel', 'GP appointment')
  // Take every other slot so neighbouring bookings never overlap.
  const s = slotPool.shift()!
  slotPool.shift()
  return s
}

async function bookingFor(
  slot: Slot,
  patient: Patient,
  extra: Partial<BookRequest> = {},
): Promise<BookRequest> {
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

describe('Semble adapter: capabilities', () => {
  it('has every front-desk operation except the PDS trace', () => {
    expect(adapter.vendor).toBe('semble')
    expect([...adapter.capabilities.operations].sort()).toEqual(
      [
        'book',
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
    expect(adapter.capabilities.notes.cancel).toMatch(/reason/)
  })
})

describe('Semble adapter: auth', () => {
  it('connects with an API token', async () => {
    await expect(adapter.testConnection()).resolves.toMatchObject({
      ok: true,
      detail: expect.stringMatching(/API token/),
    })
  })

  it('signs in with email and password once, then reuses the token', async () => {
    const a = make(
      { email: sim.credentials.signInEmail!, password: sim.credentials.signInPassword! },
      'semble-signin',
    )
    const before = writesOf('signIn').length
    await a.testConnection()
    await a.listLocations()
    await a.findPatients({ text: 'a' })
    expect(writesOf('signIn').length - before).toBe(1)
  })

  it('renews a sign-in before its 12 hours run out, without waiting for a refusal', async () => {
    const a = make(
      { email: sim.credentials.signInEmail!, password: sim.credentials.signInPassword! },
      'semble-renew',
    )
    await a.testConnection()
    const signIns = writesOf('signIn').length
    clock.advance(11.5 * 3_600_000)
    const before = requests()
    await a.testConnection()
    expect(writesOf('signIn').length).toBe(signIns + 1)
    expect(requests() - before).toBe(2) // sign-in, then the read: no 401 in between
  })

  it('signs in again once when Semble refuses the session token', async () => {
    const a = make(
      { email: sim.credentials.signInEmail!, password: sim.credentials.signInPassword! },
      'semble-expired',
    )
    await a.testConnection()
    sim.control.expireTokens()
    sim.control.state.reinstateApiToken()
    const before = requests()
    await a.testConnection()
    expect(requests() - before).toBe(3) // refused, sign-in, the read again
  })

  it('a refused API token is an auth failure, sent once', async () => {
    const a = make({ apiToken: sim.credentials.apiToken! }, 'semble-refused')
    sim.control.expireTokens()
    try {
      const before = requests()
      const e = await expectKind(a.testConnection(), 'auth')
      expect(e.vendorCode).toBe('UNAUTHENTICATED')
      expect(requests() - before).toBe(1)
    } finally {
      sim.control.state.reinstateApiToken()
    }
  })

  it('wrong sign-in details are an auth failure that says so', async () => {
    const a = make({ email: sim.credentials.signInEmail!, password: 'wrong' }, 'semble-wrong')
    const e = await expectKind(a.testConnection(), 'auth')
    expect(e.message).toMatch(/email and password/)
  })
})

describe('Semble adapter: patients', () => {
  it('finds patients by name and maps them to the canonical model', async () => {
    const seeded = [...sim.control.state.patients.values()][3]!
    const found = await adapter.findPatients({ text: `${seeded.firstName} ${seeded.lastName}` })
    const p = found.find((x) => x.ref === seeded.id)!
    expect(p).toMatchObject({
      givenName: seeded.firstName,
      familyName: seeded.lastName,
      birthDate: seeded.birthDate,
    })
    expect(p.nhsNumber).toMatch(/^999\d{7}$/)
    expect(p.phone).toMatch(/^\+44\d{10}$/)
  })

  it('gets a patient by ref, and says not-found for an unknown one', async () => {
    const p = await somePatient(0)
    expect((await adapter.getPatient(p.ref!)).familyName).toBe(p.familyName)
    await expectKind(adapter.getPatient('000000000000000000000000'), 'not-found')
  })

  it('creates a patient with phone, NHS number and our marker, and finds the write again', async () => {
    const clientRef = newRef()
    const created = await adapter.createPatient({
      clientRef,
      givenName: ' Zoë ',
      familyName: "D'Arcy  Smith",
      birthDate: '1990-06-15',
      phone: '07700 900999',
      nhsNumber: '943 476 5919',
      postcode: 'n1 2as',
      email: 'zoe@example.com',
    })
    expect(created).toMatchObject({
      givenName: 'Zoë',
      familyName: "D'Arcy Smith",
      birthDate: '1990-06-15',
      phone: '+447700900999',
      nhsNumber: '9434765919',
      postcode: 'N1 2AS',
    })
    expect(sim.control.state.patients.get(created.ref!)!.comments).toContain(clientRef)
    const again = await adapter.findWrite({
      kind: 'createPatient',
      clientRef,
      hint: { familyName: "D'Arcy Smith" },
    })
    expect((again as Patient).ref).toBe(created.ref)
  })

  it('a patient without names is invalid, with the vendor words', async () => {
    const e = await expectKind(
      adapter.createPatient({
        clientRef: newRef(),
        givenName: '  ',
        familyName: 'X',
        birthDate: '1990-01-01',
      }),
      'invalid',
    )
    expect(e.vendorMessage).toMatch(/First name/)
  })
})

describe('Semble adapter: reference data and slots', () => {
  it('lists clinicians with their names as written', async () => {
    const list = await adapter.listPractitioners()
    expect(list).toHaveLength(8)
    expect(list.map((p) => p.name)).toContain('Dr Tomás Ó Briain')
    expect(list.map((p) => p.familyName)).toContain("O'Hara")
  })

  it('lists locations and appointment types with lengths, from published queries only', async () => {
    const locations = await adapter.listLocations()
    expect(locations.map((l) => l.name).sort()).toEqual(
      [...sim.control.state.locations.values()].map((l) => l.name).sort(),
    )
    const types = await adapter.listAppointmentTypes()
    expect(types.find((t) => t.name === 'Physiotherapy assessment')?.lengthMinutes).toBe(45)
    // Only bookable products are appointment types.
    expect(types.map((t) => t.name)).not.toContain('Blood pressure monitor')
    expect(types).toHaveLength(sim.control.state.bookingTypes.size)

    // A day's bookings name their site (the location), not the room they are in.
    const { start, end } = dayRange(MONDAY, ZONE)
    const day = await adapter.listAppointments({ from: start, to: end })
    expect(day.length).toBeGreaterThan(0)
    const refs = new Set(locations.map((l) => l.ref))
    for (const a of day) expect(refs.has(a.locationRef!)).toBe(true)
  })

  it('finds free slots inside working hours in the clinic zone, after the clocks went forward', async () => {
    const slots = await mondaySlots('Patel', 'Long GP appointment')
    expect(slots.length).toBeGreaterThan(0)
    for (const s of slots) {
      const start = DateTime.fromISO(s.start, { zone: ZONE })
      expect(start.offset).toBe(60) // BST
      expect(start.toFormat('HH:mm') >= '08:30').toBe(true)
      expect(DateTime.fromISO(s.end, { zone: ZONE }).toFormat('HH:mm') <= '18:00').toBe(true)
      expect(DateTime.fromISO(s.end).diff(start, 'minutes').minutes).toBe(20)
    }
  })

  it('asks week by week for a range longer than Semble allows', async () => {
    const practitioner = (await adapter.listPractitioners()).find((p) => p.name.includes('Patel'))!
    const location = (await adapter.listLocations()).find((l) => l.name.startsWith('Canonbury'))!
    const before = requests()
    const slots = await adapter.findSlots({
      from: dayRange(MONDAY, ZONE).start,
      to: dayRange('2026-04-08', ZONE).end,
      practitionerRef: practitioner.ref,
      locationRef: location.ref,
    })
    expect(requests() - before).toBe(2)
    expect(new Set(slots.map((s) => s.start.slice(0, 10))).size).toBeGreaterThan(5)
  })
})

describe('Semble adapter: appointments', () => {
  it("lists a day's appointments, cancelled ones included, with canonical statuses", async () => {
    const { start, end } = dayRange('2026-03-26', ZONE)
    const list = await adapter.listAppointments({ from: start, to: end })
    expect(list.length).toBeGreaterThan(10)
    const statuses = new Set(list.map((a) => a.status))
    for (const s of statuses) expect(['fulfilled', 'noshow', 'cancelled', 'booked', 'arrived']).toContain(s)
    expect(statuses.has('fulfilled')).toBe(true)
    for (const a of list) expect(Date.parse(a.start!)).toBeGreaterThanOrEqual(Date.parse(start))
  })

  it('books with our marker, reads it back, and refuses a second booking into the same time', async () => {
    const slot = await freeSlot()
    const req = await bookingFor(slot, await somePatient(1))
    const booked = await adapter.book(req)
    expect(booked).toMatchObject({
      status: 'booked',
      start: slot.start,
      end: slot.end,
      clientRef: req.clientRef,
    })
    expect(booked.note).toBe('Booked by test')
    expect((await adapter.getAppointment(booked.ref!)).clientRef).toBe(req.clientRef)

    const e = await expectKind(
      adapter.book({ ...req, clientRef: newRef(), patientRef: (await somePatient(2)).ref! }),
      'conflict',
    )
    expect(e.message).toMatch(/no longer free/)
  })

  it('reschedules, marks arrived and no-show, and cancels (twice is still cancelled)', async () => {
    const [a, b, c] = [await freeSlot(), await freeSlot(), await freeSlot()]
    const booked = await adapter.book(await bookingFor(a, await somePatient(3)))

    const moved = await adapter.reschedule({
      clientRef: newRef(),
      ref: booked.ref!,
      start: b.start,
      end: b.end,
    })
    expect(moved.start).toBe(b.start)
    expect(moved.clientRef).toBe(booked.clientRef)
    expect(await adapter.getAppointment(booked.ref!)).toMatchObject({ start: b.start, end: b.end })

    const arrived = await adapter.markArrived({ clientRef: newRef(), ref: booked.ref!, at: b.start })
    expect(arrived.status).toBe('arrived')

    const other = await adapter.book(await bookingFor(c, await somePatient(4)))
    expect((await adapter.markNoShow({ clientRef: newRef(), ref: other.ref!, at: c.end })).status).toBe(
      'noshow',
    )

    const cancelled = await adapter.cancel({ clientRef: newRef(), ref: other.ref!, reason: 'Patient rang' })
    expect(cancelled.status).toBe('cancelled')
    const again = await adapter.cancel({ clientRef: newRef(), ref: other.ref!, reason: 'Patient rang' })
    expect(again.status).toBe('cancelled')
    expect((await adapter.getAppointment(other.ref!)).status).toBe('cancelled')
  })

  it('finds a booking made without our marker by patient, clinician and start', async () => {
    const seeded = [...sim.control.state.bookings.values()].find(
      (b) => !b.deleted && !b.comments?.includes('frontdesk'),
    )!
    const found = (await adapter.findWrite({
      kind: 'book',
      clientRef: newRef(),
      hint: { patientRef: seeded.patientId, practitionerRef: seeded.doctorId, start: seeded.start },
    })) as Appointment
    expect(found.ref).toBe(seeded.id)
  })

  it('booking for an unknown patient is not-found', async () => {
    const slot = await freeSlot()
    await expectKind(
      adapter.book({
        ...(await bookingFor(slot, await somePatient(5))),
        patientRef: '000000000000000000000000',
      }),
      'not-found',
    )
  })
})

describe('Semble adapter: faults', () => {
  it('latency only slows things down', async () => {
    sim.control.inject({ kind: 'latency', ms: 100 })
    const t = Date.now()
    await make({ apiToken: sim.credentials.apiToken! }, 'semble-latency').listLocations()
    expect(Date.now() - t).toBeGreaterThanOrEqual(100)
  })

  it.each([500, 502, 503] as const)('HTTP %i on a read is unavailable, sent once', async (status) => {
    sim.control.inject({ kind: 'status', status, count: 1 })
    const before = requests()
    await expectKind(adapter.findPatients({ text: 'smith' }), 'unavailable')
    expect(requests() - before).toBe(1)
  })

  it('HTTP 503 on a write is unavailable and nothing was booked', async () => {
    const req = await bookingFor(await freeSlot(), await somePatient(6))
    sim.control.inject({ kind: 'status', status: 503, count: 1 })
    const before = writesOf('createBooking').length
    const sent = requests()
    await expectKind(adapter.book(req), 'unavailable')
    expect(requests() - sent).toBe(1)
    expect(writesOf('createBooking').length).toBe(before)
    expect(await adapter.findWrite({ kind: 'book', clientRef: req.clientRef, hint: req })).toBeNull()
  })

  it('429 is rate-limited with the Retry-After, sent once, and holds the next request back', async () => {
    sim.control.inject({ kind: 'rate-limit', retryAfterSeconds: 3, count: 1 })
    const before = requests()
    const e = await expectKind(adapter.findPatients({ text: 'smith' }), 'rate-limited')
    expect(e.retryAfterMs).toBe(3_000)
    expect(requests() - before).toBe(1)
    const t = clock.now().getTime()
    await adapter.findPatients({ text: 'smith' })
    expect(clock.now().getTime() - t).toBeGreaterThanOrEqual(3_000)
  })

  it('a reset before the write is ambiguous; the look-up then finds nothing, so resending is safe', async () => {
    const req = await bookingFor(await freeSlot(), await somePatient(7))
    sim.control.inject({ kind: 'reset-before-write', count: 1 })
    const before = writesOf('createBooking').length
    const sent = requests()
    await expectKind(adapter.book(req), 'ambiguous')
    expect(requests() - sent).toBe(2) // the clinician's bookings for the time, then the write once
    expect(writesOf('createBooking').length).toBe(before)
    expect(await adapter.findWrite({ kind: 'book', clientRef: req.clientRef, hint: req })).toBeNull()
  })

  it('a reset after the write is ambiguous; the look-up finds the booking by its client reference', async () => {
    const req = await bookingFor(await freeSlot(), await somePatient(8))
    sim.control.inject({ kind: 'reset-after-write', count: 1 })
    const sent = requests()
    await expectKind(adapter.book(req), 'ambiguous')
    expect(requests() - sent).toBe(2) // the clinician's bookings for the time, then the write once
    expect(writesOf('createBooking').at(-1)?.outcome).toBe('applied')
    const found = (await adapter.findWrite({
      kind: 'book',
      clientRef: req.clientRef,
      hint: req,
    })) as Appointment
    expect(found.clientRef).toBe(req.clientRef)
  })

  it('a hang on a read is a timeout; on a write it is ambiguous and the write is found later', async () => {
    sim.control.inject({ kind: 'hang', ms: 1_500, count: 1 })
    await expectKind(adapter.findPatients({ text: 'smith' }), 'timeout')

    const req = await bookingFor(await freeSlot(), await somePatient(9))
    sim.control.inject({ kind: 'hang', ms: 1_500, count: 1, scope: 'writes' })
    const sent = requests()
    await expectKind(adapter.book(req), 'ambiguous')
    expect(requests() - sent).toBe(2) // the clinician's bookings for the time, then the write once
    // The simulator applies the write once its hang is over.
    await until(
      'the held write at Semble',
      async () => (await adapter.findWrite({ kind: 'book', clientRef: req.clientRef, hint: req })) !== null,
    )
    expect(await adapter.findWrite({ kind: 'book', clientRef: req.clientRef, hint: req })).toMatchObject({
      clientRef: req.clientRef,
    })
  })

  it('a malformed answer is protocol for a read and ambiguous for a write', async () => {
    sim.control.inject({ kind: 'malformed', count: 1 })
    const e = await expectKind(adapter.findPatients({ text: 'smith' }), 'protocol')
    expect(e.vendorMessage).toMatch(/JSON/)

    const req = await bookingFor(await freeSlot(), await somePatient(10))
    sim.control.inject({ kind: 'malformed', count: 1, scope: 'writes' })
    await expectKind(adapter.book(req), 'ambiguous')
    expect(await adapter.findWrite({ kind: 'book', clientRef: req.clientRef, hint: req })).not.toBeNull()
  })

  it('offline: reads and writes fail as offline and nothing reaches Semble', async () => {
    const req = await bookingFor(await freeSlot(), await somePatient(11))
    await sim.control.setOffline(true)
    // Our idle keep-alive sockets learn of the close on the next turn of the event loop; a write
    // sent into one before that would be (rightly) ambiguous, which is not what this test is about.
    await sleep(20)
    try {
      const before = requests()
      const writes = sim.control.writes().length
      await expectKind(make({ apiToken: sim.credentials.apiToken! }, 'semble-off').listLocations(), 'offline')
      await expectKind(adapter.book(req), 'offline')
      expect(requests()).toBe(before)
      expect(sim.control.writes().length).toBe(writes)
    } finally {
      await sim.control.setOffline(false)
    }
    await expect(adapter.book(req)).resolves.toMatchObject({ clientRef: req.clientRef })
  })
})

describe('Semble adapter: one limiter per connection', () => {
  it('two adapters on one connection share the 120/min budget and never earn a 429', async () => {
    const a = make({ apiToken: sim.credentials.apiToken! }, 'semble-shared')
    const b = make({ apiToken: sim.credentials.apiToken! }, 'semble-shared')
    // Earlier tests spoke to Semble as other connections; let its own bucket fill up first.
    clock.advance(60_000)
    const started = clock.now().getTime()
    const results = await Promise.allSettled(
      Array.from({ length: 140 }, (_, i) => (i % 2 ? a : b).findPatients({ text: 'smith', limit: 1 })),
    )
    expect(results.flatMap((r) => (r.status === 'rejected' ? [String(r.reason)] : []))).toEqual([])
    // 140 requests at 120/min cannot take less than a minute of (simulated) time.
    expect(clock.now().getTime() - started).toBeGreaterThanOrEqual(60_000)
  })
})
