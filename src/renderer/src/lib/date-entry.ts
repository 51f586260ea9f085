/**
 * Reading a date as the front desk types it: in the clinic locale's order (day first in en-GB),
 * any of / . - or space between the parts, or eight digits; ISO (2026-12-04) always; a month
 * by name ("4 Dec 2026"). Dates are plain calendar days (YYYY-MM-DD), never through a time zone.
 */

export type DateOrder = 'dmy' | 'mdy' | 'ymd'

export type ParsedDate = { ok: true; date: string } | { ok: false; message: string }

export interface DateLimits {
  /** Earliest allowed day, YYYY-MM-DD. */
  min?: string
  /** Latest allowed day, YYYY-MM-DD. */
  max?: string
}

/** Without limits, a year outside these is a typing slip (0006, 20266). */
export const FIRST_YEAR = 1900
export const LAST_YEAR = 2100

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec']
const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
]

const layouts = new Map<string, { order: DateOrder; separator: string }>()

/** Three date parts written in `order`, as day, month and year. */
function dayMonthYear(parts: (string | undefined)[], order: DateOrder): (string | undefined)[] {
  if (order === 'dmy') return parts
  return order === 'mdy' ? [parts[1], parts[0], parts[2]] : [parts[2], parts[1], parts[0]]
}

/** The order and separator the locale writes a short numeric date in (en-GB: dmy, "/"). */
export function dateLayout(locale: string): { order: DateOrder; separator: string } {
  let layout = layouts.get(locale)
  if (!layout) {
    const parts = new Intl.DateTimeFormat(locale, {
      day: '2-digit',
      month: '2-digit',
      year: 'numeric',
      timeZone: 'UTC',
    }).formatToParts(new Date(Date.UTC(2026, 11, 4)))
    const fields = parts.filter((p) => p.type === 'day' || p.type === 'month' || p.type === 'year')
    const key = fields.map((p) => p.type[0]).join('')
    const order: DateOrder = key === 'mdy' ? 'mdy' : key === 'ymd' ? 'ymd' : 'dmy'
    const literal = parts.find((p) => p.type === 'literal')?.value.trim() || '/'
    layout = { order, separator: literal.length === 1 ? literal : '/' }
    layouts.set(locale, layout)
  }
  return layout
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0')

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate()
}

/** `2026-12-04` → `04/12/2026` (en-GB), `12/04/2026` (en-US), `2026-12-04` (sv). */
export function formatDateEntry(date: string, locale: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date)
  if (!m) return ''
  const [, y, mo, d] = m as unknown as [string, string, string, string]
  const { order, separator } = dateLayout(locale)
  const parts = order === 'dmy' ? [d, mo, y] : order === 'mdy' ? [mo, d, y] : [y, mo, d]
  return parts.join(separator)
}

/** How the field's placeholder spells the expected order: dd/mm/yyyy in en-GB. */
export function datePattern(locale: string): string {
  const { order, separator } = dateLayout(locale)
  const names = { d: 'dd', m: 'mm', y: 'yyyy' }
  return order
    .split('')
    .map((c) => names[c as 'd' | 'm' | 'y'])
    .join(separator)
}

/** A calendar day in words for messages: 4 December 2026. */
export function dayInWords(date: string): string {
  const [y, m, d] = date.split('-').map(Number)
  return `${d} ${MONTH_NAMES[m! - 1]} ${y}`
}

function monthByName(word: string): number | null {
  const i = MONTHS.indexOf(word.slice(0, 3).toLowerCase())
  return i >= 0 && /^[a-z]+$/i.test(word) ? i + 1 : null
}

export function parseDateEntry(text: string, locale: string, limits: DateLimits = {}): ParsedDate {
  const example = formatDateEntry('2026-12-04', locale)
  const t = text.trim()
  if (!t) return { ok: false, message: `Enter a date, e.g. ${example} for 4 December 2026.` }

  let y: string | undefined
  let m: string | undefined
  let d: string | undefined
  const { order } = dateLayout(locale)
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(t)
  if (iso) {
    ;[, y, m, d] = iso
  } else if (/^\d{8}$/.test(t)) {
    const parts =
      order === 'ymd'
        ? [t.slice(0, 4), t.slice(4, 6), t.slice(6)]
        : [t.slice(0, 2), t.slice(2, 4), t.slice(4)]
    ;[d, m, y] = dayMonthYear(parts, order)
  } else {
    const parts = t.split(/[\s./,-]+/).filter(Boolean)
    if (parts.length !== 3)
      return { ok: false, message: `Write the day, month and year, e.g. ${example} for 4 December 2026.` }
    const named = parts.findIndex((p) => monthByName(p) !== null)
    if (named >= 0) {
      // "4 Dec 2026", "Dec 4 2026": the month is named, the four-digit part is the year.
      m = String(monthByName(parts[named]!))
      const rest = parts.filter((_, i) => i !== named)
      const yi = rest.findIndex((p) => p.length === 4)
      if (yi < 0) return { ok: false, message: 'Write the year in full, e.g. 2026.' }
      y = rest[yi]
      d = rest[1 - yi]
    } else {
      ;[d, m, y] = dayMonthYear(parts, order)
    }
  }
  if (!y || !m || !d || !/^\d+$/.test(y) || !/^\d+$/.test(m) || !/^\d+$/.test(d))
    return { ok: false, message: `That is not a date: write it like ${example}.` }
  if (y.length !== 4) return { ok: false, message: 'Write the year in full, e.g. 2026.' }
  const year = Number(y)
  const month = Number(m)
  const day = Number(d)
  if (month < 1 || month > 12)
    return { ok: false, message: `There is no month ${month}: months go from 1 to 12.` }
  const last = daysInMonth(year, month)
  if (day < 1 || day > last)
    return {
      ok: false,
      message: `${MONTH_NAMES[month - 1]} ${year} has ${last} days; there is no day ${day}.`,
    }
  const date = `${pad(year, 4)}-${pad(month)}-${pad(day)}`
  const min = limits.min ?? `${FIRST_YEAR}-01-01`
  const max = limits.max ?? `${LAST_YEAR}-12-31`
  if (date < min || date > max)
    return {
      ok: false,
      message: `${dayInWords(date)} is out of range: choose a day from ${dayInWords(min)} to ${dayInWords(max)}.`,
    }
  return { ok: true, date }
}

/** `date` moved by whole days, on the calendar (no time zone, no daylight-saving hours). */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number)
  const t = new Date(Date.UTC(y!, m! - 1, d! + days))
  return `${pad(t.getUTCFullYear(), 4)}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`
}

/** `date` moved by whole years (29 February becomes 28 February). */
export function addYears(date: string, years: number): string {
  const [y, m, d] = date.split('-').map(Number)
  const year = y! + years
  return `${pad(year, 4)}-${pad(m!)}-${pad(Math.min(d!, daysInMonth(year, m!)))}`
}
