/**
 * Instants and local times. An instant is stored, compared and sent in one canonical form only:
 * UTC, milliseconds, `YYYY-MM-DDTHH:mm:ss.sssZ` (what `Date.toISOString` writes), so that text order
 * is time order and the same moment is always the same string. Local wall times are read in the
 * clinic's zone, and the hour the clocks skip or repeat is named rather than guessed.
 */
import { DateTime } from 'luxon'

/** The one stored form; fixed width, so SQL can compare it as text. */
export const CANONICAL_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/

export class InstantError extends Error {}

/**
 * Any ISO-8601 instant with `Z` or an offset → the canonical UTC form. Digits below the
 * millisecond are cut (as SQLite's strftime does in the migration), never rounded.
 */
export function canonicalInstant(value: string): string {
  if (!/(?:Z|[+-]\d{2}:?\d{2})$/i.test(value.trim()))
    throw new InstantError(`"${value}" has no zone: an instant needs Z or an offset such as +01:00`)
  const dt = DateTime.fromISO(value.trim(), { setZone: true })
  if (!dt.isValid) throw new InstantError(`"${value}" is not a date and time`)
  const iso = dt.toUTC().toISO({ suppressMilliseconds: false, includeOffset: true })
  if (!iso || !CANONICAL_INSTANT.test(iso)) throw new InstantError(`"${value}" is outside years 0000–9999`)
  return iso
}

export const isCanonicalInstant = (value: string) => CANONICAL_INSTANT.test(value)

const offsetMinutes = (ms: number, zone: string) => DateTime.fromMillis(ms, { zone }).offset

/**
 * The zone's short name at an instant: BST/GMT, EDT/EST. Intl names zones by locale (en-GB says
 * "GMT-4" for New York, en-US "GMT+1" for London), so the first lettered name among the locale,
 * en-GB and en-US is used, and the offset only when none has letters.
 */
export function zoneAbbreviation(instant: string | number, zone: string, locale = 'en-GB'): string {
  const date = new Date(typeof instant === 'number' ? instant : Date.parse(instant))
  let fallback = ''
  for (const l of [locale, 'en-GB', 'en-US']) {
    const name =
      new Intl.DateTimeFormat(l, { timeZone: zone, timeZoneName: 'short' })
        .formatToParts(date)
        .find((p) => p.type === 'timeZoneName')?.value ?? ''
    if (name && !/^(GMT|UTC)[-+−]/.test(name)) return name
    fallback ||= name
  }
  return fallback
}

/**
 * Whether the clocks change on this instant's local day in `zone`: that day's times are shown with
 * the zone's short name, so 01:30 BST and 01:30 GMT never read the same.
 */
export function onClockChangeDay(instant: string, zone: string): boolean {
  const start = DateTime.fromISO(instant, { zone }).startOf('day')
  if (!start.isValid) return false
  return start.offset !== start.plus({ days: 1 }).offset
}

/** The zone's short name when the instant's day has a clock change, otherwise undefined. */
export function zoneLabelIfNeeded(instant: string, zone: string, locale = 'en-GB'): string | undefined {
  return onClockChangeDay(instant, zone) ? zoneAbbreviation(instant, zone, locale) : undefined
}

export type LocalTimeReading =
  | {
      ok: true
      instant: string
      /** Both readings when the hour repeats, earlier first. */ repeated?: [string, string]
    }
  | { ok: false; message: string }

const pad = (n: number) => String(n).padStart(2, '0')

/**
 * Hours either side of a wall time read as if it were UTC at which to ask a zone for its offset.
 * The instants that wall time can be lie up to 14 h before and 12 h after it, and a clock change
 * near them must be seen from both sides: a few hours either side was enough for London and New
 * York but missed the change in Los Angeles (UTC-8), refusing times that exist.
 */
export const OFFSET_PROBE_HOURS = [-16, -12, -8, -4, 0, 4, 8, 12, 16] as const

/**
 * A wall-clock date (YYYY-MM-DD) and time (HH:mm) in `zone` → the canonical instant. A time the
 * clocks skip is refused with a sentence naming the change; in a repeated hour the earlier reading
 * is chosen and both are returned, so the screen can show which one with the zone's short name.
 */
export function localToInstant(date: string, time: string, zone: string, locale = 'en-GB'): LocalTimeReading {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date)
  const t = /^(\d{1,2}):(\d{2})$/.exec(time.trim())
  if (!d || !t) return { ok: false, message: 'Enter the date as a day and the time as 14:30.' }
  const [y, mo, da, h, mi] = [Number(d[1]), Number(d[2]), Number(d[3]), Number(t[1]), Number(t[2])]
  if (h > 23 || mi > 59) return { ok: false, message: 'That is not a time of day: type it as 14:30.' }
  const day = DateTime.fromObject({ year: y, month: mo, day: da }, { zone })
  if (!day.isValid) return { ok: false, message: `"${date}" is not a date.` }
  const wall = Date.UTC(y, mo - 1, da, h, mi)
  // Each offset in force around the instants this wall time could be is a candidate reading.
  const offsets = [
    ...new Set(OFFSET_PROBE_HOURS.map((hours) => offsetMinutes(wall + hours * 3_600_000, zone))),
  ]
  const readings = offsets
    .map((o) => wall - o * 60_000)
    .filter((ms) => {
      const local = DateTime.fromMillis(ms, { zone })
      return (
        local.year === y && local.month === mo && local.day === da && local.hour === h && local.minute === mi
      )
    })
    .sort((a, b) => a - b)
  const iso = (ms: number) => canonicalInstant(new Date(ms).toISOString())
  if (readings.length === 0) return { ok: false, message: gapSentence(wall, time, day, zone, locale) }
  const first = iso(readings[0]!)
  if (readings.length > 1) return { ok: true, instant: first, repeated: [first, iso(readings.at(-1)!)] }
  return { ok: true, instant: first }
}

/** "There is no 01:30 on Sunday 28 March 2027 in Europe/London: the clocks go forward at 01:00 GMT, straight to 02:00 BST." */
function gapSentence(wall: number, time: string, day: DateTime, zone: string, locale: string): string {
  // The change lies within a day either side of the wall time read as UTC (offsets span -12 to +14 h).
  let lo = wall + OFFSET_PROBE_HOURS[0]! * 3_600_000
  let hi = wall + OFFSET_PROBE_HOURS.at(-1)! * 3_600_000
  const before = offsetMinutes(lo, zone)
  while (hi - lo > 60_000) {
    const mid = lo + Math.floor((hi - lo) / 120_000) * 60_000
    if (offsetMinutes(mid, zone) === before) lo = mid
    else hi = mid
  }
  const after = offsetMinutes(hi, zone)
  const wallAt = (ms: number, o: number) => {
    const w = new Date(ms + o * 60_000)
    return `${pad(w.getUTCHours())}:${pad(w.getUTCMinutes())}`
  }
  const when = day.setLocale(locale).toFormat('cccc d LLLL yyyy')
  return (
    `There is no ${time.trim().padStart(5, '0')} on ${when} in ${zone}: the clocks go forward at ` +
    `${wallAt(hi, before)} ${zoneAbbreviation(lo, zone, locale)}, straight to ${wallAt(hi, after)} ` +
    `${zoneAbbreviation(hi, zone, locale)}. Choose a time before ${wallAt(hi, before)} or from ${wallAt(hi, after)}.`
  )
}
