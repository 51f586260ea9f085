/**
 * toE164 hands an answer it gave lately back without parsing it again (src/shared/phone.ts). That
 * is only right because an answer read again is itself, for every kind of number it meets: this
 * checks so over the seeded clinic's phones and each country's example numbers, written the ways
 * a receptionist or a vendor writes them.
 */
import {
  getCountries,
  getExampleNumber,
  parsePhoneNumberFromString,
  type CountryCode,
} from 'libphonenumber-js'
import examples from 'libphonenumber-js/mobile/examples'
import { describe, expect, it, vi } from 'vitest'
import { mulberry32, seedClinic } from '../../../src/sandbox/seed'
import { toE164 } from '../../../src/shared/phone'

/** Each input with its answer, asked of a fresh copy of the module, which remembers nothing yet. */
async function freshAnswers(inputs: [string, CountryCode?][]) {
  vi.resetModules()
  const fresh = (await import('../../../src/shared/phone')).toE164
  return inputs.map(([text, region]) => [text, region, fresh(text, region)] as const)
}

describe('phones read again', () => {
  it('are their own answer, for UK numbers and every country’s example numbers', async () => {
    const inputs: [string, CountryCode?][] = []
    const clinic = seedClinic({ patients: 2_000, seed: 3, today: new Date('2026-03-30T09:00:00Z') })
    for (const p of clinic.patients) if (p.phone) inputs.push([p.phone])
    for (const country of getCountries()) {
      const example = getExampleNumber(country, examples)
      if (!example) continue
      inputs.push([example.number], [example.formatNational(), country], [example.formatInternational()])
      inputs.push([`0${example.nationalNumber}`, country], [`8${example.nationalNumber}`, country])
    }
    for (const text of ['+44 (0)20 7946 0000', '0044 7700 900123', '+4407700900123', '8 800 555 35 35'])
      inputs.push([text], [text, 'RU'], [text, 'IT'])
    const answered = (await freshAnswers(inputs)).filter(([, , answer]) => answer !== null)
    expect(answered.length).toBeGreaterThan(2_000)
    for (const [text, region, answer] of answered) {
      // Asked again, in any region: the same answer.
      expect(toE164(answer), `${text} (${region ?? 'GB'})`).toBe(answer)
      expect(toE164(answer, 'US')).toBe(answer)
    }
    // Each answer once, of a module that has not seen it: parsed, not remembered, and still itself.
    const unique = [...new Set(answered.map(([, , answer]) => answer!))]
    for (const [answer, , again] of await freshAnswers(unique.map((a) => [a]))) expect(again).toBe(answer)
  })

  it('never turns what is not a phone number into one', () => {
    expect(toE164('+44')).toBeNull()
    expect(toE164('n/a')).toBeNull()
    expect(toE164('  ')).toBeNull()
  })
})

describe('UK numbers of ten national digits', () => {
  /** libphonenumber's own answer, as toE164 gives it for every other number. */
  const library = (text: string, region: CountryCode) => {
    const parsed = parsePhoneNumberFromString(text, region)
    return parsed?.isPossible() ? parsed.number : null
  }

  it('are given the answer libphonenumber gives, for every four-digit prefix and in every shape read without it', () => {
    const rng = mulberry32(11)
    let compared = 0
    for (let prefix = 1000; prefix < 10_000; prefix++) {
      const national = `${prefix}${String(Math.floor(rng() * 1e6)).padStart(6, '0')}`
      const spaced = `${national.slice(0, 4)} ${national.slice(4)}`
      for (const text of [
        `0${national}`,
        `+44${national}`,
        `0${spaced}`,
        `+44 ${spaced}`,
        ` +44  ${spaced} `,
      ]) {
        for (const region of ['GB', 'US', 'FR'] as const) {
          const want = library(text, region)
          expect(toE164(text, region), `${text} (${region})`).toBe(want)
          compared++
        }
      }
    }
    expect(compared).toBe(9_000 * 5 * 3)
    // Near misses go to the library: a leading zero after +44, a digit too many or too few, other marks.
    for (const text of [
      '+4407700900123',
      '077009001234',
      '0770090012',
      '07700-900123',
      '(07700) 900123',
      '+44 (0)7700 900123',
    ])
      expect(toE164(text), text).toBe(library(text, 'GB'))
  })
})
