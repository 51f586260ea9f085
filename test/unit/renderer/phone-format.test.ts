import { describe, expect, it } from 'vitest'
import { formatPhone, phoneToE164 } from '../../../src/renderer/src/patients/input'

describe('phone numbers as the desk reads them', () => {
  it('a UK number in its national form, grouped as dialled', () => {
    expect(formatPhone('+447700900123')).toBe('07700 900123')
    expect(formatPhone('+441632960001')).toBe('01632 960001')
  })

  it('a number abroad in its international form', () => {
    expect(formatPhone('+48221234567')).toBe('+48 22 123 45 67')
  })

  it('what is not a phone number comes back as it was, and nothing gives an empty string', () => {
    expect(formatPhone('ask at desk')).toBe('ask at desk')
    expect(formatPhone(undefined)).toBe('')
    expect(formatPhone('')).toBe('')
  })

  it('asked again (now from what was remembered), each number keeps its own answer', () => {
    for (let round = 0; round < 2; round++) {
      expect(formatPhone('+447700900123')).toBe('07700 900123')
      expect(formatPhone('+48221234567')).toBe('+48 22 123 45 67')
      expect(formatPhone('ask at desk')).toBe('ask at desk')
    }
  })

  it('typed numbers to E.164 for the clinic system', () => {
    expect(phoneToE164('07700 900123')).toBe('+447700900123')
    expect(phoneToE164('12')).toBeNull()
  })
})
