/**
 * The Hero Health adapter over real HTTP against the Hero simulator: the PDS trace, slots,
 * reserve-then-confirm bookings (and resuming our own reservation), and every fault mode.
 */
import { tracesStraightIn } from '../../../src/sandbox/hero/state'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  ManualClock,
  seedClinic,
  startHeroSimulator,
  type HeroState,
  type SimulatorHandle,
} from '../../../src/sandbox'
import type { HttpClient } from '../../../src/main/vendors/http/client'
import type { HeroAdapter } from '../../../src/main/vendors/hero/adapter'
import { dayRange } from '../../../src/main/vendors/normalise'
import { createAdapter } from '../../../src/main/vendors/registry'
import type { BookRequest, VendorAdapter } from '../../../src/main/vendors/types'
import type { Appointment, Slot } from '../../../src/shared/model'
import { clientOn, connectionFor, expectKind, recordingLogger, sleep } from './support'
import { until } from '../../support/until'

const ZONE = 'Europe/London'
const clock = new ManualClock(new Date('2026-03-27T08:00:00.000Z'))
const MONDAY = '2026-03-30'

let sim: SimulatorHandle<HeroState>
let http: HttpClient
let adapter: HeroAdapter
const logged = recordingLogger()

const requests = () => sim.control.requestCount()
const writes = () => sim.control.writes()
let seq = 0
const newRef = () => `00000000-0000-4000-8000-${String(++seq).padStart(12, '0')}`

function make(credentials: Record<string, string>, options: Record<string, string> = {}, on = sim) {
  return createAdapter(
    { ...connectionFor('hero', on.url, { practiceGroupId: on.credentials.practiceGroupId!, ...options }) },
    { http, readCredentials: async () => credentials, log: logged.log, now: () => clock.now() },
  ) as HeroAdapter
}

beforeAll(async () => {
  const clinic = seedClinic({ patients: 50, today: clock.now(), timeZone: ZONE })
  sim = await startHeroSimulator(clinic, { clock })
  http = clientOn(clock, {}, logged.log)
  adapter = make({ apiKey: sim.credentials.apiKey! })
})

afterEach(() => sim.control.clearFaults())

afterAll(async () => {
  await sim.close()
  await http.close()
  expect(logged.text()).not.toContain(sim.credentials.apiKey)
})

const registered = () => sim.control.state.pds.filter(tracesStraightIn)
const patientRefs: string[] = []
async function patientRef(i: number): Promise<string> {
  if (!patientRefs.length) {
    for (const p of registered().slice(0, 15)) {
      const r = await adapter.tracePatient({ nhsNumber: p.nhsNumber, birthDate: p.birthDate })
      if (r.outcome === 'found') patientRefs.push(r.patientRef)
    }
  }
  return patientRefs[i % patientRefs.length]!
}

let slotPool: Slot[] = []
async function freeSlot(typeName = 'GP appointment'): Promise<Slot> {
  if (!slotPool.length) {
    const type = (await adapter.listAppointmentTypes()).find((t) => t.name === typeName)!
    const { start, end } = dayRange(MONDAY, ZONE)
    slotPool = await adapter.findSlots({ from: start, to: end, appointmentTypeRef: type.ref })
  }
  const s = slotPool.shift()!
  // Skip the neighbours of the same practitioner so two bookings never touch.
  slotPool = slotPool.filter((x) => x.practitionerRef !== s.practitionerRef || x.start >= s.end)
  return s
}

async function bookingFor(slot: Slot, i: number): Promise<BookRequest> {
  return {
    clientRef: newRef(),
    patientRef: await patientRef(i),
    appointmentTypeRef: slot.appointmentTypeRef!,
    practitionerRef: slot.practitionerRef!,
    locationRef: slot.locationRef!,
    start: slot.start,
    end: slot.end,
    slotToken: slot.token!,
  }
}

describe('Hero adapter: capabilities and auth', () => {
  it('offers the trace, slots and booking; no search, practitioner list or arrival marking', () => {
    const ops = adapter.capabilities.operations
    for (const op of [
      'tracePatient',
      'listLocations',
      'listAppointmentTypes',
      'findSlots',
      'book',
      'reschedule',
      'cancel',
      'findWrite',
    ] as const)
      expect(ops).toContain(op)
    const a = adapter as VendorAdapter
    for (const op of [
      'findPatients',
      'getPatient',
      'createPatient',
      'listPractitioners',
      'markArrived',
      'markNoShow',
    ] as const) {
      expect(ops).not.toContain(op)
      expect(a[op]).toBeUndefined()
    }
    expect(adapter.capabilities.notes.tracePatient).toMatch(/PDS/)
  })

  it('connects with x-api-key and x-practice-group-id', async () => {
    await expect(adapter.testConnection()).resolves.toMatchObject({ ok: true })
  })

  it('without a practice group id nothing is sent', async () => {
    const before = requests()
    await expectKind(
      make({ apiKey: sim.credentials.apiKey! }, { practiceGroupId: '' }).testConnection(),
      'auth',
    )
    expect(requests()).toBe(before)
  })

  it('a wrong practice group and a key without the booking scope are auth failures', async () => {
    await expectKind(
      make({ apiKey: sim.credentials.apiKey! }, { practiceGroupId: '1' }).testConnection(),
      'auth',
    )
    const { start, end } = dayRange(MONDAY, ZONE)
    const e = await expectKind(
      make({ apiKey: sim.credentials.messagingOnlyApiKey! }).findSlots({ from: start, to: end }),
      'auth',
    )
    expect(e.status).toBe(403)
  })

  it('a revoked key is an auth failure, sent once', async () => {
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

describe('Hero adapter: PDS trace', () => {
  it('finds by NHS number (with spaces) and date of birth, and by name, date of birth and postcode', async () => {
    const p = registered()[0]!
    const spaced = `${p.nhsNumber.slice(0, 3)} ${p.nhsNumber.slice(3, 6)} ${p.nhsNumber.slice(6)}`
    const byNhs = await adapter.tracePatient({ nhsNumber: spaced, birthDate: p.birthDate })
    expect(byNhs).toMatchObject({ outcome: 'found' })
    const byName = await adapter.tracePatient({
      givenName: p.givenName,
      familyName: p.familyName,
      birthDate: p.birthDate,
      postcode: p.address.postcode.toLowerCase(),
    })
    expect(byName).toEqual(byNhs)
  })

  it('registers a Spine-only patient with Hero on first trace', async () => {
    const p = sim.control.state.pds.find((x) => x.index % 4 === 3 && x.index % 97 !== 13)!
    const r = await adapter.tracePatient({ nhsNumber: p.nhsNumber, birthDate: p.birthDate })
    expect(r).toMatchObject({ outcome: 'found' })
    if (r.outcome === 'found') expect(sim.control.state.patients.has(r.patientRef)).toBe(true)
  })

  it('says when the patient must verify their identity, with the link', async () => {
    const p = sim.control.state.pds.find((x) => x.index % 97 === 13)!
    const r = await adapter.tracePatient({ nhsNumber: p.nhsNumber, birthDate: p.birthDate })
    expect(r).toMatchObject({
      outcome: 'must-verify-identity',
      loginUrl: expect.stringMatching(/^https:\/\//),
    })
  })

  it('not on the Spine is not-found (an answer, not an error); a malformed NHS number is invalid', async () => {
    await expect(adapter.tracePatient({ nhsNumber: '9434765919', birthDate: '1950-01-01' })).resolves.toEqual(
      {
        outcome: 'not-found',
      },
    )
    await expectKind(adapter.tracePatient({ nhsNumber: '123', birthDate: '1950-01-01' }), 'invalid')
  })
})

describe('Hero adapter: slots and appointments', () => {
  it('lists locations and appointment types', async () => {
    expect((await adapter.listLocations()).map((l) => l.postcode)).toContain('N1 2AS')
    expect(
      (await adapter.listAppointmentTypes()).find((t) => t.name === 'Travel vaccination')?.lengthMinutes,
    ).toBe(30)
  })

  it('finds slots with their Hero slot ids, paging through long answers', async () => {
    const { start } = dayRange(MONDAY, ZONE)
    const { end } = dayRange('2026-04-03', ZONE)
    const before = requests()
    const slots = await adapter.findSlots({ from: start, to: end })
    expect(requests() - before).toBeGreaterThan(1)
    expect(slots.length).toBeGreaterThan(100)
    expect(new Set(slots.map((s) => s.token)).size).toBe(slots.length)
    for (const s of slots.slice(0, 20)) expect(Date.parse(s.end)).toBeGreaterThan(Date.parse(s.start))
  })

  it('reserves then confirms, and the same slot again is a conflict', async () => {
    const slot = await freeSlot()
    const req = await bookingFor(slot, 0)
    const before = writes().length
    const booked = await adapter.book(req)
    expect(booked).toMatchObject({ status: 'booked', start: slot.start, patientRef: req.patientRef })
    expect(
      writes()
        .slice(before)
        .map((w) => w.operation),
    ).toEqual(['POST /v1/appointments', 'PATCH /v1/appointments/:id/book'])
    await expectKind(
      adapter.book({ ...req, clientRef: newRef(), patientRef: await patientRef(1) }),
      'conflict',
    )
  })

  it('books by practitioner, type and time when there is no slot id', async () => {
    const slot = await freeSlot()
    const { slotToken: _, ...req } = await bookingFor(slot, 2)
    expect(await adapter.book(req)).toMatchObject({ status: 'booked', start: slot.start })
  })

  it('after a lost answer to the reservation, sending book again confirms our own reservation', async () => {
    const req = await bookingFor(await freeSlot(), 3)
    sim.control.inject({ kind: 'reset-after-write', count: 1 })
    await expectKind(adapter.book(req), 'ambiguous')
    // Reserved but not confirmed: not a finished write, so the outbox sends it again.
    expect(await adapter.findWrite({ kind: 'book', clientRef: req.clientRef, hint: req })).toBeNull()
    const booked = await adapter.book(req)
    expect(booked.status).toBe('booked')
    expect(await adapter.findWrite({ kind: 'book', clientRef: req.clientRef, hint: req })).toMatchObject({
      ref: booked.ref,
    })
  })

  it('reschedules to another slot and cancels (twice is still cancelled)', async () => {
    const booked = await adapter.book(await bookingFor(await freeSlot(), 4))
    const to = await freeSlot()
    const moved = await adapter.reschedule({
      clientRef: newRef(),
      ref: booked.ref!,
      start: to.start,
      end: to.end,
      slotToken: to.token!,
      practitionerRef: to.practitionerRef!,
    })
    expect(moved.start).toBe(to.start)
    // The body the reference documents, and nothing else (hero-health-api-reference-2.txt).
    const sent = writes()
      .filter((w) => w.operation === 'PATCH /v1/appointments/:id/reschedule')
      .at(-1)!
    expect(sent.outcome).toBe('applied')
    expect(sent.input).toEqual({
      practitioner_id: to.practitionerRef,
      duration: Math.round((Date.parse(to.end) - Date.parse(to.start)) / 60_000),
      start_time: to.start,
      suppress_mail: false,
      suppress_availability_check: false,
    })
    // Without a practitioner named, the appointment's own practitioner is sent.
    await adapter.reschedule({ clientRef: newRef(), ref: booked.ref!, start: to.start, end: to.end })
    expect(
      writes()
        .filter((w) => w.operation === 'PATCH /v1/appointments/:id/reschedule')
        .at(-1)!.input,
    ).toMatchObject({ practitioner_id: to.practitionerRef, start_time: to.start })
    expect(await adapter.getAppointment(booked.ref!)).toMatchObject({ start: to.start, end: to.end })

    expect(
      (await adapter.cancel({ clientRef: newRef(), ref: booked.ref!, reason: 'Patient rang' })).status,
    ).toBe('cancelled')
    expect((await adapter.cancel({ clientRef: newRef(), ref: booked.ref!, reason: 'again' })).status).toBe(
      'cancelled',
    )
    expect((await adapter.getAppointment(booked.ref!)).status).toBe('cancelled')
  })

  it('lists a day of appointments, pending and booked', async () => {
    const { start, end } = dayRange(MONDAY, ZONE)
    const list = await adapter.listAppointments({ from: start, to: end })
    expect(list.length).toBeGreaterThan(0)
    for (const a of list) expect(['booked', 'pending']).toContain(a.status)
  })

  it('an unknown appointment is not-found', async () => {
    await expectKind(adapter.getAppointment('999999'), 'not-found')
  })
})

describe('Hero adapter: pages counted from 1', () => {
  it('learns the page base from the answers and still lists every slot once', async () => {
    const other = await startHeroSimulator(seedClinic({ patients: 50, today: clock.now(), timeZone: ZONE }), {
      clock,
      pageIndexBase: 1,
    })
    try {
      const a = make({ apiKey: other.credentials.apiKey! }, {}, other)
      const { start } = dayRange(MONDAY, ZONE)
      const { end } = dayRange('2026-04-03', ZONE)
      const slots = await a.findSlots({ from: start, to: end })
      const expected = await adapter.findSlots({ from: start, to: end })
      expect(slots.length).toBeGreaterThan(100)
      expect(new Set(slots.map((s) => s.token)).size).toBe(slots.length)
      expect(slots.length).toBeGreaterThanOrEqual(expected.length)
    } finally {
      await other.close()
    }
  })
})

describe('Hero adapter: faults', () => {
  const read = () => adapter.listLocations()

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

  it('HTTP 503 on the reservation is unavailable and nothing was reserved', async () => {
    const req = await bookingFor(await freeSlot(), 5)
    sim.control.inject({ kind: 'status', status: 503, count: 1, scope: 'writes' })
    const before = writes().length
    await expectKind(adapter.book(req), 'unavailable')
    expect(writes().length).toBe(before)
  })

  it('429 is rate-limited with the Retry-After, sent once', async () => {
    sim.control.inject({ kind: 'rate-limit', retryAfterSeconds: 4, count: 1 })
    const before = requests()
    const e = await expectKind(read(), 'rate-limited')
    expect(e.retryAfterMs).toBe(4_000)
    expect(requests() - before).toBe(1)
  })

  it('reset before the write: ambiguous, nothing reserved, and the look-up finds nothing', async () => {
    const req = await bookingFor(await freeSlot(), 6)
    sim.control.inject({ kind: 'reset-before-write', count: 1 })
    const before = writes().length
    await expectKind(adapter.book(req), 'ambiguous')
    expect(writes().length).toBe(before)
    expect(await adapter.findWrite({ kind: 'book', clientRef: req.clientRef, hint: req })).toBeNull()
  })

  it('a hang is a timeout for a read and ambiguous for a write', async () => {
    sim.control.inject({ kind: 'hang', ms: 1_500, count: 1 })
    await expectKind(read(), 'timeout')
    const booked = await adapter.book(await bookingFor(await freeSlot(), 7))
    sim.control.inject({ kind: 'hang', ms: 1_500, count: 1 })
    const sent = requests()
    await expectKind(adapter.cancel({ clientRef: newRef(), ref: booked.ref!, reason: 'x' }), 'ambiguous')
    expect(requests() - sent).toBe(1)
    // Hero applies the cancel once its hang is over.
    await until(
      'the held cancel at Hero',
      async () => (await adapter.getAppointment(booked.ref!)).status === 'cancelled',
    )
  })

  it('a malformed answer is protocol for a read and ambiguous for a write', async () => {
    sim.control.inject({ kind: 'malformed', count: 1 })
    await expectKind(read(), 'protocol')
    const booked = await adapter.book(await bookingFor(await freeSlot(), 8))
    sim.control.inject({ kind: 'malformed', count: 1 })
    await expectKind(adapter.cancel({ clientRef: newRef(), ref: booked.ref!, reason: 'x' }), 'ambiguous')
    expect((await adapter.getAppointment(booked.ref!)).status).toBe('cancelled')
  })

  it('offline: reads and writes are offline and nothing reaches Hero', async () => {
    const req = await bookingFor(await freeSlot(), 9)
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
    await expect(adapter.book(req)).resolves.toMatchObject({
      status: 'booked',
    } satisfies Partial<Appointment>)
  })
})
