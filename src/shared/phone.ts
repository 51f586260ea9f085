/**
 * Phone numbers in E.164, parsed with libphonenumber-js. A number without a country code is read
 * as a UK number unless the caller says otherwise, since most clinics here are in the UK.
 */
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js'

/** `07700 900123` → `+447700900123`; null when the text is not a plausible phone number. */
export function toE164(input: string | null | undefined, defaultRegion: CountryCode = 'GB'): string | null {
  if (!input) return null
  const trimmed = input.trim()
  if (!trimmed) return null
  const parsed = parsePhoneNumberFromString(trimmed, defaultRegion)
  if (!parsed || !parsed.isPossible()) return null
  return parsed.number
}
