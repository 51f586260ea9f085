/**
 * The one interface every practice-management system is reached through. The rest of the app sees
 * only this and the canonical model (src/shared/model.ts). An operation a vendor cannot do is
 * absent from its adapter (undefined), so `capabilities` is read off the adapter itself.
 */
import type {
  Appointment,
  AppointmentType,
  Connection,
  Location,
  NewPatient,
  Patient,
  PatientChanges,
  PatientChangeField,
  Practitioner,
  Slot,
  Vendor,
} from '../../shared/model'
import { patientChangeFields } from '../../shared/model'
import type { Logger } from '../log/logger'
import type { VendorHttp } from './http/client'

export { VendorError, type VendorErrorKind, type FieldMessage } from './errors'

export interface AdapterDeps {
  connection: Connection
  http: VendorHttp
  /** Reads the connection's secrets from the keychain on demand; never cached in settings. */
  credentials: () => Promise<Record<string, string>>
  log: Logger
  now?: () => Date
}

export type TraceQuery =
  | { nhsNumber: string; birthDate: string }
  | { givenName: string; familyName: string; birthDate: string; postcode: string }

export type TraceResult =
  | { outcome: 'found'; patientRef: string; patient?: Patient }
  /** The vendor needs the patient to prove who they are first (Hero: NHS login link). */
  | { outcome: 'must-verify-identity'; loginUrl: string; message: string }
  | { outcome: 'not-found' }

export interface SlotQuery {
  /** UTC ISO instants; vendors that think in local days get them in the connection's zone. */
  from: string
  to: string
  appointmentTypeRef?: string
  practitionerRef?: string
  locationRef?: string
  /** Where the patient is: Heim's home-visit windows depend on the area. */
  postcode?: string
}

export interface BookRequest {
  clientRef: string
  patientRef: string
  appointmentTypeRef: string
  practitionerRef?: string
  locationRef?: string
  start: string
  end: string
  /** From `Slot.token` (Hero slot id, Heim window id). */
  slotToken?: string
  note?: string
}

export interface RescheduleRequest {
  clientRef: string
  ref: string
  start: string
  end: string
  slotToken?: string
  practitionerRef?: string
}

export interface CancelRequest {
  clientRef: string
  ref: string
  /** What the receptionist said; vendors that cannot store it get it in the log only. */
  reason: string
}

/** An appointment's note, replaced whole: sending the same text again leaves it as once. */
export interface NoteRequest {
  clientRef: string
  ref: string
  /** The whole new note; empty clears it. */
  note: string
}

export interface MarkRequest {
  clientRef: string
  ref: string
  /** UTC ISO instant the receptionist recorded. */
  at: string
}

export interface BookingWarningQuery {
  practitionerRef: string
  appointmentTypeRef: string
  /** UTC ISO instant. */
  start: string
  /** An appointment being moved: its own time does not count as a conflict. */
  currentRef?: string
}

/**
 * A booking or a new patient whose answer was lost, to look for at the vendor. Changes to an
 * existing appointment or patient are not looked up here: they are read back and compared.
 */
export interface WriteLookup {
  kind: 'book' | 'createPatient'
  clientRef: string
  /** What the write said, for vendors that keep no marker: match on patient + practitioner + start. */
  hint: {
    patientRef?: string
    practitionerRef?: string
    appointmentTypeRef?: string
    slotToken?: string
    start?: string
    givenName?: string
    familyName?: string
    birthDate?: string
  }
}

export const operationNames = [
  'findPatients',
  'tracePatient',
  'getPatient',
  'createPatient',
  /** Correcting a patient's phone, email, address or NHS number. */
  'updatePatient',
  'listPractitioners',
  'listLocations',
  'listAppointmentTypes',
  'findSlots',
  'listAppointments',
  'getAppointment',
  'book',
  'reschedule',
  'cancel',
  'markArrived',
  'markNoShow',
  /** Taking back an arrival or no-show the clinic system already has (status back to booked). */
  'undoStatus',
  /** Replacing an appointment's note (the receptionist's free text, e.g. "interpreter needed"). */
  'updateNote',
  'findWrite',
  'bookingWarnings',
] as const
export type OperationName = (typeof operationNames)[number]

export interface Capabilities {
  /** The optional operations this adapter has. */
  operations: readonly OperationName[]
  /** Staff-readable notes, per operation where it behaves differently or is missing. */
  notes: Partial<Record<OperationName, string>>
  /** The patient details `updatePatient` can change: all of them unless the adapter says fewer. */
  patientFields: readonly PatientChangeField[]
}

export interface VendorAdapter {
  readonly vendor: Vendor
  readonly capabilities: Capabilities
  findPatients?(q: { text: string; limit?: number }): Promise<Patient[]>
  /**
   * One page of every patient, for the cache behind local search (the background refresh pages
   * through it a little at a time). `cursor` is the previous page's `next`; null means the end.
   * Not an action staff choose, so it is not in `operationNames`.
   */
  listPatients?(q: { cursor?: string }): Promise<{ patients: Patient[]; next: string | null }>
  tracePatient?(q: TraceQuery): Promise<TraceResult>
  getPatient?(ref: string): Promise<Patient>
  createPatient?(p: NewPatient & { clientRef: string }): Promise<Patient>
  /**
   * Sets the given contact details on an existing patient and answers the record as it now is.
   * Setting a value it already has changes nothing, so a resend after a lost answer is harmless.
   */
  updatePatient?(u: { clientRef: string; ref: string; changes: PatientChanges }): Promise<Patient>
  listPractitioners?(): Promise<Practitioner[]>
  listLocations?(): Promise<Location[]>
  listAppointmentTypes?(): Promise<AppointmentType[]>
  findSlots?(q: SlotQuery): Promise<Slot[]>
  listAppointments?(q: { from: string; to: string; practitionerRef?: string }): Promise<Appointment[]>
  getAppointment?(ref: string): Promise<Appointment>
  book?(b: BookRequest): Promise<Appointment>
  reschedule?(r: RescheduleRequest): Promise<Appointment>
  cancel?(c: CancelRequest): Promise<Appointment>
  markArrived?(a: MarkRequest): Promise<Appointment>
  markNoShow?(a: MarkRequest): Promise<Appointment>
  /** Sets the appointment's note to exactly this text and answers the appointment as it now is. */
  updateNote?(n: NoteRequest): Promise<Appointment>
  /**
   * Reconciliation of a booking or a new patient whose answer was lost: the appointment or patient
   * the write produced if the vendor has it, else null. Safe to call any number of times: it only reads.
   */
  findWrite?(w: WriteLookup): Promise<Appointment | Patient | null>
  /**
   * What the vendor would warn a person about before booking this time (Healthie: conflicting
   * events, credit shortfalls), in its own words. Reads only.
   */
  bookingWarnings?(q: BookingWarningQuery): Promise<string[]>
  /** The cheapest authenticated read; throws a VendorError when it fails. */
  testConnection(): Promise<{ ok: true; detail: string }>
}

/** Capabilities read off an adapter: an operation is there exactly when its method is. */
export function capabilitiesOf(
  adapter: Partial<Record<OperationName, unknown>>,
  notes: Capabilities['notes'] = {},
  patientFields: readonly PatientChangeField[] = patientChangeFields,
): Capabilities {
  const operations = operationNames.filter((n) => typeof adapter[n] === 'function')
  return { operations, notes, patientFields: operations.includes('updatePatient') ? patientFields : [] }
}

export interface RateLimit {
  perMinute: number
  burst?: number
}

/** One per vendor folder; `registry.ts` lists them. */
export interface AdapterFactory {
  readonly vendor: Vendor
  /** The limiter for a connection (vendor default, overridable by `options.rateLimitPerMinute`). */
  rateLimit(connection: Connection): RateLimit
  create(deps: AdapterDeps): VendorAdapter
}
