import { createHmac } from 'node:crypto'
import {
  type PractitionerRole,
  type SeedAppointmentStatus,
  type SeedClinic,
  type SeedWorkingHours,
} from '../seed'
import { NumericIdFactory } from '../graphql/ids'

/**
 * Behaviour Healthie does not document ([U] in ../shared/vendors/healthie.md). Tests and the admin
 * API may change these on a running simulator through `control.state.options`.
 */
export interface HealthieOptions {
  /** The organisation has the "Checked-In" appointment status turned on (default true). */
  checkInEnabled: boolean
  /** The organisation has the "Late Cancellation" appointment status turned on (default true). */
  lateCancellationEnabled: boolean
  /** Refuse pm_status changes out of a final status (default true); false lets any enabled status follow any other. */
  strictPmStatusTransitions: boolean
  /** HTTP status of the TOO_MANY_REQUESTS answer (default 429; Healthie may send 200 with errors). */
  rateLimitHttpStatus: 200 | 429
  /** HTTP status when the API key is missing or wrong (default 401). */
  authFailureHttpStatus: 200 | 401
  /** `first` when a connection query does not say (default 100, the size Healthie's complexity maths assumes). */
  defaultPageSize: number
  /** Larger `first`/`last` are clamped to this. */
  maxPageSize: number
  /** Step between offered slot starts; null (default) steps by the appointment's length. */
  slotIntervalMinutes: number | null
  /** In-person `createAppointment` needs `appointment_location_id` (true since 2025-04-01). */
  requireLocationForInPerson: boolean
  /** Book and move onto a provider's taken time (default false): tests that must see a duplicate booking. */
  allowOverlaps: boolean
}

export const defaultHealthieOptions: HealthieOptions = {
  checkInEnabled: true,
  lateCancellationEnabled: true,
  strictPmStatusTransitions: true,
  rateLimitHttpStatus: 429,
  authFailureHttpStatus: 401,
  defaultPageSize: 100,
  maxPageSize: 100,
  slotIntervalMinutes: null,
  requireLocationForInPerson: true,
  allowOverlaps: false,
}

export const CONTACT_TYPES = ['Healthie Video Call', 'In Person', 'Phone Call'] as const

/** A client's address (User.location), as updateClient's ClientLocationInput sets it. */
export interface HealthieClientLocation {
  id: string
  user_id: string
  name: string | null
  line1: string | null
  line2: string | null
  city: string | null
  state: string | null
  zip: string | null
  country: string | null
}

export interface HealthieUser {
  id: string
  kind: 'patient' | 'provider'
  active: boolean
  first_name: string
  last_name: string
  legal_name: string | null
  dob: string | null
  gender: string | null
  sex: string | null
  email: string | null
  phone_number: string | null
  record_identifier: string | null
  additional_record_identifier: string | null
  /** The address (patients only; null when none). */
  location: HealthieClientLocation | null
  dietitian_id: string | null
  timezone: string
  metadata: string | null
  qualifications: string | null
  npi: string | null
  is_active_provider: boolean
  is_org_admin: boolean
  created_at: string
  updated_at: string
  /** Providers only (internal): role, where they work, ISO weekdays worked. */
  role: PractitionerRole | null
  locationId: string | null
  days: number[]
}

export interface HealthieAppointmentType {
  id: string
  name: string
  length: number
  available_contact_types: string[]
  clients_can_book: boolean
  is_group: boolean
  deleted_at: string | null
  position: number
  user_id: number | null
  created_at: string
  updated_at: string
  /** Which provider roles offer this type (internal). */
  roles: PractitionerRole[]
}

export interface HealthieLocation {
  id: string
  location: string
  clients_can_book: boolean
  has_rooms: boolean
  rooms: { id: string; name: string; limit_to_one: boolean }[]
}

export interface HealthieAppointment {
  id: string
  /** Epoch ms of the start (internal). */
  startMs: number
  length: number
  pm_status: string | null
  pm_status_changed_at: string | null
  contact_type: string
  providerId: string
  patientId: string | null
  appointmentTypeId: string
  locationId: string | null
  room_id: string | null
  notes: string | null
  /** The serialised JSON exactly as the client sent it. */
  metadata: string | null
  confirmed: boolean
  is_blocker: boolean
  cancellation_reason_id: string | null
  other_cancellation_reason: string | null
  created_at: string
  updated_at: string
  deleted_at: string | null
}

const statusFromSeed: Record<SeedAppointmentStatus, string | null> = {
  booked: null,
  arrived: 'Checked-In',
  fulfilled: 'Occurred',
  noshow: 'No-Show',
  cancelled: 'Cancelled',
}

/** The Healthie organisation as the simulator holds it: live, mutable, inspected by tests through `control.state`. */
export class HealthieState {
  readonly options: HealthieOptions = { ...defaultHealthieOptions }
  readonly timeZone: string
  readonly workingHours: SeedWorkingHours
  readonly users = new Map<string, HealthieUser>()
  readonly appointmentTypes = new Map<string, HealthieAppointmentType>()
  readonly locations = new Map<string, HealthieLocation>()
  readonly appointments = new Map<string, HealthieAppointment>()
  readonly apiKey: string
  /** The API key belongs to this user (the practice owner): `currentUser`, default `other_party_id`. */
  readonly apiUserId: string
  /** Set by the control handle's expireTokens(): the API key stops working until `reinstateApiKey()`. */
  apiKeyRevoked = false
  readonly ids = new NumericIdFactory({
    user: 480_001,
    appointmentType: 41_001,
    location: 9_101,
    clientLocation: 31_001,
    room: 701,
    appointment: 1_200_001,
  })

  readonly seedIds = {
    practitioners: new Map<string, string>(),
    locations: new Map<string, string>(),
    appointmentTypes: new Map<string, string>(),
    patients: [] as string[],
    appointments: [] as string[],
  }

  constructor(clinic: SeedClinic, created: Date) {
    this.timeZone = clinic.timeZone
    this.workingHours = clinic.workingHours
    this.apiKey = `gh_sbox_${createHmac('sha256', `healthie-sandbox-${clinic.seed}`).update('api').digest('hex').slice(0, 40)}`
    const at = created.toISOString()
    // Practitioners take the first user ids and patients the next, and each patient is the API
    // user's (the first practitioner's) client: the order keeps the ids the same for a seed.
    this.seedLocations(clinic)
    this.seedAppointmentTypes(clinic, at)
    this.seedPractitioners(clinic, at)
    this.apiUserId = this.seedIds.practitioners.values().next().value ?? ''
    this.seedPatients(clinic, at)
    this.seedAppointments(clinic, at)
  }

  private seedLocations(clinic: SeedClinic): void {
    for (const l of clinic.locations) {
      const loc: HealthieLocation = {
        id: this.ids.next('location'),
        location: `${l.name}, ${l.address.line1}, ${l.address.town} ${l.address.postcode}`,
        clients_can_book: true,
        has_rooms: l.rooms.length > 0,
        rooms: l.rooms.map((r) => ({ id: this.ids.next('room'), name: r.name, limit_to_one: true })),
      }
      this.locations.set(loc.id, loc)
      this.seedIds.locations.set(l.key, loc.id)
    }
  }

  private seedAppointmentTypes(clinic: SeedClinic, at: string): void {
    for (const t of clinic.appointmentTypes) {
      const contact = [
        t.inPerson ? 'In Person' : null,
        t.telephone ? 'Phone Call' : null,
        t.video ? 'Healthie Video Call' : null,
      ]
      const type: HealthieAppointmentType = {
        id: this.ids.next('appointmentType'),
        name: t.name,
        length: t.lengthMinutes,
        available_contact_types: contact.filter((c): c is string => c !== null),
        clients_can_book: true,
        is_group: false,
        deleted_at: null,
        position: t.index + 1,
        user_id: null,
        created_at: at,
        updated_at: at,
        roles: t.roles,
      }
      this.appointmentTypes.set(type.id, type)
      this.seedIds.appointmentTypes.set(t.key, type.id)
    }
  }

  private seedPractitioners(clinic: SeedClinic, at: string): void {
    for (const p of clinic.practitioners) {
      const user: HealthieUser = {
        id: this.ids.next('user'),
        kind: 'provider',
        active: true,
        first_name: p.givenName,
        last_name: p.familyName,
        legal_name: null,
        dob: null,
        gender: null,
        sex: null,
        email: p.email,
        phone_number: null,
        record_identifier: null,
        additional_record_identifier: null,
        location: null,
        dietitian_id: null,
        timezone: clinic.timeZone,
        metadata: null,
        qualifications: p.role,
        npi: null,
        is_active_provider: true,
        is_org_admin: p.index === 0,
        created_at: at,
        updated_at: at,
        role: p.role,
        locationId: this.seedIds.locations.get(p.locationKey) ?? null,
        days: p.days,
      }
      this.users.set(user.id, user)
      this.seedIds.practitioners.set(p.key, user.id)
    }
  }

  private seedPatients(clinic: SeedClinic, at: string): void {
    for (const p of clinic.patients) {
      const id = this.ids.next('user')
      const user: HealthieUser = {
        id,
        kind: 'patient',
        active: true,
        first_name: p.givenName,
        last_name: p.familyName,
        legal_name: null,
        dob: p.birthDate,
        gender: p.sex === 'female' ? 'Female' : 'Male',
        sex: p.sex === 'female' ? 'Female' : 'Male',
        email: p.email,
        phone_number: p.phone,
        record_identifier: p.nhsNumber,
        additional_record_identifier: null,
        location: {
          id: this.ids.next('clientLocation'),
          user_id: id,
          name: null,
          line1: p.address.line1,
          line2: null,
          city: p.address.town,
          state: null,
          zip: p.address.postcode,
          country: 'GB',
        },
        dietitian_id: this.apiUserId,
        timezone: clinic.timeZone,
        metadata: null,
        qualifications: null,
        npi: null,
        is_active_provider: false,
        is_org_admin: false,
        created_at: at,
        updated_at: at,
        role: null,
        locationId: null,
        days: [],
      }
      this.users.set(user.id, user)
      this.seedIds.patients.push(user.id)
    }
  }

  private seedAppointments(clinic: SeedClinic, at: string): void {
    for (const a of clinic.appointments) {
      const type = clinic.appointmentTypes.find((t) => t.key === a.appointmentTypeKey)
      const location = clinic.locations.find((l) => l.key === a.locationKey)
      const roomIndex = location?.rooms.findIndex((r) => r.key === a.roomKey) ?? -1
      const locationId = this.seedIds.locations.get(a.locationKey) ?? null
      const status = statusFromSeed[a.status]
      const startMs = Date.parse(a.start)
      const appt: HealthieAppointment = {
        id: this.ids.next('appointment'),
        startMs,
        length: Math.round((Date.parse(a.end) - startMs) / 60_000),
        pm_status: status,
        pm_status_changed_at: status ? a.start : null,
        contact_type: type?.telephone ? 'Phone Call' : type?.video ? 'Healthie Video Call' : 'In Person',
        providerId: this.seedIds.practitioners.get(a.practitionerKey) ?? '',
        patientId: this.seedIds.patients[a.patientIndex] ?? null,
        appointmentTypeId: this.seedIds.appointmentTypes.get(a.appointmentTypeKey) ?? '',
        locationId,
        room_id: (locationId && this.locations.get(locationId)?.rooms[roomIndex]?.id) ?? null,
        notes: a.note,
        metadata: null,
        confirmed: true,
        is_blocker: false,
        cancellation_reason_id: null,
        other_cancellation_reason: null,
        created_at: at,
        updated_at: at,
        deleted_at: null,
      }
      this.appointments.set(appt.id, appt)
      this.seedIds.appointments.push(appt.id)
    }
  }

  /** Statuses the organisation accepts for `pm_status`. */
  allowedStatuses(): string[] {
    const s = ['Occurred', 'No-Show', 'Cancelled', 'Re-Scheduled']
    if (this.options.checkInEnabled) s.push('Checked-In')
    if (this.options.lateCancellationEnabled) s.push('Late Cancellation')
    return s
  }

  reinstateApiKey(): void {
    this.apiKeyRevoked = false
  }
}
