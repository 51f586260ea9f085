/**
 * Phone numbers in E.164, parsed with libphonenumber-js. A number without a country code is read
 * as a UK number unless the caller says otherwise, since most clinics here are in the UK.
 */
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js'

/**
 * Answers given lately. An answer read again is itself (the phone tests check it), so it is handed
 * back without parsing: a patient's phone is normalised where it leaves the vendor's mapper and
 * again where the cache writes it, and parsing one costs 10–30 µs and about 8 KB of garbage (for
 * +44 most of it working out which country shares the code), on the main thread during a refresh.
 */
const answers = new Set<string>()
const ANSWERS_KEPT = 20_000

/**
 * A UK number of ten national digits, written as most clinics and vendors write one (`+447700900123`,
 * `07700 900123`, `+44 20 7946 0000`): spaces only, no other marks. libphonenumber's answer for
 * every such number is `+44` and the ten digits (`phone.test.ts` checks it, prefix by prefix), so
 * it is given without the parse.
 */
const UK_INTERNATIONAL = /^\+44[1-9]\d{9}$/
const UK_NATIONAL = /^0[1-9]\d{9}$/

/** `07700 900123` → `+447700900123`; null when the text is not a plausible phone number. */
export function toE164(input: string | null | undefined, defaultRegion: CountryCode = 'GB'): string | null {
  if (!input) return null
  const trimmed = input.trim()
  if (!trimmed) return null
  const compact = trimmed.includes(' ') ? trimmed.replaceAll(' ', '') : trimmed
  if (UK_INTERNATIONAL.test(compact)) return compact
  if (defaultRegion === 'GB' && UK_NATIONAL.test(compact)) return `+44${compact.slice(1)}`
  // An answer starts with `+`, so the default region plays no part in reading it again.
  if (answers.has(trimmed)) return trimmed
  const parsed = parsePhoneNumberFromString(trimmed, defaultRegion)
  if (!parsed || !parsed.isPossible()) return null
  if (answers.size >= ANSWERS_KEPT) answers.clear()
  answers.add(parsed.number)
  return parsed.number
}
