/**
 * Reading a simulator's record of applied writes back as Frontdesk's kinds of write, per vendor,
 * so a test can count how many times the vendor took each one. A write is tied to what it was for
 * by text it carries (a client reference, a vendor id, a name, a time); where the vendor's request
 * carries nothing of the kind (a Hero cancel, a Heim no-show) only totals can be compared.
 */
import type { OutboxKind as WriteKind } from '../../src/shared/outbox-rows'
import type { RecordedWrite } from '../../src/sandbox'
import type { Vendor } from '../../src/shared/model'

const field = (input: unknown, ...path: string[]): unknown =>
  path.reduce<unknown>(
    (v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined),
    input,
  )

/** Which of Frontdesk's writes a vendor write is, or null for one that is not (a sign-in, a phone number). */
export const kindOf: Record<Vendor, (w: RecordedWrite) => WriteKind | null> = {
  semble(w) {
    const stage = field(w.input, 'bookingJourneyInput', 'journeyStage')
    return (
      (
        {
          createPatient: 'createPatient',
          // A corrected phone is added beside the old one (the NHS number is not edited in these tests).
          addPatientPhoneNumber: 'updatePatient',
          createBooking: 'book',
          // A move sends the times; a note change only the comments.
          updateBooking: field(w.input, 'bookingData', 'start') === undefined ? 'updateNote' : 'reschedule',
          deleteBooking: 'cancel',
        } as Record<string, WriteKind>
      )[w.operation] ??
      (w.operation === 'updateBookingJourney' ? (stage === 'arrived' ? 'markArrived' : 'markNoShow') : null)
    )
  },
  healthie(w) {
    if (w.operation === 'createClient') return 'createPatient'
    if (w.operation === 'updateClient') return 'updatePatient'
    if (w.operation === 'createAppointment') return 'book'
    if (w.operation !== 'updateAppointment') return null
    const status = field(w.input, 'input', 'pm_status')
    if (status === 'Cancelled') return 'cancel'
    if (status === 'Checked-In') return 'markArrived'
    if (status === 'No-Show') return 'markNoShow'
    if (field(w.input, 'input', 'datetime')) return 'reschedule'
    return field(w.input, 'input', 'notes') !== undefined ? 'updateNote' : null
  },
  hero(w) {
    // A reservation is not a booking until it is confirmed (`book`); an unconfirmed one lapses.
    const ops: Record<string, WriteKind> = {
      'PATCH /v1/appointments/:id/book': 'book',
      'PATCH /v1/appointments/:id/reschedule': 'reschedule',
      'PATCH /v1/appointments/:id/cancel': 'cancel',
    }
    return ops[w.operation] ?? null
  },
  heim(w) {
    if (w.operation === 'POST /v1/patients') return 'createPatient'
    if (w.operation === 'POST /v1/appointments') return 'book'
    if (w.operation !== 'POST /v1/appointments/:id/cancel') return null
    return field(w.input, 'reasonCode') === 'patient_not_present' ? 'markNoShow' : 'cancel'
  },
}

/**
 * Kinds whose vendor request names nothing that ties it to one record: only a shortfall in the
 * totals shows. These vendors refuse a second cancellation of one appointment, and Frontdesk may
 * cancel a reservation of its own that a resend left behind, so extra ones are not duplicates.
 */
const anonymous: Partial<Record<Vendor, WriteKind[]>> = { hero: ['cancel'], heim: ['markNoShow'] }

export interface IntendedWrite {
  kind: WriteKind
  /** Text the vendor's request carries for this write: a client reference, vendor id, name or time. */
  marks: string[]
}

/** Applied writes at the vendor, as Frontdesk kinds. */
export function appliedWrites(vendor: Vendor, writes: RecordedWrite[]) {
  return writes
    .filter((w) => w.outcome === 'applied')
    .map((w) => ({ kind: kindOf[vendor](w), text: JSON.stringify(w.input) }))
    .filter((w): w is { kind: WriteKind; text: string } => w.kind !== null)
}

/**
 * How many times the vendor applied each intended write (by its marks), and for kinds it cannot
 * tie to a record, the totals. Lost is 0 times (or a shortfall in the totals), duplicated more than once.
 */
export function tally(vendor: Vendor, writes: RecordedWrite[], intended: IntendedWrite[]) {
  const applied = appliedWrites(vendor, writes)
  const times = intended.map((i) =>
    anonymous[vendor]?.includes(i.kind)
      ? // Counted in the totals below.
        1
      : applied.filter((w) => w.kind === i.kind && i.marks.some((m) => w.text.includes(m))).length,
  )
  const totals = (anonymous[vendor] ?? []).map((kind) => ({
    kind,
    intended: intended.filter((i) => i.kind === kind).length,
    applied: applied.filter((w) => w.kind === kind).length,
  }))
  const lost =
    times.filter((n) => n === 0).length + totals.reduce((n, t) => n + Math.max(0, t.intended - t.applied), 0)
  const duplicated = times.filter((n) => n > 1).length
  return { times, totals, lost, duplicated }
}

/**
 * A date of birth of its own for the i-th patient a test registers (unique for i < 600), so the
 * desk never takes two of them (whose names differ by a letter or two) for one person.
 */
export const distinctBirthDate = (i: number) =>
  `${1940 + (i % 50)}-${String(1 + (Math.floor(i / 50) % 12)).padStart(2, '0')}-03`
