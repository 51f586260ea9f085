/**
 * One suite over every assumption register: for each entry with a connection option and each of
 * its values (the assumed one and every alternative), a simulator running that alternative and an
 * adapter switched to it, exercising the behaviour the entry is about.
 */
import { tracesStraightIn } from '../../../src/sandbox/hero/state'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  ManualClock,
  seedClinic,
  startHeimSimulator,
  startHeroSimulator,
  type SimulatorHandle,
} from '../../../src/sandbox'
import { startHealthieSimulator } from '../../../src/sandbox/healthie'
import { startSembleSimulator } from '../../../src/sandbox/semble'
import { healthieAssumptions } from '../../../src/main/vendors/healthie/assumptions'
import { heimAssumptions } from '../../../src/main/vendors/heim/assumptions'
import { heroAssumptions } from '../../../src/main/vendors/hero/assumptions'
import { sembleAssumptions } from '../../../src/main/vendors/semble/assumptions'
import type { HttpClient } from '../../../src/main/vendors/http/client'
import { dayRange } from '../../../src/main/vendors/normalise'
import { createAdapter } from '../../../src/main/vendors/registry'
import { VendorError, type VendorAdapter } from '../../../src/main/vendors/types'
import type { Vendor } from '../../../src/shared/model'
import { clientOn, connectionFor, expectKind, recordingLogger } from './support'
import {
  healthieSimulatorOptions,
  heimSimulatorOptions,
  heroSimulatorOptions,
  sembleSimulatorSetup,
  switchable,
  variantOption,
  variantsOf,
  type SembleSim,
} from './variants'

const ZONE = 'Europe/London'
const clock = new ManualClock(new Date('2026-03-27T08:00:00.000Z'))
const MONDAY = '2026-03-30'
let http: HttpClient
const logged = recordingLogger()
let seq = 0
const newRef = () => `00000000-0000-4000-8000-${String(++seq).padStart(12, '0')}`

beforeAll(() => {
  http = clientOn(clock, {}, logged.log)
})
afterAll(() => http.close())

const clinic = (patients = 40) => seedClinic({ patients, today: clock.now(), timeZone: ZONE })
const adapterFor = (
  vendor: Vendor,
  url: string,
  credentials: Record<string, string>,
  options: Record<string, string>,
) =>
  createAdapter(connectionFor(vendor, url, options), {
    http,
    readCredentials: async () => credentials,
    log: logged.log,
    now: () => clock.now(),
  })

/** What one assumption's variant is checked by (./variants.ts sets up its simulator). */
interface Case {
  /** Patients in the simulator's clinic, where the check needs more than one page of them. */
  patients?: number
  check: (adapter: VendorAdapter, sim: SimulatorHandle<never>, value: string) => Promise<void>
}

/* ---------------- rate limits (Hero and Heim publish none) ---------------- */

/**
 * The simulator refuses more than `value` requests a minute. An adapter set to the same figure
 * paces itself and is never refused; one allowed ten times as many meets the 429 and reports the
 * simulator's Retry-After.
 */
function rateLimitCase(vendor: 'hero' | 'heim'): Case {
  return {
    check: async (adapter, simHandle, value) => {
      const limit = Number(value)
      for (let i = 0; i < limit + 5; i++) await adapter.testConnection()
      expect(simHandle.control.rateLimitedCount()).toBe(0)
      const options = (adapter as unknown as { deps: { connection: { options: Record<string, string> } } })
        .deps.connection.options
      const hasty = createAdapter(
        {
          ...connectionFor(vendor, simHandle.url, { ...options, rateLimitPerMinute: String(limit * 10) }),
          id: `${vendor}-hasty`,
        },
        {
          http,
          readCredentials: async () => ({ ...simHandle.credentials }),
          log: logged.log,
          now: () => clock.now(),
        },
      )
      let refused: VendorError | undefined
      for (let i = 0; i < limit * 2 && !refused; i++) {
        await hasty.testConnection().catch((e: unknown) => {
          if (!(e instanceof VendorError)) throw e
          refused = e
        })
      }
      expect(refused?.kind).toBe('rate-limited')
      expect(refused?.retryAfterMs).toBeGreaterThan(0)
      expect(simHandle.control.rateLimitedCount()).toBe(1)
    },
  }
}

/* ---------------- Hero ---------------- */

async function heroBooking(adapter: VendorAdapter, sim: SimulatorHandle<never>, n = 0) {
  const state = (
    sim.control as unknown as { state: { pds: { nhsNumber: string; birthDate: string; index: number }[] } }
  ).state
  const person = state.pds.filter(tracesStraightIn)[n]!
  const trace = await adapter.tracePatient!({ nhsNumber: person.nhsNumber, birthDate: person.birthDate })
  if (trace.outcome !== 'found') throw new Error('no patient')
  const type = (await adapter.listAppointmentTypes!()).find((t) => t.name === 'GP appointment')!
  const { start, end } = dayRange(MONDAY, ZONE)
  const slot = (await adapter.findSlots!({ from: start, to: end, appointmentTypeRef: type.ref }))[n * 7]!
  return {
    clientRef: newRef(),
    patientRef: trace.patientRef,
    appointmentTypeRef: type.ref,
    practitionerRef: slot.practitionerRef!,
    locationRef: slot.locationRef!,
    start: slot.start,
    end: slot.end,
    slotToken: slot.token!,
  }
}

const heroCases: Record<string, Case> = {
  rateLimit: rateLimitCase('hero'),
  reserveBody: {
    check: async (adapter, sim) => {
      expect((await adapter.book!(await heroBooking(adapter, sim))).status).toBe('booked')
    },
  },
  confirmAction: {
    check: async (adapter, sim) => {
      expect((await adapter.book!(await heroBooking(adapter, sim))).status).toBe('booked')
    },
  },
  appointmentList: {
    check: async (adapter, sim, v) => {
      const req = await heroBooking(adapter, sim)
      const booked = await adapter.book!(req)
      const found = await adapter.findWrite!({ kind: 'book', clientRef: req.clientRef, hint: req })
      if (v === 'none') {
        expect(adapter.capabilities.operations).not.toContain('listAppointments')
        expect(adapter.listAppointments).toBeUndefined()
        expect(found).toBeNull()
      } else {
        const { start, end } = dayRange(MONDAY, ZONE)
        expect((await adapter.listAppointments!({ from: start, to: end })).map((a) => a.ref)).toContain(
          booked.ref,
        )
        expect(found).toMatchObject({ ref: booked.ref })
      }
    },
  },
  pageIndexBase: {
    check: async (adapter) => {
      const { start } = dayRange(MONDAY, ZONE)
      const { end } = dayRange('2026-04-03', ZONE)
      const slots = await adapter.findSlots!({ from: start, to: end })
      expect(slots.length).toBeGreaterThan(100) // more than one page
      expect(new Set(slots.map((s) => s.token)).size).toBe(slots.length)
    },
  },
  repeatCancelStatus: {
    check: async (adapter, sim) => {
      const booked = await adapter.book!(await heroBooking(adapter, sim))
      const again = () => adapter.cancel!({ clientRef: newRef(), ref: booked.ref!, reason: 'Patient rang' })
      expect((await again()).status).toBe('cancelled')
      expect((await again()).status).toBe('cancelled')
    },
  },
  cancelledRead: {
    check: async (adapter, sim) => {
      const booked = await adapter.book!(await heroBooking(adapter, sim))
      expect((await adapter.getAppointment!(booked.ref!)).status).toBe('booked')
      await adapter.cancel!({ clientRef: newRef(), ref: booked.ref!, reason: 'Patient rang' })
      expect((await adapter.getAppointment!(booked.ref!)).status).toBe('cancelled')
    },
  },
  repeatConfirmStatus: {
    check: async (adapter, sim) => {
      const booked = await adapter.book!(await heroBooking(adapter, sim))
      // Confirming again (a resend whose first answer was lost) keeps the confirmed booking.
      const hero = adapter as unknown as {
        confirm(held: { id: string }, patient: string): Promise<{ status: string }>
      }
      expect((await hero.confirm({ id: booked.ref! }, booked.patientRef!)).status).toBe('booked')
    },
  },
}

/* ---------------- Heim ---------------- */

async function heimVisit(adapter: VendorAdapter, sim: SimulatorHandle<never>) {
  const state = sim.control as unknown as { state: { patients: Map<string, { id: string }> } }
  const task = (await adapter.listAppointmentTypes!())[0]!.ref
  const { start } = dayRange(MONDAY, ZONE)
  const { end } = dayRange('2026-04-01', ZONE)
  for (const { id } of [...state.state.patients.values()].slice(0, 15)) {
    const p = await adapter.getPatient!(id)
    if (!p.postcode || !p.phone) continue
    const windows = await adapter.findSlots!({
      from: start,
      to: end,
      appointmentTypeRef: task,
      postcode: p.postcode,
    })
    if (!windows.length) continue
    const w = windows[seq % windows.length]!
    return {
      windows,
      req: {
        clientRef: newRef(),
        patientRef: id,
        appointmentTypeRef: task,
        start: w.start,
        end: w.end,
        slotToken: w.token!,
      },
    }
  }
  throw new Error('no patient in an area Heim covers')
}

const heimCases: Record<string, Case> = {
  rateLimit: rateLimitCase('heim'),
  availabilityPath: {
    check: async (adapter, sim) => {
      expect((await heimVisit(adapter, sim)).windows.length).toBeGreaterThan(0)
    },
  },
  tasksPath: {
    check: async (adapter) => {
      expect((await adapter.listAppointmentTypes!()).length).toBeGreaterThan(0)
    },
  },
  availabilityQuery: {
    check: async (adapter, sim) => {
      expect((await heimVisit(adapter, sim)).windows.length).toBeGreaterThan(0)
    },
  },
  appointmentTimeField: {
    check: async (adapter, sim) => {
      const { req } = await heimVisit(adapter, sim)
      const booked = await adapter.book!(req)
      const day = dayRange(new Date(req.start).toISOString().slice(0, 10), ZONE)
      expect((await adapter.listAppointments!({ from: day.start, to: day.end })).map((a) => a.ref)).toContain(
        booked.ref,
      )
    },
  },
  repeatCancelStatus: {
    check: async (adapter, sim) => {
      const booked = await adapter.book!((await heimVisit(adapter, sim)).req)
      const again = () => adapter.cancel!({ clientRef: newRef(), ref: booked.ref!, reason: 'Patient rang' })
      expect((await again()).status).toBe('cancelled')
      expect((await again()).status).toBe('cancelled')
    },
  },
  cancelReasonCode: {
    check: async (adapter, sim, value) => {
      const booked = await adapter.book!((await heimVisit(adapter, sim)).req)
      expect(
        (await adapter.cancel!({ clientRef: newRef(), ref: booked.ref!, reason: 'Patient rang' })).status,
      ).toBe('cancelled')
      const state = sim.control as unknown as {
        state: { appointments: Map<string, { cancellation?: { reasonCode: string } }> }
      }
      expect(state.state.appointments.get(booked.ref!)?.cancellation?.reasonCode).toBe(value)
    },
  },
  paging: {
    patients: 500, // Heim sees one in four: over a hundred, more than one page
    check: async (adapter, sim) => {
      // The cache refresh walks every page; a search and the task list read the first.
      const state = sim.control as unknown as { state: { patients: Map<string, { lastName: string }> } }
      const seen: string[] = []
      let cursor: string | undefined
      for (let pages = 0; pages < 10; pages++) {
        const { patients, next } = await adapter.listPatients!(cursor ? { cursor } : {})
        seen.push(...patients.map((p) => p.ref!))
        if (!next) break
        cursor = next
      }
      expect(new Set(seen).size).toBe(state.state.patients.size)
      expect(seen).toHaveLength(state.state.patients.size)
      const someone = [...state.state.patients.values()][0]!
      expect((await adapter.findPatients!({ text: someone.lastName })).length).toBeGreaterThan(0)
      expect((await adapter.listAppointmentTypes!()).length).toBeGreaterThan(0)
    },
  },
  filterCombine: {
    check: async (adapter, sim, value) => {
      // Both bounds reach Heim: the simulator answers only that day's visits, which the adapter lists.
      const { req } = await heimVisit(adapter, sim)
      const booked = await adapter.book!(req)
      const day = dayRange(new Date(req.start).toISOString().slice(0, 10), ZONE)
      const listed = await adapter.listAppointments!({ from: day.start, to: day.end })
      expect(listed.map((a) => a.ref)).toContain(booked.ref)
      const asked = sim.control
        .recentRequests()
        .filter((r) => r.method === 'GET' && r.path === '/v1/appointments')
      expect(asked.length).toBeGreaterThan(0)
      // Each list request carries both of the day's bounds in the form this simulator reads.
      for (const { query } of asked) {
        const filters = value === 'comma' ? (query.get('filter') ?? '').split('",') : query.getAll('filter')
        expect(filters).toHaveLength(2)
      }
    },
  },
  referenceFilterField: {
    check: async (adapter, sim) => {
      const { req } = await heimVisit(adapter, sim)
      const booked = await adapter.book!(req)
      expect(await adapter.findWrite!({ kind: 'book', clientRef: req.clientRef, hint: {} })).toMatchObject({
        ref: booked.ref,
      })
    },
  },
  nameFilterField: {
    check: async (adapter, sim) => {
      const state = sim.control as unknown as { state: { patients: Map<string, { lastName: string }> } }
      const someone = [...state.state.patients.values()][0]!
      expect((await adapter.findPatients!({ text: someone.lastName })).length).toBeGreaterThan(0)
    },
  },
}

/* ---------------- Semble ---------------- */

const sembleCases: Record<string, Case> = {
  appointmentTypesFrom: {
    check: async (adapter) => {
      const types = await adapter.listAppointmentTypes!()
      expect(types.find((t) => t.name === 'Physiotherapy assessment')?.lengthMinutes).toBe(45)
      expect(types.map((t) => t.name)).not.toContain('Blood pressure monitor')
    },
  },
  locationsFrom: {
    check: async (adapter, sim) => {
      const state = (sim.control as unknown as SembleSim['control']).state
      expect((await adapter.listLocations!()).map((l) => l.name).sort()).toEqual(
        [...state.locations.values()].map((l) => l.name).sort(),
      )
    },
  },
}

sembleCases.providerLink = {
  check: async (adapter, sim, v) => {
    const state = (sim.control as unknown as SembleSim['control']).state
    const types = await adapter.listAppointmentTypes!()
    const gp = types.find((t) => t.name === 'GP appointment')!
    const physio = types.find((t) => t.name === 'Physiotherapy assessment')!
    const people = await adapter.listPractitioners!()
    if (v === 'none') {
      expect(people.every((p) => p.appointmentTypeRefs === undefined)).toBe(true)
      return
    }
    // Each clinician's types are exactly their servicesProvided: GPs the GP types, not physio.
    for (const p of people) expect(p.appointmentTypeRefs).toEqual(state.users.get(p.ref)!.servicesProvided)
    expect(people.filter((p) => p.appointmentTypeRefs!.includes(gp.ref)).length).toBeGreaterThan(0)
    expect(
      people.filter(
        (p) => p.appointmentTypeRefs!.includes(gp.ref) && p.appointmentTypeRefs!.includes(physio.ref),
      ),
    ).toEqual([])
    // A practice that never set services up does not use the link: nobody is left out for it.
    for (const u of state.users.values()) u.servicesProvided = []
    expect((await adapter.listPractitioners!()).every((p) => p.appointmentTypeRefs === undefined)).toBe(true)
  },
}

sembleCases.refusesOverlap = {
  check: async (adapter, sim, v) => {
    const state = (sim.control as unknown as SembleSim['control']).state
    const [type] = (await adapter.listAppointmentTypes!()).filter((t) => t.lengthMinutes === 10)
    const [location] = await adapter.listLocations!()
    const { start, end } = dayRange(MONDAY, ZONE)
    const slot = (
      await adapter.findSlots!({
        from: start,
        to: end,
        appointmentTypeRef: type!.ref,
        locationRef: location!.ref,
      })
    )[3]!
    const patients = [...state.patients.keys()]
    const req = (i: number) => ({
      clientRef: newRef(),
      patientRef: patients[i]!,
      appointmentTypeRef: type!.ref,
      practitionerRef: slot.practitionerRef!,
      locationRef: location!.ref,
      start: slot.start,
      end: slot.end,
    })
    const first = req(0)
    const booked = await adapter.book!(first)
    // Sent again (its first answer lost): the same booking, not a second one.
    if (v === 'no') expect((await adapter.book!(first)).ref).toBe(booked.ref)
    await expectKind(adapter.book!(req(1)), 'conflict')
    const live = [...state.bookings.values()].filter(
      (b) =>
        !b.deleted && b.doctorId === slot.practitionerRef && Date.parse(b.start) === Date.parse(slot.start),
    )
    expect(live).toHaveLength(1)
  },
}

sembleCases.updateBookingFields = {
  check: async (adapter, sim) => {
    const state = (sim.control as unknown as SembleSim['control']).state
    const [type] = (await adapter.listAppointmentTypes!()).filter((t) => t.lengthMinutes === 10)
    const [location] = await adapter.listLocations!()
    const { start, end } = dayRange(MONDAY, ZONE)
    const slots = await adapter.findSlots!({
      from: start,
      to: end,
      appointmentTypeRef: type!.ref,
      locationRef: location!.ref,
    })
    const clientRef = newRef()
    const booked = await adapter.book!({
      clientRef,
      patientRef: [...state.patients.keys()][0]!,
      appointmentTypeRef: type!.ref,
      practitionerRef: slots[5]!.practitionerRef!,
      locationRef: location!.ref,
      start: slots[5]!.start,
      end: slots[5]!.end,
      note: 'Wheelchair user',
    })
    const at = () => state.bookings.get(booked.ref!)!
    const kept = { doctorId: at().doctorId, locationId: at().locationId, bookingTypeId: at().bookingTypeId }
    // A new note: the marker stays, and nothing else changes.
    const noted = await adapter.updateNote!({
      clientRef: newRef(),
      ref: booked.ref!,
      note: 'Interpreter needed',
    })
    expect(noted.note).toBe('Interpreter needed')
    expect(at().comments).toBe(`Interpreter needed\n[frontdesk:${clientRef}]`)
    expect(at()).toMatchObject({ ...kept, start: new Date(slots[5]!.start).toISOString() })
    // A move: the time changes; the note, the marker, the type and the site stay.
    const later = slots.find(
      (x) => x.practitionerRef === slots[5]!.practitionerRef && x.start > slots[5]!.end,
    )!
    await adapter.reschedule!({ clientRef: newRef(), ref: booked.ref!, start: later.start, end: later.end })
    expect(at()).toMatchObject({ ...kept, start: new Date(later.start).toISOString() })
    expect(at().comments).toBe(`Interpreter needed\n[frontdesk:${clientRef}]`)
  },
}

/* ---------------- Healthie ---------------- */

type HealthieSim = Awaited<ReturnType<typeof startHealthieSimulator>>
const healthieState = (sim: SimulatorHandle<never>) =>
  (sim.control as unknown as HealthieSim['control']).state

const healthieCases: Record<string, Case> = {
  nhsNumberField: {
    check: async (adapter, sim, v) => {
      const created = await adapter.createPatient!({
        clientRef: newRef(),
        givenName: 'Aneurin',
        familyName: 'Bevan',
        birthDate: '1957-11-15',
        nhsNumber: '943 476 5919',
      })
      const kept = healthieState(sim).users.get(created.ref!)!.record_identifier
      const back = await adapter.getPatient!(created.ref!)
      if (v === 'record_identifier') {
        expect(kept).toBe('9434765919')
        expect(back.nhsNumber).toBe('9434765919')
        expect(adapter.capabilities.patientFields).toContain('nhsNumber')
      } else {
        // Sent nowhere, read from nowhere, and not offered as a detail Frontdesk can change.
        expect(kept).toBeNull()
        expect(back.nhsNumber).toBeUndefined()
        expect(adapter.capabilities.patientFields).not.toContain('nhsNumber')
      }
    },
  },
  providerLink: {
    check: async (adapter, sim, v) => {
      const state = healthieState(sim)
      const people = await adapter.listPractitioners!()
      if (v === 'none') {
        expect(people.every((p) => p.appointmentTypeRefs === undefined)).toBe(true)
        return
      }
      // Each provider's types are the ones of their role: no one offers a GP and a physio type.
      const types = [...state.appointmentTypes.values()]
      for (const p of people) {
        const role = state.users.get(p.ref)!.role
        expect(p.appointmentTypeRefs!.sort()).toEqual(
          types
            .filter((t) => t.deleted_at === null && role && t.roles.includes(role))
            .map((t) => t.id)
            .sort(),
        )
      }
      const gp = types.find((t) => t.name === 'GP appointment')!.id
      const physio = types.find((t) => t.name === 'Physiotherapy assessment')!.id
      expect(people.some((p) => p.appointmentTypeRefs!.includes(gp))).toBe(true)
      expect(
        people.filter((p) => p.appointmentTypeRefs!.includes(gp) && p.appointmentTypeRefs!.includes(physio)),
      ).toEqual([])
      // An organisation that never linked types to providers does not use the link.
      for (const u of state.users.values()) if (u.kind === 'provider') u.role = null
      expect((await adapter.listPractitioners!()).every((p) => p.appointmentTypeRefs === undefined)).toBe(
        true,
      )
    },
  },
}

/* ---------------- the suite ---------------- */

describe('every switchable assumption has a case here', () => {
  it.each([
    ['hero', heroAssumptions, heroCases, heroSimulatorOptions],
    ['heim', heimAssumptions, heimCases, heimSimulatorOptions],
    ['semble', sembleAssumptions, sembleCases, sembleSimulatorSetup],
    ['healthie', healthieAssumptions, healthieCases, healthieSimulatorOptions],
  ] as const)('%s', (_v, register, cases, simulator) => {
    expect(switchable(register).sort()).toEqual(Object.keys(cases).sort())
    expect(switchable(register).sort()).toEqual(Object.keys(simulator).sort())
  })

  it('Heim’s cancellation code cannot be the no-show’s, or every cancellation would read as a no-show', async () => {
    const sim = await startHeimSimulator(clinic(), { clock })
    try {
      expect(() =>
        adapterFor(
          'heim',
          sim.url,
          { apiKey: sim.credentials.apiKey! },
          { cancelReasonCode: 'patient_not_present' },
        ),
      ).toThrow(/cancelReasonCode.*cannot be patient_not_present/)
    } finally {
      await sim.close()
    }
  })

  it('a value outside the register is refused with the option named', async () => {
    const sim = await startHeroSimulator(clinic(), { clock })
    try {
      const a = () => adapterFor('hero', sim.url, {}, { practiceGroupId: '1', repeatCancelStatus: '418' })
      expect(a).toThrow(/repeatCancelStatus.*409, 410, 400/)
    } finally {
      await sim.close()
    }
  })
})

const variantRows = (vendor: Vendor) => variantsOf(vendor).map(({ key, value }) => [key, value] as const)

describe.each(variantRows('hero'))('Hero %s = %s', (key, value) => {
  it('the adapter works against a simulator that behaves so', async () => {
    const sim = await startHeroSimulator(clinic(), { clock, ...heroSimulatorOptions[key]!(value) })
    try {
      const adapter = adapterFor(
        'hero',
        sim.url,
        { apiKey: sim.credentials.apiKey! },
        { practiceGroupId: sim.credentials.practiceGroupId!, ...variantOption('hero', { key, value }) },
      )
      await heroCases[key]!.check(adapter, sim as unknown as SimulatorHandle<never>, value)
    } finally {
      await sim.close()
    }
  })
})

describe.each(variantRows('heim'))('Heim %s = %s', (key, value) => {
  it('the adapter works against a simulator that behaves so', async () => {
    const sim = await startHeimSimulator(clinic(heimCases[key]!.patients), {
      clock,
      ...heimSimulatorOptions[key]!(value),
    })
    try {
      const adapter = adapterFor(
        'heim',
        sim.url,
        { apiKey: sim.credentials.apiKey! },
        variantOption('heim', { key, value }),
      )
      await heimCases[key]!.check(adapter, sim as unknown as SimulatorHandle<never>, value)
    } finally {
      await sim.close()
    }
  })
})

describe.each(variantRows('semble'))('Semble %s = %s', (key, value) => {
  it('the adapter works against a simulator that behaves so', async () => {
    const sim: SembleSim = await startSembleSimulator(clinic(), { clock })
    try {
      const extra = sembleSimulatorSetup[key]!(value)(sim)
      const adapter = adapterFor(
        'semble',
        sim.url,
        { apiToken: sim.credentials.apiToken! },
        { ...variantOption('semble', { key, value }), ...extra },
      )
      await sembleCases[key]!.check(adapter, sim as unknown as SimulatorHandle<never>, value)
    } finally {
      await sim.close()
    }
  })
})

describe.each(variantRows('healthie'))('Healthie %s = %s', (key, value) => {
  it('the adapter works against a simulator that behaves so', async () => {
    const sim = await startHealthieSimulator(clinic(), { clock, ...healthieSimulatorOptions[key]!(value) })
    try {
      const adapter = adapterFor(
        'healthie',
        sim.url,
        { apiKey: sim.credentials.apiKey! },
        variantOption('healthie', { key, value }),
      )
      await healthieCases[key]!.check(adapter, sim as unknown as SimulatorHandle<never>, value)
    } finally {
      await sim.close()
    }
  })
})

describe('Hero and Heim simulators enforce the assumed limit when none is set', () => {
  it.each([
    ['hero', heroAssumptions.rateLimit.assumed],
    ['heim', heimAssumptions.rateLimit.assumed],
  ] as const)('%s: %s a minute', async (vendor, assumed) => {
    const sim =
      vendor === 'hero'
        ? await startHeroSimulator(clinic(), { clock })
        : await startHeimSimulator(clinic(), { clock })
    try {
      const options: Record<string, string> =
        vendor === 'hero' ? { practiceGroupId: sim.credentials.practiceGroupId! } : {}
      const adapter = adapterFor(vendor, sim.url, { apiKey: sim.credentials.apiKey! }, options)
      await rateLimitCase(vendor).check(adapter, sim as unknown as SimulatorHandle<never>, assumed)
    } finally {
      await sim.close()
    }
  })
})

describe('a mismatch is visible, not silent', () => {
  it('an adapter assuming the wrong availability path gets not-found, not an empty list', async () => {
    const sim = await startHeimSimulator(clinic(), { clock, availabilityPath: '/v1/windows' })
    try {
      const adapter = adapterFor('heim', sim.url, { apiKey: sim.credentials.apiKey! }, {})
      const task = (await adapter.listAppointmentTypes!())[0]!.ref
      const { start, end } = dayRange(MONDAY, ZONE)
      await expectKind(
        adapter.findSlots!({ from: start, to: end, appointmentTypeRef: task, postcode: 'N1 1AA' }),
        'not-found',
      )
    } finally {
      await sim.close()
    }
  })
})
