import { DateTime } from 'luxon'
import { type SeedClinic } from '../seed'
import { int, pick, stream } from '../seed/prng'

export interface HeimAddress {
  line1: string
  line2?: string | null
  city?: string | null
  postcode: string
  country?: string | null
}

export interface HeimPatient {
  id: string
  title: string | null
  firstName: string
  lastName: string
  sex: string | null
  phone: string
  email: string
  nhsNumber: string | null
  externalReference: string | null
  dateOfBirth: string
  note: string | null
  address: HeimAddress[]
  createdAt: string
  updatedAt: string
}

export interface HeimTask {
  id: string
  name: string
  description: string
  durationMinutes: number
  /** Whether Heim Ops enabled "scheduled" (planFrom/planTo) appointments for this task. */
  scheduledEnabled: boolean
}

export interface HeimWindow {
  id: string
  taskId: string
  start: string
  end: string
}

export type HeimAppointmentStatus = 'scheduling' | 'scheduled' | 'completed' | 'cancelled'

export interface HeimCancellation {
  note: string | null
  causingEntity: string
  cancellingEntity: string
  reasonCode: string
  cancelledAt: string
  /** Heim charges when cancelled under 24 h before the estimated time of arrival. */
  chargeable: boolean
}

export interface HeimAppointment {
  id: string
  status: HeimAppointmentStatus
  type: 'standard' | 'scheduled'
  patient: { id: string; name: string }
  patientId: string
  taskId: string
  windowId: string | null
  window: { start: string; end: string } | null
  externalReference: string | null
  note: string | null
  phone: string
  location: HeimAddress
  metadata: Record<string, unknown> | null
  documentIds: string[]
  planFrom: string | null
  planTo: string | null
  estimatedTimeOfArrival: string | null
  data: Record<string, unknown>
  cancellation: HeimCancellation | null
  createdAt: string
  updatedAt: string
}

export interface HeimState {
  clinic: SeedClinic
  testKey: string
  liveKey: string
  /** Keys revoked by `expireTokens()`: Heim keys do not expire, so the nearest real event is a revoked key. */
  revokedKeys: Set<string>
  patients: Map<string, HeimPatient>
  tasks: HeimTask[]
  appointments: Map<string, HeimAppointment>
  newId(prefix: string): string
}

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz'

/** Opaque ids in Heim's style (`p_…`), deterministic per seed so tests and the demo see the same ones. */
function idMaker(seed: number) {
  const rng = stream(seed, 'heim-ids')
  return (prefix: string) => {
    let s = ''
    for (let i = 0; i < 16; i++) s += ALPHABET[Math.floor(rng() * 36)]
    return `${prefix}${s}`
  }
}

const taskRows: Omit<HeimTask, 'id'>[] = [
  {
    name: 'Blood test (venepuncture)',
    description: 'Home blood draw',
    durationMinutes: 20,
    scheduledEnabled: true,
  },
  {
    name: 'Blood pressure check',
    description: 'Seated BP, two readings',
    durationMinutes: 15,
    scheduledEnabled: false,
  },
  { name: 'ECG', description: '12-lead ECG at home', durationMinutes: 30, scheduledEnabled: false },
  {
    name: 'Wound check and dressing',
    description: 'Post-operative wound review',
    durationMinutes: 30,
    scheduledEnabled: true,
  },
  { name: 'NHS Health Check', description: 'Ages 40–74', durationMinutes: 45, scheduledEnabled: false },
]

export function buildHeimState(clinic: SeedClinic, now: Date, appointmentPrefix: string): HeimState {
  const newId = idMaker(clinic.seed)
  const rng = stream(clinic.seed, 'heim')
  const tasks = taskRows.map((t) => ({ id: newId('tsk_'), ...t }))
  const patients = new Map<string, HeimPatient>()
  // Heim sees the clinic's housebound patients: every fourth person on the list.
  for (const p of clinic.patients) {
    if (p.index % 4 !== 0) continue
    const created = new Date(now.getTime() - int(rng, 30, 400) * 86_400_000).toISOString()
    const patient: HeimPatient = {
      id: newId('p_'),
      title: p.title,
      firstName: p.givenName,
      lastName: p.familyName,
      sex: p.sex,
      phone: p.phone,
      email: p.email,
      nhsNumber: p.nhsNumber,
      externalReference: `canonbury-${p.key}`,
      dateOfBirth: p.birthDate,
      note: null,
      address: [
        { line1: p.address.line1, city: p.address.town, postcode: p.address.postcode, country: 'GB' },
      ],
      createdAt: created,
      updatedAt: created,
    }
    patients.set(patient.id, patient)
  }

  const appointments = new Map<string, HeimAppointment>()
  const list = [...patients.values()]
  const today = DateTime.fromJSDate(now, { zone: clinic.timeZone }).startOf('day')
  if (list.length > 0) {
    for (let offset = -7; offset <= 7; offset++) {
      const day = today.plus({ days: offset })
      if (day.weekday === 7) continue
      for (let k = 0; k < 3; k++) {
        const patient = pick(rng, list)
        const task = pick(rng, tasks)
        const period = int(rng, 0, 2)
        const start = day.set({ hour: 8 + period * 4 })
        const end = start.plus({ hours: 4 })
        const eta = start.plus({ minutes: 30 * int(rng, 0, 6) })
        const created = day
          .minus({ days: int(rng, 2, 10) })
          .set({ hour: 10 })
          .toUTC()
          .toISO() as string
        const past = end.toMillis() < now.getTime()
        const r = rng()
        const status: HeimAppointmentStatus = past
          ? r < 0.85
            ? 'completed'
            : 'cancelled'
          : r < 0.15
            ? 'scheduling'
            : 'scheduled'
        const windowed = status !== 'scheduling'
        const id = newId(appointmentPrefix)
        const address = patient.address[0] as HeimAddress
        appointments.set(id, {
          id,
          status,
          type: 'standard',
          patient: { id: patient.id, name: `${patient.firstName} ${patient.lastName}` },
          patientId: patient.id,
          taskId: task.id,
          windowId: windowed
            ? windowId(start.toUTC().toISO() as string, tasks.indexOf(task), period, clinic.timeZone)
            : null,
          window: windowed
            ? { start: start.toUTC().toISO() as string, end: end.toUTC().toISO() as string }
            : null,
          externalReference: rng() < 0.5 ? `fd-${id.slice(-8)}` : null,
          note: null,
          phone: patient.phone,
          location: address,
          metadata: null,
          documentIds: [],
          planFrom: null,
          planTo: null,
          estimatedTimeOfArrival: windowed ? (eta.toUTC().toISO() as string) : null,
          data: status === 'completed' ? { bp: { dia: int(rng, 60, 90), sys: int(rng, 100, 150) } } : {},
          cancellation:
            status === 'cancelled'
              ? {
                  note: 'Patient not at home',
                  causingEntity: 'patient',
                  cancellingEntity: 'organisation',
                  reasonCode: 'patient_not_present',
                  cancelledAt: eta.toUTC().toISO() as string,
                  chargeable: true,
                }
              : null,
          createdAt: created,
          updatedAt: created,
        })
      }
    }
  }

  return {
    clinic,
    testKey: `test_sk_canonbury_${clinic.seed}`,
    liveKey: `live_sk_canonbury_${clinic.seed}`,
    revokedKeys: new Set(),
    patients,
    tasks,
    appointments,
    newId,
  }
}

const EPOCH = Date.parse('2000-01-01T00:00:00Z')

/** Window ids encode task, local day and period, so every window of the calendar has a stable id. */
export function windowId(startIso: string, taskIndex: number, period: number, zone: string): string {
  const local = DateTime.fromISO(startIso, { zone })
  const day = Math.round((Date.parse(`${local.toISODate()}T00:00:00Z`) - EPOCH) / 86_400_000)
  return `win_${(day * 1000 + taskIndex * 10 + period).toString(36)}`
}

export const PERIODS = [8, 12, 16] as const

export function decodeWindowId(id: string, state: HeimState): HeimWindow | undefined {
  const m = /^win_([0-9a-z]+)$/.exec(id)
  if (!m) return undefined
  const n = parseInt(m[1] as string, 36)
  const day = Math.floor(n / 1000)
  const taskIndex = Math.floor((n % 1000) / 10)
  const period = n % 10
  const task = state.tasks[taskIndex]
  const hour = PERIODS[period]
  if (!task || hour === undefined) return undefined
  const date = new Date(EPOCH + day * 86_400_000).toISOString().slice(0, 10)
  const start = DateTime.fromISO(`${date}T${String(hour).padStart(2, '0')}:00`, {
    zone: state.clinic.timeZone,
  })
  return {
    id,
    taskId: task.id,
    start: start.toUTC().toISO() as string,
    end: start.plus({ hours: 4 }).toUTC().toISO() as string,
  }
}
