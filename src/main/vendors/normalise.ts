/**
 * Shared mapping helpers: names, NHS numbers, phones, client-reference markers and time. Times go
 * through luxon only; instants leave here as UTC ISO-8601 (`…Z` with milliseconds, as
 * `Date.toISOString` writes them), dates of birth as plain YYYY-MM-DD.
 */
import { DateTime } from 'luxon'
import { OFFSET_PROBE_HOURS } from '../../shared/instant'
import { compactNhsNumber, isValidNhsNumber } from '../../shared/nhs-number'
import { toE164 } from '../../shared/phone'
import type { Logger } from '../log/logger'

/** Trim and collapse runs of white space; diacritics, apostrophes and hyphens stay as typed. */
export function normaliseName(input: string | null | undefined): string {
  return (input ?? '').normalize('NFC').replace(/\s+/g, ' ').trim()
}

/** A vendor NHS number kept only when it passes modulus 11; a bad one is dropped and logged (not its digits). */
export function nhsNumberOrDrop(
  value: string | null | undefined,
  log: Logger,
  where: { vendor: string; patientRef?: string },
): string | undefined {
  if (!value || !value.trim()) return undefined
  const digits = compactNhsNumber(value)
  if (isValidNhsNumber(digits)) return digits
  log.warn('invalid NHS number from vendor dropped', { ...where, length: digits.length })
  return undefined
}

export function phoneOrDrop(
  value: string | null | undefined,
  log: Logger,
  where: { vendor: string; patientRef?: string },
): string | undefined {
  if (!value || !value.trim()) return undefined
  const e164 = toE164(value)
  if (e164) return e164
  log.warn('unreadable phone number from vendor dropped', where)
  return undefined
}

export const optional = (v: string | null | undefined): string | undefined => {
  const t = v?.trim()
  return t ? t : undefined
}

/* ---------------- client references ---------------- */

/** The marker Frontdesk leaves in free-text fields (Semble `comments`) to find its own writes again. */
export const clientRefMarker = (clientRef: string) => `[frontdesk:${clientRef}]`

const MARKER = /\[frontdesk:([A-Za-z0-9._:-]{1,100})\]/

export function clientRefFromText(text: string | null | undefined): string | undefined {
  return text ? MARKER.exec(text)?.[1] : undefined
}

/** Free text without our marker, for display. */
export function stripMarker(text: string | null | undefined): string | undefined {
  const t = text?.replace(MARKER, '').trim()
  return t ? t : undefined
}

/* ---------------- time ---------------- */

export class TimeError extends Error {}

/**
 * An instant from a vendor as UTC ISO. Text with an offset or `Z` keeps its meaning; text without
 * one is read in `zone` (the connection's clock), which is what such vendors mean.
 */
export function toUtcIso(value: string, zone: string): string {
  const read = (z: string) => {
    const iso = DateTime.fromISO(value, { zone: z, setZone: false })
    return iso.isValid ? iso : DateTime.fromSQL(value, { zone: z })
  }
  const dt = read(zone)
  if (!dt.isValid) throw new TimeError(`not a date-time: ${JSON.stringify(value)}`)
  // Text that names its own offset or zone ("Z", "+01:00", "UTC") is the same instant whatever zone
  // it is read in; only text that names none is wall time, with two readings in a repeated hour.
  const ownZone = read('Etc/GMT+12').toMillis() === read('Etc/GMT-14').toMillis()
  return (ownZone ? dt : earlierReading(dt, zone)).toUTC().toISO()!
}

/**
 * A wall time the clocks repeat (the autumn change) has two readings. Luxon picks one by the offset
 * in force on the day the code runs, so the same vendor text would mean another instant in summer
 * than in winter: take the earlier reading always, as a time typed at the desk does.
 */
function earlierReading(dt: DateTime<true>, zone: string): DateTime<true> {
  const wall = (d: DateTime) => d.toFormat("yyyy-MM-dd'T'HH:mm:ss.SSS")
  const wanted = wall(dt)
  const offsets = new Set(
    OFFSET_PROBE_HOURS.map((h) => DateTime.fromMillis(dt.toMillis() + h * 3_600_000, { zone }).offset),
  )
  const readings = [...offsets]
    .map((o) => dt.toMillis() + (dt.offset - o) * 60_000)
    .filter((ms) => wall(DateTime.fromMillis(ms, { zone })) === wanted)
    .sort((a, b) => a - b)
  const earliest = readings.length ? DateTime.fromMillis(readings[0]!, { zone }) : dt
  return earliest.isValid ? earliest : dt
}

/** The same instant as ISO with the zone's offset, for vendors that want local wall time. */
export function toZonedIso(instant: string, zone: string): string {
  const dt = DateTime.fromISO(instant, { zone: 'utc' }).setZone(zone)
  if (!dt.isValid) throw new TimeError(`not an instant: ${JSON.stringify(instant)}`)
  return dt.toISO({ suppressMilliseconds: true })!
}

/** Local calendar date (YYYY-MM-DD) of an instant in a zone. */
export function localDate(instant: string, zone: string): string {
  return DateTime.fromISO(instant, { zone: 'utc' }).setZone(zone).toISODate()!
}

/** Midnight to midnight of a local day, as UTC instants: 23 or 25 hours long on DST change days. */
export function dayRange(date: string, zone: string): { start: string; end: string } {
  const start = DateTime.fromISO(date, { zone }).startOf('day')
  if (!start.isValid) throw new TimeError(`not a date: ${JSON.stringify(date)}`)
  return { start: start.toUTC().toISO()!, end: start.plus({ days: 1 }).toUTC().toISO()! }
}

/** Each local calendar day touched by [from, to), in the zone. */
export function localDays(from: string, to: string, zone: string): string[] {
  const days: string[] = []
  let d = DateTime.fromISO(from, { zone: 'utc' }).setZone(zone).startOf('day')
  const end = DateTime.fromISO(to, { zone: 'utc' }).setZone(zone)
  if (!d.isValid || !end.isValid) throw new TimeError('not an instant range')
  while (d < end) {
    days.push(d.toISODate()!)
    d = d.plus({ days: 1 })
  }
  return days
}

/** Split [from, to) into pieces no longer than `maxHours` (e.g. Semble's 168-hour limit). */
export function splitRange(from: string, to: string, maxHours: number): { start: string; end: string }[] {
  const out: { start: string; end: string }[] = []
  const b = DateTime.fromISO(to, { zone: 'utc' }).toMillis()
  let a = DateTime.fromISO(from, { zone: 'utc' }).toMillis()
  if (Number.isNaN(a) || Number.isNaN(b)) throw new TimeError('not an instant range')
  while (a < b) {
    const next = Math.min(DateTime.fromMillis(a, { zone: 'utc' }).plus({ hours: maxHours }).toMillis(), b)
    out.push({
      start: DateTime.fromMillis(a, { zone: 'utc' }).toISO()!,
      end: DateTime.fromMillis(next, { zone: 'utc' }).toISO()!,
    })
    a = next
  }
  return out
}

export const plusMinutes = (instant: string, minutes: number) =>
  DateTime.fromISO(instant, { zone: 'utc' }).plus({ minutes }).toISO()!

export const minutesBetween = (a: string, b: string) =>
  Math.round(DateTime.fromISO(b).diff(DateTime.fromISO(a), 'minutes').minutes)

export const sameInstant = (a: string | undefined, b: string | undefined) =>
  !!a && !!b && DateTime.fromISO(a).toMillis() === DateTime.fromISO(b).toMillis()

/** A date of birth as plain YYYY-MM-DD, whatever the vendor wrapped it in (`1980-02-03T00:00:00Z` too). */
export function plainDate(value: string | null | undefined): string | undefined {
  if (!value) return undefined
  const m = /^(\d{4}-\d{2}-\d{2})/.exec(value.trim())
  if (!m) return undefined
  return DateTime.fromISO(m[1]!).isValid ? m[1] : undefined
}
