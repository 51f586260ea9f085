/**
 * The vendor-neutral conformance suite: what Frontdesk needs from any clinic system, tried in
 * order through the real adapter. Each behaviour passes, fails (with the reason), or is not tried
 * (the vendor lacks the operation, writes were not allowed, or an earlier step failed). The same
 * list runs against the simulators in `npm test` and against a real sandbox in `npm run test:live`.
 */
import { randomUUID } from 'node:crypto'
import { DateTime } from 'luxon'
import type { Appointment, Patient, Slot, Vendor } from '../../../../src/shared/model'
import type { OperationName, VendorAdapter } from '../../../../src/main/vendors/types'
import type { Target } from './targets'

export type Outcome = { result: 'pass' | 'fail' | 'not tried'; detail: string }

/** What earlier behaviours found, for later ones. */
export interface Found {
  patient?: Patient
  patientRef?: string
  candidates: string[]
  slots: Slot[]
  appointmentTypeRef?: string
  /** The first location, for vendors whose in-person bookings must name one (Healthie). */
  locationRef?: string
  booked?: Appointment
  bookedRequest?: { clientRef: string; slot: Slot }
}

export interface Behaviour {
  name: string
  write: boolean
  /** Operations the vendor must have for this to be tried. */
  needs: OperationName[]
  /** Assumption-register entries this behaviour puts to the test, per vendor. */
  exercises?: Partial<Record<Vendor, string[]>>
  run(a: VendorAdapter, t: Target, found: Found): Promise<string>
}

class NotTried extends Error {}
const notTried = (why: string) => new NotTried(why)

const iso = (d: DateTime) => d.toUTC().toISO()!
const localDay = (t: Target) => DateTime.fromJSDate(t.clock.now(), { zone: t.timeZone }).startOf('day')

/** Free slots from now over the next few days, for the patient (Heim needs their postcode). */
async function slotsFor(a: VendorAdapter, t: Target, found: Found, patient?: Patient): Promise<Slot[]> {
  const now = t.clock.now().getTime()
  const from = DateTime.fromJSDate(t.clock.now())
  const to = localDay(t).plus({ days: 4 })
  const types = a.listAppointmentTypes ? await a.listAppointmentTypes() : [undefined]
  for (const type of types.slice(0, 4)) {
    const slots = await a.findSlots!({
      from: iso(from),
      to: iso(to),
      ...(type ? { appointmentTypeRef: type.ref } : {}),
      ...(patient?.postcode ? { postcode: patient.postcode } : {}),
    })
    const ahead = slots.filter((s) => Date.parse(s.start) > now)
    if (ahead.length >= 4) {
      if (type) found.appointmentTypeRef = type.ref
      return ahead
    }
  }
  return []
}

function takeSlot(found: Found, unlike?: Slot): Slot {
  const i = found.slots.findIndex(
    (s) =>
      !unlike || (s.start !== unlike.start && (s.practitionerRef ?? '') === (unlike.practitionerRef ?? '')),
  )
  if (i < 0) throw new Error('no free slot left in the week searched')
  return found.slots.splice(i, 1)[0]!
}

async function book(a: VendorAdapter, found: Found, slot: Slot) {
  const clientRef = randomUUID()
  const appointment = await a.book!({
    clientRef,
    patientRef: found.patientRef!,
    appointmentTypeRef: slot.appointmentTypeRef ?? found.appointmentTypeRef!,
    start: slot.start,
    end: slot.end,
    ...(slot.practitionerRef ? { practitionerRef: slot.practitionerRef } : {}),
    ...(slot.locationRef || found.locationRef ? { locationRef: slot.locationRef ?? found.locationRef! } : {}),
    ...(slot.token ? { slotToken: slot.token } : {}),
    note: 'Frontdesk conformance test',
  })
  if (!appointment.ref) throw new Error('the booking came back without the vendor’s id')
  return { appointment, clientRef }
}

function expectStatus(a: Appointment, allowed: string[], what: string) {
  if (!allowed.includes(a.status))
    throw new Error(`${what}: status ${a.status}, expected ${allowed.join(' or ')}`)
}

export const behaviours: Behaviour[] = [
  {
    name: 'authenticate',
    write: false,
    needs: [],
    run: async (a) => (await a.testConnection()).detail,
  },
  {
    name: 'read reference data',
    write: false,
    needs: [],
    exercises: { semble: ['appointmentTypesFrom', 'locationsFrom'] },
    run: async (a, _t, found) => {
      const types = a.listAppointmentTypes ? await a.listAppointmentTypes() : undefined
      const locations = a.listLocations ? await a.listLocations() : undefined
      const people = a.listPractitioners ? await a.listPractitioners() : undefined
      if (types && !types.length) throw new Error('no appointment types')
      if (locations?.[0]) found.locationRef = locations[0].ref
      return [
        types && `${types.length} appointment types`,
        locations && `${locations.length} locations`,
        people && `${people.length} practitioners`,
      ]
        .filter(Boolean)
        .join(', ')
    },
  },
  {
    name: 'find the test patient',
    write: false,
    needs: [],
    run: async (a, t, found) => {
      if (t.trace && a.tracePatient) {
        const r = await a.tracePatient(t.trace)
        if (r.outcome !== 'found') throw new Error(`trace answered ${r.outcome}`)
        found.candidates = [r.patientRef]
      } else if (t.patientRef) {
        found.candidates = [t.patientRef]
      } else if (t.kind === 'simulator' && a.listPatients) {
        found.candidates = (await a.listPatients({})).patients.slice(0, 20).map((p) => p.ref!)
      } else throw notTried('no test patient named (FRONTDESK_LIVE_<VENDOR>_PATIENT_ID)')
      found.patientRef = found.candidates[0]
      if (a.getPatient) found.patient = await a.getPatient(found.patientRef!)
      return `patient ${found.patientRef}`
    },
  },
  {
    name: 'search patients',
    write: false,
    needs: ['findPatients'],
    exercises: { heim: ['nameFilterField'] },
    run: async (a, t, found) => {
      const text = t.searchText ?? found.patient?.familyName
      if (!text) throw notTried('nothing to search for (FRONTDESK_LIVE_<VENDOR>_SEARCH)')
      const hits = await a.findPatients!({ text, limit: 20 })
      if (!t.searchText && found.patientRef && !hits.some((p) => p.ref === found.patientRef))
        throw new Error(`searching "${text}" did not find patient ${found.patientRef}`)
      if (!hits.length) throw new Error(`searching "${text}" found nobody`)
      return `${hits.length} found for "${text}"`
    },
  },
  {
    name: 'list a day',
    write: false,
    needs: ['listAppointments'],
    exercises: { hero: ['appointmentList'], heim: ['appointmentTimeField'] },
    run: async (a, t) => {
      const day = localDay(t)
      const list = await a.listAppointments!({ from: iso(day), to: iso(day.plus({ days: 1 })) })
      return `${list.length} appointments on ${day.toISODate()}`
    },
  },
  {
    name: 'find free slots',
    write: false,
    needs: ['findSlots'],
    exercises: { hero: ['pageIndexBase'], heim: ['availabilityPath', 'availabilityQuery'] },
    run: async (a, t, found) => {
      // On a simulator any seeded patient will do; Heim covers only some areas, so try several.
      for (const ref of found.candidates.length ? found.candidates : [undefined]) {
        const patient = ref && a.getPatient ? await a.getPatient(ref) : found.patient
        found.slots = await slotsFor(a, t, found, patient)
        if (found.slots.length) {
          if (ref) found.patientRef = ref
          return `${found.slots.length} free slots in the next few days`
        }
        if (t.kind === 'live') break
      }
      throw new Error('no free slot in the next few days')
    },
  },
  {
    name: 'book',
    write: true,
    needs: ['book'],
    exercises: { hero: ['reserveBody', 'confirmAction'] },
    run: async (a, _t, found) => {
      if (!found.patientRef || !found.slots.length) throw notTried('needs a patient and free slots')
      const slot = takeSlot(found)
      const { appointment, clientRef } = await book(a, found, slot)
      expectStatus(appointment, ['booked', 'pending'], 'book')
      found.booked = appointment
      found.bookedRequest = { clientRef, slot }
      return `booked ${appointment.ref} at ${slot.start}`
    },
  },
  {
    name: 'recover a write whose answer was lost',
    write: true,
    needs: ['findWrite'],
    exercises: { hero: ['appointmentList'], heim: ['referenceFilterField'] },
    run: async (a, _t, found) => {
      if (!found.booked || !found.bookedRequest) throw notTried('needs a booking')
      const { clientRef, slot } = found.bookedRequest
      // The answer to the booking is set aside: only what the vendor holds can say it happened.
      const match = await a.findWrite!({
        kind: 'book',
        clientRef,
        hint: {
          patientRef: found.patientRef!,
          start: slot.start,
          ...(slot.practitionerRef ? { practitionerRef: slot.practitionerRef } : {}),
          ...(slot.token ? { slotToken: slot.token } : {}),
          ...(found.appointmentTypeRef ? { appointmentTypeRef: found.appointmentTypeRef } : {}),
        },
      })
      if (!match || match.ref !== found.booked.ref)
        throw new Error(`looked up by its client reference, found ${match?.ref ?? 'nothing'}`)
      return `found ${match.ref} again`
    },
  },
  {
    name: 'reschedule',
    write: true,
    needs: ['reschedule'],
    run: async (a, _t, found) => {
      if (!found.booked || !found.bookedRequest) throw notTried('needs a booking')
      const to = takeSlot(found, found.bookedRequest.slot)
      const moved = await a.reschedule!({
        clientRef: randomUUID(),
        ref: found.booked.ref!,
        start: to.start,
        end: to.end,
        ...(to.token ? { slotToken: to.token } : {}),
        ...(to.practitionerRef ? { practitionerRef: to.practitionerRef } : {}),
      })
      if (Date.parse(moved.start ?? '') !== Date.parse(to.start))
        throw new Error(`moved to ${moved.start}, asked for ${to.start}`)
      found.booked = moved
      return `moved to ${to.start}`
    },
  },
  {
    name: 'cancel (twice, as a resend would)',
    write: true,
    needs: ['cancel'],
    exercises: { hero: ['repeatCancelStatus'], heim: ['repeatCancelStatus'] },
    run: async (a, _t, found) => {
      if (!found.booked) throw notTried('needs a booking')
      const cancel = () =>
        a.cancel!({ clientRef: randomUUID(), ref: found.booked!.ref!, reason: 'Frontdesk conformance test' })
      expectStatus(await cancel(), ['cancelled'], 'cancel')
      expectStatus(await cancel(), ['cancelled'], 'cancel again')
      return `cancelled ${found.booked.ref}`
    },
  },
  ...(['markArrived', 'markNoShow'] as const).map((op): Behaviour => ({
    name: op === 'markArrived' ? 'arrive' : 'no-show',
    write: true,
    needs: ['book', op, 'cancel'],
    run: async (a, t, found) => {
      if (!found.patientRef || !found.slots.length) throw notTried('needs a patient and free slots')
      const { appointment } = await book(a, found, takeSlot(found))
      try {
        const marked = await a[op]!({
          clientRef: randomUUID(),
          ref: appointment.ref!,
          at: t.clock.now().toISOString(),
        })
        expectStatus(marked, op === 'markArrived' ? ['arrived', 'checked-in'] : ['noshow'], op)
        return `${appointment.ref} is ${marked.status}`
      } finally {
        // Leave the sandbox's diary as it was.
        await a.cancel!({
          clientRef: randomUUID(),
          ref: appointment.ref!,
          reason: 'Frontdesk conformance test',
        }).catch(() => undefined)
      }
    },
  })),
]

/** Runs one behaviour: pass, fail with the reason, or not tried with why. */
export async function attempt(b: Behaviour, a: VendorAdapter, t: Target, found: Found): Promise<Outcome> {
  const missing = b.needs.filter((op) => !a.capabilities.operations.includes(op))
  if (missing.length)
    return {
      result: 'not tried',
      detail: `${t.vendor} has no ${missing.join(', ')}${missing
        .map((m) => a.capabilities.notes[m])
        .filter(Boolean)
        .map((n) => `: ${n}`)
        .join('')}`,
    }
  if (b.write && !t.write) return { result: 'not tried', detail: 'read-only run (add --write)' }
  try {
    return { result: 'pass', detail: await b.run(a, t, found) }
  } catch (err) {
    if (err instanceof NotTried) return { result: 'not tried', detail: err.message }
    const e = err as { kind?: string; message?: string; vendorMessage?: string; status?: number }
    return {
      result: 'fail',
      detail: [e.kind, e.status && `HTTP ${e.status}`, e.message, e.vendorMessage]
        .filter(Boolean)
        .join(' — '),
    }
  }
}
