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
