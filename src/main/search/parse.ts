/**
 * What did the receptionist type? Pure: no database, no clock unless given one. The search runs
 * whatever this says, and shows its `describe` text so a surprising reading is visible at once.
 */
import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js'
import {
  type BirthDate,
  type BirthDateProblem,
  birthDateFromParts,
  MAX_AGE_YEARS,
} from '../../shared/birth-date'
import { formatNhsNumber, isValidNhsNumber } from '../../shared/nhs-number'
import { toE164 } from '../../shared/phone'
import { compactName } from './normalise'

export type NameRole = 'any' | 'family' | 'given'

export interface NameWord {
  /** As typed, for messages. */
  typed: string
  /** Folded, separators removed: what is compared with the index. */
  word: string
  /** "Smith, John": the words before the comma are the surname, those after the given name. */
  role: NameRole
}

export type ParsedQuery =
  | { kind: 'empty' }
  | { kind: 'nhs-number'; nhsNumber: string }
  /** Ten digits whose modulus-11 check digit is wrong: a mistyped NHS number. */
  | { kind: 'nhs-invalid'; digits: string }
  | { kind: 'phone'; phone: string }
  /** A date that cannot be a date of birth: 31/02/1990, one in the future, or over 125 years ago. */
  | { kind: 'date-invalid'; typed: string; reason: BirthDateProblem }
  /** Nothing to search yet: "12", "+44 77", a lone digit run while an identifier is being typed. */
  | { kind: 'incomplete'; typed: string }
  | {
      kind: 'person'
      names: NameWord[]
      /** YYYY-MM-DD. */
      birthDate?: string
      /** Upper case, no spaces, as patients.postcode_key. */
      postcode?: string
      /** Fragments that fit nothing, e.g. the "12" of "smith 12". */
      ignored: string[]
      /** Name words beyond MAX_NAME_WORDS, not searched (each word multiplies the work). */
      extraWords?: string[]
    }

export interface ParseOptions {
  /** The clinic's local date, YYYY-MM-DD: two-digit years never land after it. Defaults to today (UTC). */
  today?: string
  /** Where a phone number without a country code is from. */
  region?: CountryCode
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec']
const MONTH_NAMES = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
]

// Day first, as written in the UK: 12/03/1987, 12-3-87, 12.03.1987.
const DMY = /(?<![\p{L}\p{N}])(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})(?![\p{L}\p{N}])/u
// ISO: 1987-03-12 (and 1987/03/12).
const YMD = /(?<![\p{L}\p{N}])(\d{4})([/.-])(\d{1,2})\2(\d{1,2})(?![\p{L}\p{N}])/u
// 12 Mar 1987, 12-Mar-87, 12th March 1987, 12mar1987.
const D_MON_Y =
  /(?<![\p{L}\p{N}])(\d{1,2})(?:st|nd|rd|th)?[\s./-]*([a-z]{3,9})\.?[\s./,-]*(\d{4}|\d{2})(?![\p{L}\p{N}])/iu
// A full UK postcode, spaces and case ignored: N1 6QJ, sw1a1aa, EC1A 1BB.
const POSTCODE = /(?<![\p{L}\p{N}])([A-Z]{1,2}\d[A-Z\d]?)\s*(\d[A-Z]{2})(?![\p{L}\p{N}])/iu
const NUMBERISH = /^[\d\s().+-]+$/

/** Distinct name words searched at most; a real name has fewer, a pasted paragraph many more. */
export const MAX_NAME_WORDS = 8

function todayIso(opts: ParseOptions): string {
  return opts.today ?? new Date().toISOString().slice(0, 10)
}

type DateResult = BirthDate

function monthNumber(name: string): number | null {
  const n = name.toLowerCase()
  const short = MONTHS.indexOf(n.slice(0, 3))
  if (short < 0) return null
  // "Mar", "March" and "Sept" read as months; "Marsh" does not.
  const full = MONTH_NAMES[short] as string
  return full.startsWith(n) || n === 'sept' ? short + 1 : null
}

interface Found {
  start: number
  end: number
  result: DateResult
}

function findDate(text: string, today: string): Found | null {
  const ymd = YMD.exec(text)
  if (ymd) {
    const [, y, , m, d] = ymd
    return {
      start: ymd.index,
      end: ymd.index + ymd[0].length,
      result: birthDateFromParts(Number(d), Number(m), y as string, today),
    }
  }
  const dmy = DMY.exec(text)
  if (dmy) {
    const [, d, , m, y] = dmy
    return {
      start: dmy.index,
      end: dmy.index + dmy[0].length,
      result: birthDateFromParts(Number(d), Number(m), y as string, today),
    }
  }
  const named = D_MON_Y.exec(text)
  if (named) {
    const month = monthNumber(named[2] as string)
    if (month) {
      return {
        start: named.index,
        end: named.index + named[0].length,
        result: birthDateFromParts(Number(named[1]), month, named[3] as string, today),
      }
    }
  }
  return null
}

/** Inputs made only of digits and phone punctuation: an NHS number, a phone number, or one being typed. */
function parseNumber(text: string, opts: ParseOptions): ParsedQuery {
  const region = opts.region ?? 'GB'
  const digits = text.replace(/\D/g, '')
  const plus = text.trim().startsWith('+')
  if (plus || text.includes('(')) {
    const phone = toE164(text, region)
    return phone ? { kind: 'phone', phone } : { kind: 'incomplete', typed: text.trim() }
  }
  if (digits.length === 10 && !digits.startsWith('0')) {
    // Outside the UK ten digits are a phone number (415 555 2671); in the UK, an NHS number.
    if (region !== 'GB') {
      const parsed = parsePhoneNumberFromString(text, region)
      if (parsed?.isValid()) return { kind: 'phone', phone: parsed.number }
    }
    if (isValidNhsNumber(digits)) return { kind: 'nhs-number', nhsNumber: digits }
    return { kind: 'nhs-invalid', digits }
  }
  if (digits.startsWith('0') && digits.length >= 10) {
    const phone = toE164(text, region)
    if (phone) return { kind: 'phone', phone }
  }
  if (digits.length === 8) {
    // 12031987, as some systems print a date of birth.
    const found = birthDateFromParts(
      Number(digits.slice(0, 2)),
      Number(digits.slice(2, 4)),
      digits.slice(4),
      todayIso(opts),
    )
    if (found.ok) return { kind: 'person', names: [], birthDate: found.date, ignored: [] }
  }
  if (digits.length >= 11 && !digits.startsWith('0')) {
    // 447700900123: a country code typed without its plus.
    const phone = toE164(`+${digits}`, region)
    if (phone) return { kind: 'phone', phone }
  }
  return { kind: 'incomplete', typed: text.trim() }
}

export function parseQuery(input: string, opts: ParseOptions = {}): ParsedQuery {
  const text = input.normalize('NFC').trim()
  if (!text) return { kind: 'empty' }
  const today = todayIso(opts)

  let rest = text
  let birthDate: string | undefined
  const date = findDate(rest, today)
  if (date) {
    if (!date.result.ok)
      return { kind: 'date-invalid', typed: text.slice(date.start, date.end), reason: date.result.reason }
    birthDate = date.result.date
    rest = `${rest.slice(0, date.start)} ${rest.slice(date.end)}`
  } else if (NUMBERISH.test(text)) {
    return parseNumber(text, opts)
  }

  let postcode: string | undefined
  const pc = POSTCODE.exec(rest)
  if (pc) {
    postcode = `${pc[1]}${pc[2]}`.toUpperCase()
    rest = `${rest.slice(0, pc.index)} ${rest.slice(pc.index + pc[0].length)}`
  }

  const names: NameWord[] = []
  const ignored: string[] = []
  const extraWords: string[] = []
  const comma = rest.indexOf(',')
  const sections: [string, NameRole][] =
    comma >= 0
      ? [
          [rest.slice(0, comma), 'family'],
          [rest.slice(comma + 1), 'given'],
        ]
      : [[rest, 'any']]
  for (const [section, sectionRole] of sections) {
    const words = section.split(/[\s,]+/).filter(Boolean)
    const role = sectionRole
    for (const typed of words) {
      if (/\d/.test(typed)) {
        ignored.push(typed)
        continue
      }
      const word = compactName(typed)
      if (!word) continue
      // A repeated word adds nothing but work; past the cap, words are named but not searched.
      if (names.some((n) => n.word === word && n.role === role)) continue
      if (names.length < MAX_NAME_WORDS) names.push({ typed, word, role })
      else if (!extraWords.includes(typed)) extraWords.push(typed)
    }
  }
  if (names.length === 0 && !birthDate && !postcode) {
    return ignored.length ? { kind: 'incomplete', typed: ignored.join(' ') } : { kind: 'empty' }
  }
  return {
    kind: 'person',
    names,
    ...(birthDate ? { birthDate } : {}),
    ...(postcode ? { postcode } : {}),
    ignored,
    ...(extraWords.length ? { extraWords } : {}),
  }
}

const longDate = (iso: string) => {
  const [y, m, d] = iso.split('-').map(Number)
  return `${d} ${MONTH_NAMES[(m as number) - 1]?.replace(/^./, (c) => c.toUpperCase())} ${y}`
}

const formatPostcode = (key: string) => `${key.slice(0, -3)} ${key.slice(-3)}`

/** How the search read the input, in words a receptionist would use; one line per part. */
export function describeQuery(q: ParsedQuery): string[] {
  switch (q.kind) {
    case 'empty':
      return []
    case 'nhs-number':
      return [`NHS number ${formatNhsNumber(q.nhsNumber)}`]
    case 'nhs-invalid':
      return [`NHS number ${formatNhsNumber(q.digits)} (check digit wrong)`]
    case 'phone':
      return [`Phone number ${q.phone}`]
    case 'date-invalid':
      return [`“${q.typed}” is not a date of birth`]
    case 'incomplete':
      return [`“${q.typed}”: keep typing`]
    case 'person': {
      const out: string[] = []
      for (const n of q.names) {
        const what =
          n.role === 'family' ? 'Surname' : n.role === 'given' ? 'First name' : 'Surname or first name'
        out.push(`${what} starting “${n.typed}”`)
      }
      if (q.birthDate) out.push(`Date of birth ${longDate(q.birthDate)}`)
      if (q.postcode) out.push(`Postcode ${formatPostcode(q.postcode)}`)
      for (const i of q.ignored) out.push(`Ignored “${i}”: not a full date, phone or NHS number`)
      if (q.extraWords?.length)
        out.push(`Only the first ${MAX_NAME_WORDS} name words are used; ${q.extraWords.length} more ignored`)
      return out
    }
  }
}

/** The message to show instead of results, when the input cannot be searched as typed. */
export function problemWith(q: ParsedQuery): string | undefined {
  switch (q.kind) {
    case 'nhs-invalid':
      return `${formatNhsNumber(q.digits)} is not a valid NHS number: its check digit is wrong. Check each digit against the card or letter.`
    case 'date-invalid':
      return q.reason === 'future'
        ? `${q.typed} is in the future, so it cannot be a date of birth.`
        : q.reason === 'too-old'
          ? `${q.typed} is more than ${MAX_AGE_YEARS} years ago: check the year.`
          : `${q.typed} is not a real date. Type the date of birth day first, e.g. 12/03/1987.`
    default:
      return undefined
  }
}
