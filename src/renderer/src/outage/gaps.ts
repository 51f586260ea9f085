/**
 * Free gaps in a practitioner's day, for booking on paper during an outage: every stretch of the
 * working day with no appointment in it that is long enough for the shortest appointment type.
 * Pure: the day, its zone and the appointments in, the gaps out (UTC instants, in time order).
 */
import { localToInstant } from '../../../shared/instant'
import type { AppointmentStatus } from '../../../shared/model'
import { DEFAULT_LOCALE, formatTime } from '../lib/format'

/** When the clinic system gives no working hours: the day runs at least from 08:00 to 18:00 local time. */
export const DAY_OPENS = '08:00'
export const DAY_CLOSES = '18:00'
/** The shortest gap worth printing when the clinic's appointment types are not known. */
export const DEFAULT_MIN_GAP_MINUTES = 10

export interface GapAppointment {
  start?: string | undefined
  end?: string | undefined
  status: AppointmentStatus
}

export interface FreeGap {
  /** UTC instants. */
  start: string
  end: string
  /** Elapsed minutes (real time: the night the clocks change has a 23- or 25-hour day). */
  minutes: number
}

export interface GapOptions {
  /** The day, YYYY-MM-DD in the clinic's zone. */
  date: string
  /** The clinic's IANA zone; never the computer's own. */
  timeZone: string
  /** Gaps shorter than this are left out (the shortest appointment type). */
  minMinutes?: number
  /** The practitioner's working hours that day (UTC instants), when the clinic system gives them. */
  workingHours?: { start: string; end: string } | undefined
}

const MINUTE = 60_000

/** The shortest appointment type's length in minutes, or 10 when there is none to go by. */
export function shortestTypeMinutes(types: readonly { lengthMinutes: number }[] | undefined): number {
  const lengths = (types ?? []).map((t) => t.lengthMinutes).filter((n) => Number.isFinite(n) && n > 0)
  return lengths.length ? Math.min(...lengths) : DEFAULT_MIN_GAP_MINUTES
}

/** A local wall time on `date` in `zone` as epoch ms (the earlier reading in a repeated hour). */
function wallTime(date: string, time: string, zone: string): number | null {
  const read = localToInstant(date, time, zone)
  return read.ok ? Date.parse(read.instant) : null
}

/**
 * The free gaps in one practitioner's day. Cancelled appointments leave their time free, and
 * overlapping or touching appointments count as one busy stretch. Without working hours the day
 * runs from the earlier of 08:00 and the first appointment to the later of 18:00 and the last
 * appointment's end, in the clinic's zone. An appointment with no end takes the shortest length.
 */
export function freeGaps(appointments: readonly GapAppointment[], opts: GapOptions): FreeGap[] {
  const minMinutes = opts.minMinutes && opts.minMinutes > 0 ? opts.minMinutes : DEFAULT_MIN_GAP_MINUTES
  const busy: [number, number][] = []
  for (const a of appointments) {
    if (a.status === 'cancelled' || !a.start) continue
    const start = Date.parse(a.start)
    if (!Number.isFinite(start)) continue
    const parsedEnd = a.end ? Date.parse(a.end) : NaN
    const end = Number.isFinite(parsedEnd) && parsedEnd > start ? parsedEnd : start + minMinutes * MINUTE
    busy.push([start, end])
  }
  busy.sort((x, y) => x[0] - y[0] || x[1] - y[1])

  let dayStart: number
  let dayEnd: number
  if (opts.workingHours) {
    dayStart = Date.parse(opts.workingHours.start)
    dayEnd = Date.parse(opts.workingHours.end)
  } else {
    const opens = wallTime(opts.date, DAY_OPENS, opts.timeZone)
    const closes = wallTime(opts.date, DAY_CLOSES, opts.timeZone)
    if (opens === null || closes === null) return []
    dayStart = Math.min(opens, ...busy.map((b) => b[0]))
    dayEnd = Math.max(closes, ...busy.map((b) => b[1]))
  }
  if (!Number.isFinite(dayStart) || !Number.isFinite(dayEnd) || dayEnd <= dayStart) return []

  const gaps: FreeGap[] = []
  const add = (from: number, to: number) => {
    const s = Math.max(from, dayStart)
    const e = Math.min(to, dayEnd)
    const minutes = Math.floor((e - s) / MINUTE)
    if (minutes >= minMinutes)
      gaps.push({ start: new Date(s).toISOString(), end: new Date(e).toISOString(), minutes })
  }
  let cursor = dayStart
  for (const [start, end] of busy) {
    if (start > cursor) add(cursor, start)
    cursor = Math.max(cursor, end)
  }
  if (cursor < dayEnd) add(cursor, dayEnd)
  return gaps
}

/** The list of the appointments nobody is down for. */
export const NO_PRACTITIONER = 'No practitioner'

export interface PractitionerAppointment extends GapAppointment {
  practitionerRef?: string | undefined
  practitionerName?: string | undefined
}

export interface PractitionerDay<A> {
  /** The practitioner's ref in the clinic system; null for one it names without a ref, or nobody. */
  ref: string | null
  name: string
  /** The appointments nobody (known) is down for. */
  nobody: boolean
  /** In time order. */
  appointments: A[]
  /** Their free time; none for the appointments nobody is down for. */
  gaps: FreeGap[]
}

/**
 * One clinic system's day split per practitioner, each with their free gaps, in name order. Split
 * by the practitioner's ref, never the name: two clinicians who share a name are two lists, each
 * headed with their ref, or one's bookings would hide the other's free time.
 */
export function practitionerDays<A extends PractitionerAppointment>(
  practitioners: readonly { ref: string; name: string }[],
  appointments: readonly A[],
  opts: GapOptions,
): PractitionerDay<A>[] {
  const names = new Map(practitioners.map((p) => [p.ref, p.name]))
  // A clinician the clinic system names without a ref can only be told apart by that name.
  const keyOf = (a: A) =>
    a.practitionerRef && (names.get(a.practitionerRef) || a.practitionerName)
      ? `ref:${a.practitionerRef}`
      : a.practitionerName
        ? `name:${a.practitionerName}`
        : null
  const groups = new Map<string | null, A[]>()
  for (const a of [...appointments].sort((x, y) => (x.start ?? '').localeCompare(y.start ?? ''))) {
    const key = keyOf(a)
    groups.set(key, [...(groups.get(key) ?? []), a])
  }
  const days = [...groups].map(([key, list]) => {
    const ref = key?.startsWith('ref:') ? key.slice(4) : null
    const name = (ref !== null && names.get(ref)) || list[0]!.practitionerName || NO_PRACTITIONER
    return { key, ref, name, list }
  })
  const shared = (name: string) => days.filter((d) => d.name === name).length > 1
  return days
    .map(({ key, ref, name, list }) => ({
      ref,
      name: ref !== null && shared(name) ? `${name} (ID ${ref})` : name,
      nobody: key === null,
      appointments: list,
      // Appointments nobody is down for say nothing about anyone's free time.
      gaps: key === null ? [] : freeGaps(list, opts),
    }))
    .sort((x, y) => x.name.localeCompare(y.name))
}

/** `45 min`, `1 h`, `2 h 15 min`. */
export function durationLabel(minutes: number): string {
  const h = Math.floor(minutes / 60)
  const m = minutes % 60
  if (h === 0) return `${m} min`
  return m ? `${h} h ${m} min` : `${h} h`
}

/** `Free 10:30–11:15 (45 min)`, in the clinic's zone (its short name on a clock-change day). */
export function gapLabel(gap: FreeGap, timeZone: string, locale = DEFAULT_LOCALE): string {
  return `Free ${formatTime(gap.start, timeZone, locale)}–${formatTime(gap.end, timeZone, locale)} (${durationLabel(gap.minutes)})`
}
