import { createHmac } from 'node:crypto'
import { type SeedClinic, type SeedWorkingHours } from '../seed'
import type { PractitionerRole } from '../seed/clinic'
import { ObjectIdFactory } from '../graphql/ids'

/** What a UK practice types into a clinician's qualifications: their role and letters. */
const QUALIFICATIONS: Record<PractitionerRole, string> = {
  GP: 'GP, MBBS MRCGP',
  Nurse: 'Practice Nurse, RGN',
  'Healthcare Assistant': 'Healthcare Assistant',
  Physiotherapist: 'Physiotherapist, MCSP',
}

/**
 * Behaviour Semble does not document ([U]/[I] in ../shared/vendors/semble.md). Tests and the admin
 * API may change these on a running simulator through `control.state.options`.
 */
export interface SembleOptions {
  /** Overlapping bookings for the same doctor: accepted (default, as Semble's web app does) or rejected with an `error` string. */
  allowDoubleBooking: boolean
  /** `patients(search)` also matches phone numbers ([I], a third-party connector says it does). */
  searchMatchesPhone: boolean
  /** `Patient.dob` as a plain date (`1980-01-31`, default) or as a midnight UTC instant. */
  dobFormat: 'date' | 'datetime'
  /** `availabilities` as free slots of this many minutes (default 15), or, when null, as whole free intervals. */
  availabilitySlotMinutes: number | null
  /** Page size when `pagination.pageSize` is not given. */
  defaultPageSize: number
  /** Larger page sizes are clamped to this. */
  maxPageSize: number
  /** `addPatientNumber` with the NHS number type refuses numbers that fail the modulus 11 check. */
  validateNhsNumbers: boolean
  /**
   * `updateBooking` keeps the fields `bookingData` leaves out (default); when false it replaces the
   * booking whole: comments left out are cleared, and a left-out doctor, location, type or time is refused.
   */
  updateKeepsOmitted: boolean
}

export const defaultSembleOptions: SembleOptions = {
  allowDoubleBooking: true,
  searchMatchesPhone: true,
  dobFormat: 'date',
  availabilitySlotMinutes: 15,
  defaultPageSize: 25,
  maxPageSize: 100,
  validateNhsNumbers: true,
  updateKeepsOmitted: true,
}

export interface SembleAddress {
  address: string | null
  city: string | null
  postcode: string | null
  country: string | null
}

export interface SembleUser {
  id: string
  title: string | null
  firstName: string
  lastName: string
  gender: string | null
  email: string
  isDoctor: boolean
  qualifications: string | null
  registration: string | null
  deleted: boolean
  createdAt: string
  updatedAt: string
  /** Where the doctor works, and in which room (internal). */
  locationId: string | null
  roomName: string | null
  /** ISO weekdays worked (internal). */
  days: number[]
  /** The bookable products (booking type ids) this clinician provides: `servicesProvided`. */
  servicesProvided: string[]
}

export interface SembleLocation {
  id: string
  name: string
  groupName: string
  address: SembleAddress
  rooms: { id: string; name: string }[]
}

/** A product that cannot be booked (stock, a fee): listed by `products`, refused as a `bookingType`. */
export interface SembleRetailProduct {
  id: string
  name: string
  price: number
}

export interface SembleBookingType {
  id: string
  title: string
  duration: number
  price: number
}

export interface SemblePhone {
  phoneId: string
  phoneType: string
  phoneNumber: string
}

export interface SemblePatientNumber {
  id: string
  /** The practice's number type (internal). */
  numberTypeId: string
  name: string
  value: string
}

export interface SemblePatient {
  id: string
  title: string | null
  status: string
  firstName: string
  lastName: string
  /** YYYY-MM-DD (internal form; the `dob` field is formatted per options). */
  birthDate: string | null
  gender: string | null
  sex: string | null
  email: string | null
  paymentReference: string | null
  phones: SemblePhone[]
  address: SembleAddress
  numbers: SemblePatientNumber[]
  comments: string | null
  onHold: boolean
  deleted: boolean
  createdAt: string
  updatedAt: string
}

export interface SembleJourney {
  arrived: string | null
  consultation: string | null
  departed: string | null
  dna: string | null
}

export interface SembleBooking {
  id: string
  deleted: boolean
  cancellationReason: string | null
  doctorId: string
  locationId: string
  roomName: string
  bookingTypeId: string
  patientId: string
  /** UTC ISO instants. */
  start: string
  end: string
  bookingJourney: SembleJourney
  createdAt: string
  updatedAt: string
  videoUrl: string | null
  comments: string | null
  reference: string
  billed: boolean
  patientMessagesSent: { confirmation: boolean; reminder: boolean; followup: boolean; cancellation: boolean }
  onlineBookingPaymentStatus: string | null
}

export interface SembleAvailabilitySetting {
  id: string
  startTime: string
  endTime: string
  locationId: string
  doctorId: string
  day: number
  date: string | null
  blocker: boolean
}

export interface SembleToken {
  kind: 'api' | 'session'
  userId: string
  /** Epoch ms; null for API tokens, which do not expire on their own. */
  expiresAt: number | null
  /** Set by the control handle's expireTokens(). */
  expired: boolean
}

export const SIGN_IN_TOKEN_HOURS = 12
export const NHS_NUMBER_TYPE_NAME = 'NHS Number'

/** The Semble practice as the simulator holds it: live, mutable, inspected by tests through `control.state`. */
export class SembleState {
  readonly options: SembleOptions = { ...defaultSembleOptions }
  readonly practiceName: string
  readonly timeZone: string
  readonly workingHours: SeedWorkingHours
  readonly users = new Map<string, SembleUser>()
  readonly locations = new Map<string, SembleLocation>()
  readonly bookingTypes = new Map<string, SembleBookingType>()
  /** Products that are not bookable, listed alongside the booking types by `products`. */
  readonly retailProducts: SembleRetailProduct[] = []
  readonly patients = new Map<string, SemblePatient>()
  readonly bookings = new Map<string, SembleBooking>()
  readonly availabilitySettings: SembleAvailabilitySetting[] = []
  /** The practice's patient-number types; `addPatientNumber(patientNumber.numberId)` refers to these. */
  readonly numberTypes = new Map<string, string>()
  readonly nhsNumberTypeId: string
  readonly tokens = new Map<string, SembleToken>()
  readonly apiToken: string
  readonly signIn: { email: string; password: string; userId: string }
  readonly ids: ObjectIdFactory
  private readonly secret: string
  private bookingRefs = 0

  /** Seed id → Semble id, for tests that start from the seed. */
  readonly seedIds = {
    practitioners: new Map<string, string>(),
    locations: new Map<string, string>(),
    appointmentTypes: new Map<string, string>(),
    patients: [] as string[],
    appointments: [] as string[],
  }

  constructor(clinic: SeedClinic, created: Date) {
    this.ids = new ObjectIdFactory(clinic.seed)
    this.practiceName = clinic.name
    this.timeZone = clinic.timeZone
    this.workingHours = clinic.workingHours
    this.secret = `semble-sandbox-${clinic.seed}`
    const at = created.toISOString()
    const id = (kind: string) => this.ids.next(kind, created)

    this.nhsNumberTypeId = id('numberType')
    this.numberTypes.set(this.nhsNumberTypeId, NHS_NUMBER_TYPE_NAME)

    for (const l of clinic.locations) {
      const loc: SembleLocation = {
        id: id('location'),
        name: l.name,
        groupName: clinic.name,
        address: {
          address: l.address.line1,
          city: l.address.town,
          postcode: l.address.postcode,
          country: 'GB',
        },
        rooms: l.rooms.map((r) => ({ id: id('room'), name: r.name })),
      }
      this.locations.set(loc.id, loc)
      this.seedIds.locations.set(l.key, loc.id)
    }
    for (const t of clinic.appointmentTypes) {
      const type: SembleBookingType = {
        id: id('bookingType'),
        title: t.name,
        duration: t.lengthMinutes,
        price: t.price / 100,
      }
      this.bookingTypes.set(type.id, type)
      this.seedIds.appointmentTypes.set(t.key, type.id)
    }
    for (const p of clinic.practitioners) {
      const location = clinic.locations.find((l) => l.key === p.locationKey)
      const user: SembleUser = {
        id: id('user'),
        title: p.title,
        firstName: p.givenName,
        lastName: p.familyName,
        gender: null,
        email: p.email,
        isDoctor: true,
        qualifications: QUALIFICATIONS[p.role],
        registration: null,
        deleted: false,
        createdAt: at,
        updatedAt: at,
        locationId: this.seedIds.locations.get(p.locationKey) ?? null,
        roomName: location?.rooms.find((r) => r.key === p.roomKey)?.name ?? null,
        days: p.days,
        // GPs provide the GP appointments, nurses the nurse ones, the physiotherapist physio.
        servicesProvided: clinic.appointmentTypes
          .filter((t) => t.roles.includes(p.role))
          .map((t) => this.seedIds.appointmentTypes.get(t.key)!),
      }
      this.users.set(user.id, user)
      this.seedIds.practitioners.set(p.key, user.id)
    }
    const reception: SembleUser = {
      id: id('user'),
      title: null,
      firstName: 'Front',
      lastName: 'Desk',
      gender: null,
      email: 'reception@canonbury-medical.example',
      isDoctor: false,
      qualifications: null,
      registration: null,
      deleted: false,
      createdAt: at,
      updatedAt: at,
      locationId: null,
      roomName: null,
      days: [],
      servicesProvided: [],
    }
    this.users.set(reception.id, reception)
    this.signIn = { email: reception.email, password: 'frontdesk-sandbox', userId: reception.id }
    this.apiToken = `sandbox-semble-api-${createHmac('sha256', this.secret).update('api').digest('hex').slice(0, 32)}`
    this.tokens.set(this.apiToken, { kind: 'api', userId: reception.id, expiresAt: null, expired: false })

    for (const p of clinic.patients) {
      const patient: SemblePatient = {
        id: id('patient'),
        title: p.title,
        status: 'active',
        firstName: p.givenName,
        lastName: p.familyName,
        birthDate: p.birthDate,
        gender: p.sex === 'female' ? 'Female' : 'Male',
        sex: p.sex === 'female' ? 'Female' : 'Male',
        email: p.email,
        paymentReference: null,
        phones: [{ phoneId: id('phone'), phoneType: 'Mobile', phoneNumber: p.phone }],
        address: {
          address: p.address.line1,
          city: p.address.town,
          postcode: p.address.postcode,
          country: 'GB',
        },
        numbers: [
          {
            id: id('patientNumber'),
            numberTypeId: this.nhsNumberTypeId,
            name: NHS_NUMBER_TYPE_NAME,
            value: p.nhsNumber,
          },
        ],
        comments: null,
        onHold: false,
        deleted: false,
        createdAt: at,
        updatedAt: at,
      }
      this.patients.set(patient.id, patient)
      this.seedIds.patients.push(patient.id)
    }

    for (const a of clinic.appointments) {
      const startMs = Date.parse(a.start)
      const minutes = (n: number) => new Date(startMs + n * 60_000).toISOString()
      const journey: SembleJourney = { arrived: null, consultation: null, departed: null, dna: null }
      if (a.status === 'arrived' || a.status === 'fulfilled') journey.arrived = minutes(-5)
      if (a.status === 'fulfilled') {
        journey.consultation = minutes(0)
        journey.departed = a.end
      }
      if (a.status === 'noshow') journey.dna = minutes(15)
      const location = clinic.locations.find((l) => l.key === a.locationKey)
      const booking: SembleBooking = {
        id: id('booking'),
        deleted: a.status === 'cancelled',
        cancellationReason: a.status === 'cancelled' ? 'Cancelled by patient' : null,
        doctorId: this.seedIds.practitioners.get(a.practitionerKey) ?? '',
        locationId: this.seedIds.locations.get(a.locationKey) ?? '',
        roomName: location?.rooms.find((r) => r.key === a.roomKey)?.name ?? location?.name ?? '',
        bookingTypeId: this.seedIds.appointmentTypes.get(a.appointmentTypeKey) ?? '',
        patientId: this.seedIds.patients[a.patientIndex] ?? '',
        start: new Date(a.start).toISOString(),
        end: new Date(a.end).toISOString(),
        bookingJourney: journey,
        createdAt: at,
        updatedAt: at,
        videoUrl: null,
        comments: a.note,
        reference: this.nextBookingReference(),
        billed: false,
        patientMessagesSent: { confirmation: true, reminder: false, followup: false, cancellation: false },
        onlineBookingPaymentStatus: null,
      }
      this.bookings.set(booking.id, booking)
      this.seedIds.appointments.push(booking.id)
    }

    // Recurring working hours per doctor: one entry per working day and session (morning, afternoon).
    const day0 = '1970-01-01T'
    const sessions = [
      [clinic.workingHours.open, clinic.workingHours.lunch.start],
      [clinic.workingHours.lunch.end, clinic.workingHours.close],
    ] as const
    for (const user of this.users.values()) {
      if (!user.isDoctor || !user.locationId) continue
      for (const isoDay of user.days) {
        for (const [from, to] of sessions) {
          this.availabilitySettings.push({
            id: id('availability'),
            startTime: `${day0}${from}:00.000Z`,
            endTime: `${day0}${to}:00.000Z`,
            locationId: user.locationId,
            doctorId: user.id,
            day: isoDay % 7,
            date: null,
            blocker: false,
          })
        }
      }
    }
    // Last, so the ids seeded before them stay as they were.
    for (const [name, price] of [
      ['Travel vaccine certificate', 15],
      ['Blood pressure monitor', 40],
    ] as const)
      this.retailProducts.push({ id: id('product'), name, price })
  }

  nextBookingReference(): string {
    this.bookingRefs += 1
    return `BK${String(100000 + this.bookingRefs)}`
  }

  /** A `signIn` token: JWT-shaped, valid for 12 hours from `now`. */
  issueSessionToken(userId: string, now: Date): string {
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url')
    const iat = Math.floor(now.getTime() / 1000)
    const exp = iat + SIGN_IN_TOKEN_HOURS * 3600
    const body = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ sub: userId, iat, exp, n: this.tokens.size })}`
    const token = `${body}.${createHmac('sha256', this.secret).update(body).digest('base64url')}`
    this.tokens.set(token, { kind: 'session', userId, expiresAt: exp * 1000, expired: false })
    return token
  }

  /** Every issued token stops working, the API token included (see `reinstateApiToken`). */
  expireAllTokens(): void {
    for (const t of this.tokens.values()) t.expired = true
  }

  /** Makes the seeded API token valid again after `expireAllTokens` (as generating a new one in Semble would). */
  reinstateApiToken(): void {
    const t = this.tokens.get(this.apiToken)
    if (t) t.expired = false
  }
}
