/**
 * What a receptionist types, read the UK way: dates day first (`12/03/1987`, `12.3.87`,
 * `12 Mar 1987`), phone numbers shown nationally (`07700 900123`).
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js'
import { remembered } from '../lib/remembered'
import { dayFirstParts, daysIn, type ParsedDate } from '../../../shared/birth-date'

const pad = (n: number) => String(n).padStart(2, '0')

/** A date of birth typed day first: the one parser and rule, shared with search. */
export { parseBirthDate } from '../../../shared/birth-date'
export type { ParsedDate }

/** Any date typed day first (`12/03/2026`, `12.3.26`, `12 Mar 2026`, `2026-03-12`) to YYYY-MM-DD. */
export function parseDayFirst(text: string, today: string): ParsedDate {
  if (!text.trim()) return { ok: false, message: 'Enter a date, day first: 12/03/2026.' }
  const parts = dayFirstParts(text)
  if (!parts) return { ok: false, message: 'Type the date day first, for example 12/03/1987.' }
  const { d, m, yearText } = parts
  const y = yearText.length === 2 ? twoDigitYear(Number(yearText), today) : Number(yearText)
  if (m < 1 || m > 12) return { ok: false, message: `There is no month ${m}: type the day first.` }
  const days = daysIn(y, m)
  if (d < 1 || d > days) return { ok: false, message: `That month has ${days} days.` }
  return { ok: true, date: `${y}-${pad(m)}-${pad(d)}` }
}

/** A time of day typed as `9:30`, `09.30`, `0930` or `2:15pm` → `HH:MM` (24-hour), or null. */
export function parseTime(text: string): string | null {
  const m = /^(\d{1,2})(?:[:.\s]?(\d{2}))?\s*(am|pm)?$/.exec(text.trim().toLowerCase())
  if (!m) return null
  let h = Number(m[1])
  const min = m[2] ? Number(m[2]) : 0
  if (m[3] === 'pm' && h < 12) h += 12
  if (m[3] === 'am' && h === 12) h = 0
  if (h > 23 || min > 59) return null
  return `${pad(h)}:${pad(min)}`
}

/** YYYY-MM-DD → `21/11/2026`, the way the date is typed back. */
export const dayFirst = (date: string) => date.split('-').reverse().join('/')

/**
 * A two-digit year in a date to book or search from is the reading nearest this year: "05/01/27"
 * typed in December 2026 is next January. (A date of birth has its own rule, never in the future:
 * see shared/birth-date.)
 */
function twoDigitYear(yy: number, today: string): number {
  const now = Number(today.slice(0, 4))
  const century = Math.floor(now / 100) * 100
  return [century - 100 + yy, century + yy, century + 100 + yy].reduce((best, y) =>
    Math.abs(y - now) < Math.abs(best - now) ? y : best,
  )
}

const phones = new Map<string, string>()

/** `+447700900123` → `07700 900123`; anything else as it came. */
export function formatPhone(phone: string | undefined): string {
  if (!phone) return ''
  // Remembered: every search answer shows up to ten phones, and parsing one costs tens of microseconds.
  return remembered(phones, phone, () => {
    const parsed = parsePhoneNumberFromString(phone, 'GB')
    if (!parsed) return phone
    return parsed.countryCallingCode === '44' ? parsed.formatNational() : parsed.formatInternational()
  })
}

/** A UK phone number to E.164, or null when it is not one that could be dialled. */
export function phoneToE164(text: string): string | null {
  const parsed = parsePhoneNumberFromString(text.trim(), 'GB')
  return parsed && parsed.isPossible() ? parsed.number : null
}

/** `sw1a1aa` → `SW1A 1AA`. */
export function formatPostcode(text: string): string {
  const c = text.replace(/\s+/g, '').toUpperCase()
  return c.length >= 5 && c.length <= 7 ? `${c.slice(0, -3)} ${c.slice(-3)}` : text.trim().toUpperCase()
}
