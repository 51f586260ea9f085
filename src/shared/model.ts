/** The canonical model the UI sees, whatever the vendor (docs/architecture.md, "Canonical model"). */
export const vendors = ['semble', 'healthie', 'hero', 'heim'] as const
export type Vendor = (typeof vendors)[number]

export const vendorNames: Record<Vendor, string> = {
  semble: 'Semble (Heydoc)',
  healthie: 'Healthie',
  hero: 'Hero Health',
  heim: 'Heim Health',
}

/** What a receptionist must type to connect each vendor; every one of these lives in the keychain. */
export const credentialFields: Record<
  Vendor,
  readonly { name: string; label: string; optional?: boolean }[]
> = {
  semble: [
    { name: 'apiToken', label: 'API token', optional: true },
    { name: 'email', label: 'Sign-in email', optional: true },
    { name: 'password', label: 'Sign-in password', optional: true },
  ],
  healthie: [{ name: 'apiKey', label: 'API key' }],
  hero: [{ name: 'apiKey', label: 'API key' }],
  heim: [{ name: 'apiKey', label: 'API key' }],
}

export interface Connection {
  id: string
  vendor: Vendor
  label: string
  baseUrl: string
  /** IANA zone of the clinic, e.g. Europe/London: day boundaries and display use it. */
  timeZone: string
  locale: string
  /** Vendor-specific, non-secret settings (e.g. Hero practice group id, Healthie API version). */
  options: Record<string, string>
  demo: boolean
}

export interface CredentialStatus {
  connectionId: string
  /** Names of the fields that have a value in the keychain; never the values. */
  present: string[]
  complete: boolean
}

/*
 * Scheduling model (docs/architecture.md §3). Every vendor maps to and from these shapes.
 * Two kinds of id: `id` is Frontdesk's local id (the store and outbox assign it), `ref` is the vendor's
 * id. Vendor adapters work with refs only, so the `…Ref` fields are vendor ids and the `…Id` fields
 * are local ids the store fills in.
 */

/** FHIR Appointment.status values that front-desk work needs; each adapter documents its mapping. */
export const appointmentStatuses = [
  'proposed',
  'pending',
  'booked',
  'arrived',
  'checked-in',
  'fulfilled',
  'cancelled',
  'noshow',
] as const
export type AppointmentStatus = (typeof appointmentStatuses)[number]

export interface Patient {
  /** Local id; absent on a patient that only exists at the vendor so far. */
  id?: string
  /** Vendor id. */
  ref?: string
  connectionId: string
  givenName: string
  familyName: string
  /** Plain calendar date YYYY-MM-DD, never an instant. */
  birthDate: string
  /** Ten digits, modulus-11 valid; an invalid number from a vendor is dropped (and logged). */
  nhsNumber?: string
  /** E.164, e.g. +447700900123. */
  phone?: string
  email?: string
  postcode?: string
  /** UTC ISO-8601 instant of the vendor's last change, when the vendor says. */
  updatedAt?: string
  /**
   * UTC instant Frontdesk found that the clinic system no longer lists this patient (deleted or
   * merged there; whole passes of its list missed them): such a record takes no new booking.
   */
  goneAt?: string
}

/** What a receptionist types to register a patient. */
export interface NewPatient {
  givenName: string
  familyName: string
  birthDate: string
  nhsNumber?: string
  phone?: string
  email?: string
  /** One address line; vendors that want an address get it with the postcode. */
  addressLine?: string
  city?: string
  postcode?: string
}

/**
 * Contact details a receptionist corrects on an existing patient. Only the fields given change;
 * name and date of birth are identity, changed in the clinic system itself.
 */
export interface PatientChanges {
  /** E.164 once accepted by the service. */
  phone?: string
  email?: string
  /** Ten digits, modulus-11 valid, once accepted by the service. */
  nhsNumber?: string
  /** The address goes as one: line, town and postcode. */
  address?: { line: string; city?: string; postcode: string }
}

/** The details `PatientChanges` can set, for a vendor to say which of them its API can change. */
export const patientChangeFields = ['phone', 'email', 'nhsNumber', 'address'] as const
export type PatientChangeField = (typeof patientChangeFields)[number]

export interface Practitioner {
  id?: string
  ref: string
  connectionId: string
  /** Display name as the vendor gives it, normalised. */
  name: string
  givenName?: string
  familyName?: string
  /** What the clinician is, in the vendor's own words (Semble and Healthie `qualifications`). */
  role?: string
  /**
   * The appointment types this clinician provides, by the vendor's own link (Semble
   * `servicesProvided`, Healthie `appointment_types`); absent where the vendor has no link.
   */
  appointmentTypeRefs?: string[]
}

export interface Location {
  id?: string
  ref: string
  connectionId: string
  name: string
  postcode?: string
}

export interface AppointmentType {
  id?: string
  ref: string
  connectionId: string
  name: string
  lengthMinutes: number
}

export interface Slot {
  connectionId: string
  /** UTC ISO-8601 instants. */
  start: string
  end: string
  practitionerRef?: string
  appointmentTypeRef?: string
  locationRef?: string
  /** What the vendor wants back to book this slot (Heim `win_…`, Hero slot id). */
  token?: string
}

export type SyncState = 'synced' | 'queued' | 'sending' | 'needs-attention'

export interface Appointment {
  id?: string
  ref?: string
  connectionId: string
  patientId?: string
  patientRef?: string
  practitionerId?: string
  practitionerRef?: string
  appointmentTypeId?: string
  appointmentTypeRef?: string
  locationRef?: string
  /** UTC ISO-8601 instants; absent while `proposed` (Heim patient-led scheduling has no time yet). */
  start?: string
  end?: string
  status: AppointmentStatus
  /** When the patient arrived (UTC), where the desk or the clinic system knows it. */
  arrivedAt?: string
  /** The vendor's own status words, kept for display and support ("pm_status: Re-Scheduled"). */
  vendorStatus?: string
  note?: string
  /** The outbox's reference for the write that made this appointment, when the vendor kept it. */
  clientRef?: string
  sync?: SyncState
  updatedAt?: string
}
