import { DateTime } from 'luxon'
import { nhsCheckDigit } from '../../shared/nhs-number'
import { femaleGivenNames, familyNames, maleGivenNames, outwardCodes, streetNames, towns } from './names'
import { int, pick, type Rng, stream } from './prng'

/** Plain, vendor-neutral clinic data; each simulator maps it into its own ids and shapes. */
export type PractitionerRole = 'GP' | 'Nurse' | 'Healthcare Assistant' | 'Physiotherapist'

export interface SeedPractitioner {
  index: number
  key: string
  title: 'Dr' | 'Mr' | 'Ms' | 'Mrs' | 'Miss' | 'Mx'
  givenName: string
  familyName: string
  role: PractitionerRole
  email: string
  locationKey: string
  roomKey: string
  /** ISO weekdays (1 = Monday) this practitioner works. */
  days: number[]
}

export interface SeedRoom {
  key: string
  name: string
}

export interface SeedLocation {
  index: number
  key: string
  name: string
  address: { line1: string; town: string; postcode: string }
  phone: string
  rooms: SeedRoom[]
}

export interface SeedAppointmentType {
  index: number
  key: string
  name: string
  lengthMinutes: number
  roles: PractitionerRole[]
  video: boolean
  inPerson: boolean
  telephone: boolean
  sector: 'nhs' | 'paid'
  /** Pence; 0 for NHS appointments. */
  price: number
}

export interface SeedWorkingHours {
  days: number[]
  open: string
  close: string
  lunch: { start: string; end: string }
}

export interface SeedAddress {
  line1: string
  town: string
  postcode: string
}

export interface SeedPatient {
  index: number
  key: string
  title: 'Mr' | 'Mrs' | 'Ms' | 'Miss' | 'Mx' | null
  givenName: string
  familyName: string
  sex: 'female' | 'male'
  /** Plain date, never an instant. */
  birthDate: string
  nhsNumber: string
  /** E.164. */
  phone: string
  email: string
  address: SeedAddress
}

export type SeedAppointmentStatus = 'booked' | 'arrived' | 'fulfilled' | 'noshow' | 'cancelled'

export interface SeedAppointment {
  index: number
  key: string
  patientIndex: number
  practitionerKey: string
  locationKey: string
  roomKey: string
  appointmentTypeKey: string
  /** UTC ISO instants. */
  start: string
  end: string
  status: SeedAppointmentStatus
  note: string | null
}

export interface SeedClinic {
  seed: number
  timeZone: string
  /** The clinic's local date the fortnight is centred on. */
  today: string
  name: string
  practitioners: SeedPractitioner[]
  locations: SeedLocation[]
  appointmentTypes: SeedAppointmentType[]
  workingHours: SeedWorkingHours
  patients: SeedPatient[]
  appointments: SeedAppointment[]
}

export interface SeedOptions {
  patients?: number
  seed?: number
  timeZone?: string
  today?: Date
}

export const workingHours: SeedWorkingHours = {
  days: [1, 2, 3, 4, 5],
  open: '08:30',
  close: '18:00',
  lunch: { start: '13:00', end: '14:00' },
}

const locations: SeedLocation[] = [
  {
    index: 0,
    key: 'loc-1',
    name: 'Canonbury Medical Centre',
    address: { line1: '12 Canonbury Lane', town: 'London', postcode: 'N1 2AS' },
    phone: '+442079460000',
    rooms: [
      { key: 'room-1-1', name: 'Consulting Room 1' },
      { key: 'room-1-2', name: 'Consulting Room 2' },
      { key: 'room-1-3', name: 'Consulting Room 3' },
      { key: 'room-1-4', name: 'Treatment Room' },
    ],
  },
  {
    index: 1,
    key: 'loc-2',
    name: 'Highbury Branch Surgery',
    address: { line1: "3 St Paul's Road", town: 'London', postcode: 'N5 1LP' },
    phone: '+442079460001',
    rooms: [
      { key: 'room-2-1', name: 'Room A' },
      { key: 'room-2-2', name: 'Room B' },
      { key: 'room-2-3', name: 'Physio Suite' },
    ],
  },
]

type P = Omit<SeedPractitioner, 'index' | 'key' | 'email'>
const practitionerRows: P[] = [
  {
    title: 'Dr',
    givenName: 'Anika',
    familyName: 'Patel',
    role: 'GP',
    locationKey: 'loc-1',
    roomKey: 'room-1-1',
    days: [1, 2, 3, 4, 5],
  },
  {
    title: 'Dr',
    givenName: 'Tomás',
    familyName: 'Ó Briain',
    role: 'GP',
    locationKey: 'loc-1',
    roomKey: 'room-1-2',
    days: [1, 2, 3, 4, 5],
  },
  {
    title: 'Dr',
    givenName: 'Grace',
    familyName: 'Okafor',
    role: 'GP',
    locationKey: 'loc-2',
    roomKey: 'room-2-1',
    days: [1, 2, 4, 5],
  },
  {
    title: 'Dr',
    givenName: 'James',
    familyName: "O'Hara",
    role: 'GP',
    locationKey: 'loc-1',
    roomKey: 'room-1-3',
    days: [2, 3, 4],
  },
  {
    title: 'Ms',
    givenName: 'Siobhán',
    familyName: 'Kelly',
    role: 'Nurse',
    locationKey: 'loc-1',
    roomKey: 'room-1-4',
    days: [1, 2, 3, 4, 5],
  },
  {
    title: 'Mr',
    givenName: 'Dafydd',
    familyName: 'Rees',
    role: 'Nurse',
    locationKey: 'loc-2',
    roomKey: 'room-2-2',
    days: [1, 3, 5],
  },
  {
    title: 'Mrs',
    givenName: 'Małgorzata',
    familyName: 'Nowak',
    role: 'Healthcare Assistant',
    locationKey: 'loc-1',
    roomKey: 'room-1-4',
    days: [2, 4],
  },
  {
    title: 'Mr',
    givenName: 'Marcus',
    familyName: 'Chen',
    role: 'Physiotherapist',
    locationKey: 'loc-2',
    roomKey: 'room-2-3',
    days: [1, 2, 3, 4, 5],
  },
]

type T = Omit<SeedAppointmentType, 'index' | 'key'>
const typeRows: T[] = [
  {
    name: 'GP appointment',
    lengthMinutes: 10,
    roles: ['GP'],
    video: false,
    inPerson: true,
    telephone: false,
    sector: 'nhs',
    price: 0,
  },
  {
    name: 'Long GP appointment',
    lengthMinutes: 20,
    roles: ['GP'],
    video: false,
    inPerson: true,
    telephone: false,
    sector: 'nhs',
    price: 0,
  },
  {
    name: 'GP telephone call',
    lengthMinutes: 10,
    roles: ['GP'],
    video: false,
    inPerson: false,
    telephone: true,
    sector: 'nhs',
    price: 0,
  },
  {
    name: 'GP video consultation',
    lengthMinutes: 15,
    roles: ['GP'],
    video: true,
    inPerson: false,
    telephone: false,
    sector: 'nhs',
    price: 0,
  },
  {
    name: 'Nurse appointment',
    lengthMinutes: 15,
    roles: ['Nurse'],
    video: false,
    inPerson: true,
    telephone: false,
    sector: 'nhs',
    price: 0,
  },
  {
    name: 'Cervical screening',
    lengthMinutes: 20,
    roles: ['Nurse'],
    video: false,
    inPerson: true,
    telephone: false,
    sector: 'nhs',
    price: 0,
  },
  {
    name: 'Blood test',
    lengthMinutes: 10,
    roles: ['Nurse', 'Healthcare Assistant'],
    video: false,
    inPerson: true,
    telephone: false,
    sector: 'nhs',
    price: 0,
  },
  {
    name: 'Travel vaccination',
    lengthMinutes: 30,
    roles: ['Nurse'],
    video: false,
    inPerson: true,
    telephone: false,
    sector: 'paid',
    price: 4500,
  },
  {
    name: 'Physiotherapy assessment',
    lengthMinutes: 45,
    roles: ['Physiotherapist'],
    video: false,
    inPerson: true,
    telephone: false,
    sector: 'paid',
    price: 7500,
  },
  {
    name: 'Physiotherapy follow-up',
    lengthMinutes: 30,
    roles: ['Physiotherapist'],
    video: false,
    inPerson: true,
    telephone: false,
    sector: 'paid',
    price: 5500,
  },
]

const fold = (s: string) =>
  s
    .replace(/[łŁ]/g, (c) => (c === 'ł' ? 'l' : 'L'))
    .replace(/ø/g, 'o')
    .replace(/ı/g, 'i')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z-]/g, '')
    .toLowerCase()

export const practitioners: SeedPractitioner[] = practitionerRows.map((p, index) => ({
  index,
  key: `prac-${index + 1}`,
  ...p,
  email: `${fold(p.givenName)}.${fold(p.familyName)}@canonbury-medical.example`,
}))

export const appointmentTypes: SeedAppointmentType[] = typeRows.map((t, index) => ({
  index,
  key: `type-${index + 1}`,
  ...t,
}))

/**
 * The i-th NHS number: a fixed permutation of the 10^6 nine-digit stems starting 999 (every stem has at most
 * one valid check digit, so numbers never repeat), skipping stems whose check would be 10.
 */
function* nhsNumbers(seed: number): Generator<string> {
  const stride = 387_419 // coprime with 10^6
  const offset = (seed * 7_919) % 1_000_000
  for (let j = 0; j < 1_000_000; j++) {
    const stem = `999${String((offset + j * stride) % 1_000_000).padStart(6, '0')}`
    const check = nhsCheckDigit(stem)
    if (check !== null) yield `${stem}${check}`
  }
}

// Mobile blocks libphonenumber-js accepts as valid UK mobiles, used once the Ofcom drama range is spent.
const mobileBlocks = ['7400', '7451', '7500', '7577', '7712', '7722', '7800', '7830', '7900', '7956'] as const
const DRAMA_RANGE = 1000

/** Ofcom's drama range (07700 900000–900999) first, so the first thousand patients can never be real numbers. */
export function phoneFor(index: number): string {
  if (index < DRAMA_RANGE) return `+447700900${String(index).padStart(3, '0')}`
  const n = index - DRAMA_RANGE
  const block = mobileBlocks[Math.floor(n / 1_000_000) % mobileBlocks.length] as string
  return `+44${block}${String(n % 1_000_000).padStart(6, '0')}`
}

const INWARD_LETTERS = 'ABDEFGHJLNPQRSTUWXYZ'

function postcode(rng: Rng): { postcode: string; town: string } {
  const outward = pick(rng, outwardCodes)
  const area = outward.match(/^[A-Z]+/)?.[0] ?? ''
  const inward = `${int(rng, 1, 9)}${INWARD_LETTERS[int(rng, 0, 19)]}${INWARD_LETTERS[int(rng, 0, 19)]}`
  return { postcode: `${outward} ${inward}`, town: towns[area] ?? 'London' }
}

const DAY_MS = 86_400_000

function seedPatients(count: number, seed: number, todayIso: string): SeedPatient[] {
  const rng = stream(seed, 'patients')
  const nhs = nhsNumbers(seed)
  const todayMs = Date.parse(`${todayIso}T00:00:00Z`)
  const patients: SeedPatient[] = new Array<SeedPatient>(count)
  for (let i = 0; i < count; i++) {
    const female = rng() < 0.52
    const givenName = pick(rng, female ? femaleGivenNames : maleGivenNames)
    const familyName = pick(rng, familyNames)
    // Ages 0–100, skewed a little towards adults as a list is.
    const ageDays = Math.floor((rng() < 0.2 ? rng() * 18 : 18 + rng() * 82) * 365.25)
    const birthDate = new Date(todayMs - ageDays * DAY_MS).toISOString().slice(0, 10)
    const adult = ageDays >= 18 * 365.25
    const r = rng()
    const title = !adult
      ? null
      : female
        ? r < 0.4
          ? 'Mrs'
          : r < 0.8
            ? 'Ms'
            : r < 0.95
              ? 'Miss'
              : 'Mx'
        : r < 0.95
          ? 'Mr'
          : 'Mx'
    const { postcode: pc, town } = postcode(rng)
    const nhsNumber = nhs.next().value
    if (!nhsNumber) throw new Error('Ran out of test-range NHS numbers')
    patients[i] = {
      index: i,
      key: `pat-${i + 1}`,
      title,
      givenName,
      familyName,
      sex: female ? 'female' : 'male',
      birthDate,
      nhsNumber,
      phone: phoneFor(i),
      email: `${fold(givenName)}.${fold(familyName)}${i + 1}@${rng() < 0.5 ? 'example.com' : 'example.co.uk'}`,
      address: { line1: `${int(rng, 1, 220)} ${pick(rng, streetNames)}`, town, postcode: pc },
    }
  }
  return patients
}

const hm = (s: string) => {
  const [h, m] = s.split(':').map(Number)
  return (h ?? 0) * 60 + (m ?? 0)
}

const notes = [
  null,
  null,
  null,
  'Prefers a female clinician',
  'Interpreter needed (Polish)',
  'Wheelchair user: ground floor room',
  'Follow-up from last week',
  'Bring repeat prescription list',
] as const

function seedAppointments(
  clinic: Pick<SeedClinic, 'seed' | 'timeZone' | 'today'>,
  patientCount: number,
  now: Date,
): SeedAppointment[] {
  if (patientCount === 0) return []
  const rng = stream(clinic.seed, 'appointments')
  const out: SeedAppointment[] = []
  const today = DateTime.fromISO(clinic.today, { zone: clinic.timeZone })
  const open = hm(workingHours.open)
  const close = hm(workingHours.close)
  const lunchStart = hm(workingHours.lunch.start)
  const lunchEnd = hm(workingHours.lunch.end)
  for (let offset = -7; offset <= 7; offset++) {
    const day = today.plus({ days: offset })
    for (const p of practitioners) {
      if (!p.days.includes(day.weekday)) continue
      const types = appointmentTypes.filter((t) => t.roles.includes(p.role))
      // Walk the day in local minutes: each appointment ends before the next starts, and none crosses lunch or close.
      let minute = open
      while (minute < close) {
        const type = pick(rng, types)
        const end = minute + type.lengthMinutes
        if (minute < lunchEnd && end > lunchStart) {
          minute = lunchEnd
          continue
        }
        if (end > close) break
        // Leave about a third of the day free so there is availability to book.
        if (rng() < 0.65) {
          const start = day.set({
            hour: Math.floor(minute / 60),
            minute: minute % 60,
            second: 0,
            millisecond: 0,
          })
          const startIso = start.toUTC().toISO({ suppressMilliseconds: false }) as string
          const endIso = start.plus({ minutes: type.lengthMinutes }).toUTC().toISO() as string
          let status: SeedAppointmentStatus
          const r = rng()
          if (offset < 0) status = r < 0.8 ? 'fulfilled' : r < 0.9 ? 'noshow' : 'cancelled'
          else if (offset === 0) status = Date.parse(startIso) <= now.getTime() ? 'arrived' : 'booked'
          else status = r < 0.92 ? 'booked' : 'cancelled'
          const index = out.length
          out.push({
            index,
            key: `appt-${index + 1}`,
            patientIndex: int(rng, 0, patientCount - 1),
            practitionerKey: p.key,
            locationKey: p.locationKey,
            roomKey: p.roomKey,
            appointmentTypeKey: type.key,
            start: startIso,
            end: endIso,
            status,
            note: pick(rng, notes),
          })
        }
        minute = end + (rng() < 0.2 ? 5 : 0)
      }
    }
  }
  return out
}

export function seedClinic(opts: SeedOptions = {}): SeedClinic {
  const seed = opts.seed ?? 1
  const timeZone = opts.timeZone ?? 'Europe/London'
  const now = opts.today ?? new Date()
  const today = DateTime.fromJSDate(now, { zone: timeZone }).toISODate()
  if (!today) throw new Error(`Unknown time zone: ${timeZone}`)
  const count = opts.patients ?? 2000
  const base = { seed, timeZone, today }
  return {
    ...base,
    name: 'Canonbury Medical Centre',
    practitioners: structuredClone(practitioners),
    locations: structuredClone(locations),
    appointmentTypes: structuredClone(appointmentTypes),
    workingHours: structuredClone(workingHours),
    patients: seedPatients(count, seed, today),
    appointments: seedAppointments(base, count, now),
  }
}
