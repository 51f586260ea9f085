/**
 * Display formats for the front desk: en-GB by default, following a connection's locale; times in
 * the clinic's own zone; NHS numbers 3-3-4; a patient's age next to their date of birth.
 */
import { now as clockNow, nowMs } from './clock'
import { formatNhsNumber } from '../../../shared/nhs-number'
import { onClockChangeDay, zoneAbbreviation } from '../../../shared/instant'
import { remembered } from './remembered'

export const DEFAULT_LOCALE = 'en-GB'

const formatters = new Map<string, Intl.DateTimeFormat>()

/** One formatter per locale and options: building one costs far more than formatting with it. */
function dateTimeFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`
  let f = formatters.get(key)
  if (!f) {
    f = new Intl.DateTimeFormat(locale, options)
    formatters.set(key, f)
  }
  return f
}

const birthDates = new Map<string, string>()

/** `1987-03-12` → `12 Mar 1987`, from the plain date (never through a time zone). */
export function formatBirthDate(date: string, locale = DEFAULT_LOCALE): string {
  return remembered(birthDates, `${locale}|${date}`, () => {
    const [y, m, d] = date.split('-').map(Number)
    if (!y || !m || !d) return date
    return dateTimeFormat(locale, {
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      timeZone: 'UTC',
    }).format(new Date(Date.UTC(y, m - 1, d)))
  })
}

/** Whole years old on `today` (YYYY-MM-DD in the clinic's zone). */
export function ageOn(birthDate: string, today: string): number | null {
  const [by, bm, bd] = birthDate.split('-').map(Number)
  const [ty, tm, td] = today.split('-').map(Number)
  if (!by || !bm || !bd || !ty || !tm || !td) return null
  return ty - by - (tm < bm || (tm === bm && td < bd) ? 1 : 0)
}

/** Today's date as YYYY-MM-DD in a time zone. */
export function todayIn(timeZone: string, now = clockNow()): string {
  return dateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now)
}

const changeDays = new Map<string, boolean>()

/**
 * " BST", " GMT", " EDT"… on a day the clocks change in the zone, else "": that night 01:30 BST
 * and 01:30 GMT are different times and must not read the same. Memoised per zone and local day.
 */
export function zoneSuffix(iso: string, timeZone: string, locale = DEFAULT_LOCALE): string {
  const key = `${timeZone}|${todayIn(timeZone, new Date(iso))}`
  let change = changeDays.get(key)
  if (change === undefined) {
    change = onClockChangeDay(iso, timeZone)
    changeDays.set(key, change)
  }
  return change ? ` ${zoneAbbreviation(iso, timeZone, locale)}` : ''
}

const zoneNames = new Map<string, string>()

/**
 * "Europe/London (BST)": the zone and its short name at noon UTC on the date, under the day book's
 * heading. Remembered: building a formatter for it on every render cost a day switch milliseconds.
 */
export function formatZoneName(timeZone: string, date: string): string {
  return remembered(zoneNames, `${timeZone}|${date}`, () => {
    // The same short name the times on screen carry ("EDT", not en-GB's "GMT-4").
    const name = zoneAbbreviation(`${date}T12:00:00Z`, timeZone)
    return name ? `${timeZone} (${name})` : timeZone
  })
}

const times = new Map<string, string>()

export function formatTime(iso: string, timeZone: string, locale = DEFAULT_LOCALE): string {
  return remembered(
    times,
    `${locale}|${timeZone}|${iso}`,
    () =>
      dateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', timeZone }).format(new Date(iso)) +
      zoneSuffix(iso, timeZone, locale),
  )
}

export function formatDateTime(iso: string, timeZone: string, locale = DEFAULT_LOCALE): string {
  return (
    dateTimeFormat(locale, {
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      hour: '2-digit',
      minute: '2-digit',
      timeZone,
    }).format(new Date(iso)) + zoneSuffix(iso, timeZone, locale)
  )
}

export function formatDay(date: string, locale = DEFAULT_LOCALE): string {
  const [y, m, d] = date.split('-').map(Number)
  return dateTimeFormat(locale, {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(Date.UTC(y!, m! - 1, d!)))
}

/** A day in a week's heading: "Wed 2 Dec". */
export function formatWeekday(date: string, locale = DEFAULT_LOCALE): string {
  const [y, m, d] = date.split('-').map(Number)
  return dateTimeFormat(locale, { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' }).format(
    new Date(Date.UTC(y!, m! - 1, d!)),
  )
}

/** Minutes or hours ago, for "last synced" and queue ages. */
export function ago(iso: string | null | undefined, now = nowMs()): string {
  if (!iso) return 'never'
  const mins = Math.round((now - Date.parse(iso)) / 60_000)
  if (mins < 1) return 'just now'
  if (mins < 60) return `${mins} min ago`
  const hours = Math.round(mins / 60)
  return hours < 48 ? `${hours} h ago` : `${Math.round(hours / 24)} days ago`
}

export { formatNhsNumber }
