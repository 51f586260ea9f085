/**
 * Dates of birth: the one rule, used by the new-patient and trace forms and by patient search.
 *
 * A two-digit year is read as the latest year that keeps the date of birth on or before today in
 * the clinic's zone: never a future date of birth. On 1 June 2025, "12/12/25" is 12 December 1925
 * and "01/01/25" is 1 January 2025. A date more than 125 years ago is refused too (the oldest
 * person on record lived to 122): it is a typing slip, not a patient.
 */

export type BirthDate = { ok: true; date: string } | { ok: false; reason: BirthDateProblem }
export type BirthDateProblem = 'not-a-date' | 'future' | 'too-old'

export const MAX_AGE_YEARS = 125

const pad = (n: number, width = 2) => String(n).padStart(width, '0')

/** A real calendar day (no 31 April, 29 February only in leap years). */
export function isCalendarDate(year: number, month: number, day: number): boolean {
  const d = new Date(Date.UTC(year, month - 1, day))
  d.setUTCFullYear(year)
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day
}

/**
 * A date of birth from its typed parts, day first. `yearText` is the year as typed (two or four
 * digits); `today` is YYYY-MM-DD in the clinic's zone. Answers YYYY-MM-DD or why not.
 */
export function birthDateFromParts(day: number, month: number, yearText: string, today: string): BirthDate {
  const thisYear = Number(today.slice(0, 4))
  const typed = Number(yearText)
  const century = Math.floor(thisYear / 100) * 100
  // The rule, once: this century's reading unless that is after today, then the century before.
  const readings = yearText.length <= 2 ? [century + typed, century - 100 + typed] : [typed]
  let real = false
  for (const year of readings) {
    if (!isCalendarDate(year, month, day)) continue
    real = true
    const date = `${pad(year, 4)}-${pad(month)}-${pad(day)}`
    if (date > today) continue
    if (thisYear - year > MAX_AGE_YEARS) return { ok: false, reason: 'too-old' }
    return { ok: true, date }
  }
  return { ok: false, reason: real ? 'future' : 'not-a-date' }
}

/** A date typed for a form: YYYY-MM-DD, or a message that says what to fix. */
export type ParsedDate = { ok: true; date: string } | { ok: false; message: string }

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec']
/** Days in a month of a year (28 to 31). */
export const daysIn = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate()

/**
 * A date of birth typed day first, read by the rule above:
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

export interface DayFirstParts {
  d: number
  m: number
  /** As typed: two or four digits. */
  yearText: string
}

/** Day, month and year as typed: `12/03/1987`, `12.3.87`, `12031987`, `12 Mar 1987`, `1987-03-12`. */
export function dayFirstParts(text: string): DayFirstParts | null {
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
