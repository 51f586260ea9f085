import { type SeedClinic, type SeedPatient, type SeedPractitioner } from '../seed'

/** Hero's appointment, exactly the documented fields (developer.herohealth.net getappointment). */
export interface HeroAppointment {
  id: string
  patient_id: string | null
  practitioner_id: string
  location_id: string
  appointment_type_id: string
  duration: number
  start_time: string | null
  video: boolean
  in_person: boolean
  telephone: boolean
  video_url: string | null
  link_id: string | null
  reserved_until: string | null
  booking_confirmed_at: string | null
  can_be_cancelled: boolean
  can_be_rescheduled: boolean
  cancellation_policy_hours: number
  suppress_mail: boolean
}

/** What the simulator keeps beside the public fields; never serialised. */
export interface HeroAppointmentRecord extends HeroAppointment {
  cancelledAt: string | null
}

export interface HeroAppointmentType {
  id: string
  name: string
  partner_slot_name: string
  price: number
  assignee_id: string | null
  assignee_type: 'Admin' | 'AdminTeam' | null
  sector: 'nhs' | 'paid'
  duration: number
  video: boolean
  in_person: boolean
  telephone: boolean
  use_partner_bookable_slots: boolean
  admin_booking_invoice_required: boolean
  form_id: string | null
  practitioner_type: string
}

export interface HeroPractitioner {
  id: string
  index: number
  first_name: string
  last_name: string
  practitioner_type: string
  location_id: string
  days: number[]
  typeIds: string[]
}

export interface HeroLocation {
  id: string
  name: string
  address_line_1: string
  town: string
  postcode: string
  phone: string
}

export interface HeroPatient {
  id: string
  nhs_number: string
  first_name: string
  last_name: string
  dob: string
  postcode: string
}

export interface HeroApiKey {
  key: string
  scopes: string[]
}

export interface HeroState {
  clinic: SeedClinic
  practiceGroupId: string
  apiKeys: HeroApiKey[]
  /** Keys revoked by `expireTokens()`: Hero documents no expiry, so the nearest real event is a revoked key. */
  revokedKeys: Set<string>
  locations: HeroLocation[]
  appointmentTypes: HeroAppointmentType[]
  practitioners: HeroPractitioner[]
  /** Patients Hero already holds for this practice group, by id. */
  patients: Map<string, HeroPatient>
  /** The NHS Spine (PDS) as the trace sees it: every seeded person. */
  pds: SeedPatient[]
  pdsByNhs: Map<string, SeedPatient>
  pdsByDemographics: Map<string, SeedPatient>
  /** NHS numbers whose trace answers "must verify their identity". */
  identityCheck: Set<string>
  appointments: Map<string, HeroAppointmentRecord>
  nextAppointmentId: number
}

export const practitionerType = (p: SeedPractitioner) =>
  p.role === 'GP' ? 'GP' : p.role === 'Physiotherapist' ? 'Physiotherapist' : 'Nurse'

export const heroPatientId = (p: SeedPatient) => String(500_000 + p.index)

/** Comparisons the trace makes: case, accents, spacing and apostrophes do not matter. */
export const foldName = (s: string) =>
  s
    .replace(/[łŁ]/g, 'l')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z]/g, '')
    .toLowerCase()
export const compactPostcode = (s: string) => s.replace(/\s+/g, '').toUpperCase()
export const demographicsKey = (forename: string, surname: string, dob: string, postcode: string) =>
  `${foldName(forename)}|${foldName(surname)}|${dob}|${compactPostcode(postcode)}`

export interface HeroStateOptions {
  /** Which seeded people Hero already holds (the rest exist only on the Spine until traced). */
  registeredInHero?: (p: SeedPatient) => boolean
  /** Which seeded people must verify their identity before Hero registers them. */
  identityCheck?: (p: SeedPatient) => boolean
}

/** By default Hero holds three seeded people in four; one in 97 must verify their identity first. */
export const registeredByDefault = (p: { index: number }) => p.index % 4 !== 3
export const identityCheckByDefault = (p: { index: number }) => p.index % 97 === 13
/** A person a PDS trace finds already registered, with no identity check: the tests' usual patient. */
export const tracesStraightIn = (p: { index: number }) => registeredByDefault(p) && !identityCheckByDefault(p)

export function buildHeroState(clinic: SeedClinic, opts: HeroStateOptions = {}): HeroState {
  const registered = opts.registeredInHero ?? registeredByDefault
  const mustVerify = opts.identityCheck ?? identityCheckByDefault
  const locationId = (key: string) => String(11 + Number(key.replace(/\D/g, '')) - 1)
  const typeId = (key: string) => String(201 + Number(key.replace(/\D/g, '')) - 1)
  const practitionerId = (key: string) => String(1001 + Number(key.replace(/\D/g, '')) - 1)

  const locations = clinic.locations.map((l) => ({
    id: locationId(l.key),
    name: l.name,
    address_line_1: l.address.line1,
    town: l.address.town,
    postcode: l.address.postcode,
    phone: l.phone,
  }))
  const appointmentTypes: HeroAppointmentType[] = clinic.appointmentTypes.map((t) => {
    const role = t.roles[0] ?? 'GP'
    return {
      id: typeId(t.key),
      name: t.name,
      partner_slot_name: t.name.toUpperCase().replace(/[^A-Z0-9]+/g, '_'),
      price: t.price / 100,
      assignee_id: null,
      assignee_type: null,
      sector: t.sector,
      duration: t.lengthMinutes,
      video: t.video,
      in_person: t.inPerson,
      telephone: t.telephone,
      use_partner_bookable_slots: true,
      admin_booking_invoice_required: t.sector === 'paid',
      form_id: null,
      practitioner_type: role === 'GP' ? 'GP' : role === 'Physiotherapist' ? 'Physiotherapist' : 'Nurse',
    }
  })
  const practitioners = clinic.practitioners.map((p) => ({
    id: practitionerId(p.key),
    index: p.index,
    first_name: p.givenName,
    last_name: p.familyName,
    practitioner_type: practitionerType(p),
    location_id: locationId(p.locationKey),
    days: [...p.days],
    typeIds: clinic.appointmentTypes.filter((t) => t.roles.includes(p.role)).map((t) => typeId(t.key)),
  }))

  const patients = new Map<string, HeroPatient>()
  const pdsByNhs = new Map<string, SeedPatient>()
  const pdsByDemographics = new Map<string, SeedPatient>()
  const identityCheck = new Set<string>()
  for (const p of clinic.patients) {
    pdsByNhs.set(p.nhsNumber, p)
    pdsByDemographics.set(demographicsKey(p.givenName, p.familyName, p.birthDate, p.address.postcode), p)
    if (mustVerify(p)) identityCheck.add(p.nhsNumber)
    else if (registered(p)) patients.set(heroPatientId(p), toHeroPatient(p))
  }

  const appointments = new Map<string, HeroAppointmentRecord>()
  const typeByKey = new Map(clinic.appointmentTypes.map((t) => [t.key, t]))
  for (const a of clinic.appointments) {
    const patient = clinic.patients[a.patientIndex]
    const type = typeByKey.get(a.appointmentTypeKey)
    if (!patient || !type || !patients.has(heroPatientId(patient))) continue
    const id = String(700_000 + a.index)
    const start = Date.parse(a.start)
    appointments.set(id, {
      id,
      patient_id: heroPatientId(patient),
      practitioner_id: practitionerId(a.practitionerKey),
      location_id: locationId(a.locationKey),
      appointment_type_id: typeId(type.key),
      duration: type.lengthMinutes,
      start_time: a.start,
      video: type.video,
      in_person: type.inPerson,
      telephone: type.telephone,
      video_url: type.video ? `https://video.herohealth.net/consult/${id}` : null,
      link_id: null,
      reserved_until: null,
      booking_confirmed_at: new Date(start - 3 * 86_400_000).toISOString(),
      can_be_cancelled: true,
      can_be_rescheduled: type.sector === 'nhs',
      cancellation_policy_hours: type.sector === 'paid' ? 24 : 0,
      suppress_mail: false,
      cancelledAt: a.status === 'cancelled' ? new Date(start - 86_400_000).toISOString() : null,
    })
  }

  return {
    clinic,
    practiceGroupId: String(4821 + clinic.seed),
    apiKeys: [
      { key: `hero_test_booking_${clinic.seed}`, scopes: ['messaging', 'booking', 'booking_links'] },
      { key: `hero_test_messaging_${clinic.seed}`, scopes: ['messaging'] },
    ],
    revokedKeys: new Set(),
    locations,
    appointmentTypes,
    practitioners,
    patients,
    pds: clinic.patients,
    pdsByNhs,
    pdsByDemographics,
    identityCheck,
    appointments,
    nextAppointmentId: 900_001,
  }
}

export function toHeroPatient(p: SeedPatient): HeroPatient {
  return {
    id: heroPatientId(p),
    nhs_number: p.nhsNumber,
    first_name: p.givenName,
    last_name: p.familyName,
    dob: p.birthDate,
    postcode: p.address.postcode,
  }
}

export function publicAppointment(a: HeroAppointmentRecord): HeroAppointment {
  const { cancelledAt: _cancelled, ...rest } = a
  return rest
}
