/**
 * What a receptionist types, read the UK way: dates day first (`12/03/1987`, `12.3.87`,
 * `12 Mar 1987`), phone numbers shown nationally (`07700 900123`).
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js'
import { birthDateFromParts, MAX_AGE_YEARS } from '../../../shared/birth-date'

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec']

const pad = (n: number) => String(n).padStart(2, '0')

export type ParsedDate = { ok: true; date: string } | { ok: false; message: string }

/**
 * A date of birth typed day first, read by the one rule for dates of birth (src/shared/birth-date.ts):
 * a two-digit year is the latest that keeps the date on or before today (`87` → 1987, `05` → 2005,
 * `12/12/25` on 1 June 2025 → 1925). `today` is YYYY-MM-DD in the clinic's zone.
 */
export function parseBirthDate(text: string, today: string): ParsedDate {
  if (!text.trim()) return { ok: false, message: 'Enter the date of birth, day first: 12/03/1987.' }
  const parts = dayFirstParts(text)
  if (!parts) return { ok: false, message: 'Type the date day first, for example 12/03/1987.' }
  const { d, m, yearText } = parts
  if (m < 1 || m > 12) return { ok: false, message: `There is no month ${m}: type the day first.` }
  const r = birthDateFromParts(d, m, yearText, today)
  if (r.ok) return { ok: true, date: r.date }
  if (r.reason === 'future') return { ok: false, message: 'That date is in the future.' }
  if (r.reason === 'too-old') return { ok: false, message: `That is more than ${MAX_AGE_YEARS} years ago.` }
  const year =
    yearText.length === 4 ? Number(yearText) : Number(today.slice(0, 2) + yearText.padStart(2, '0'))
  return { ok: false, message: `That month has ${daysIn(year, m)} days.` }
}

interface DayFirstParts {
  d: number
  m: number
  /** As typed: two or four digits. */
  yearText: string
}

/** Day, month and year as typed: `12/03/1987`, `12.3.87`, `12031987`, `12 Mar 1987`, `1987-03-12`. */
function dayFirstParts(text: string): DayFirstParts | null {
  const t = text.trim().toLowerCase()
  let p = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(t)
  if (p) return { d: Number(p[3]), m: Number(p[2]), yearText: p[1]! }
  p = /^(\d{1,2})[\s/.-]+(\d{1,2})[\s/.-]+(\d{2}|\d{4})$/.exec(t) ?? /^(\d{2})(\d{2})(\d{4}|\d{2})$/.exec(t)
  if (p) return { d: Number(p[1]), m: Number(p[2]), yearText: p[3]! }
  p = /^(\d{1,2})(?:st|nd|rd|th)?[\s/.-]*([a-z]{3,9})[\s/.,-]*(\d{2}|\d{4})$/.exec(t)
  if (p) {
    const month = MONTHS.indexOf(p[2]!.slice(0, 3))
    return month >= 0 ? { d: Number(p[1]), m: month + 1, yearText: p[3]! } : null
  }
  return null
}

const daysIn = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate()

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

function twoDigitYear(yy: number, today: string): number {
  const now = Number(today.slice(0, 4))
  const century = Math.floor(now / 100) * 100
  return century + yy > now ? century - 100 + yy : century + yy
}

/** `+447700900123` → `07700 900123`; anything else as it came. */
export function formatPhone(phone: string | undefined): string {
  if (!phone) return ''
  const parsed = parsePhoneNumberFromString(phone, 'GB')
  if (!parsed) return phone
  return parsed.countryCallingCode === '44' ? parsed.formatNational() : parsed.formatInternational()
}

/** A UK phone number to E.164, or null when it is not one that could be dialled. */
export function phoneToE164(text: string): string | null {
  const parsed = parsePhoneNumberFromString(text.trim(), 'GB')
  return parsed && parsed.isPossible() ? parsed.number : null
}

/** Light check before the main process's own: something@something.tld. */
export const looksLikeEmail = (s: string) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s.trim())

/** `sw1a1aa` → `SW1A 1AA`. */
export function formatPostcode(text: string): string {
  const c = text.replace(/\s+/g, '').toUpperCase()
  return c.length >= 5 && c.length <= 7 ? `${c.slice(0, -3)} ${c.slice(-3)}` : text.trim().toUpperCase()
}
