import { describe, expect, it } from 'vitest'
import {
  compactNhsNumber,
  formatNhsNumber,
  isTestRangeNhsNumber,
  isValidNhsNumber,
  nhsCheckDigit,
} from '../../../src/shared/nhs-number'

describe('NHS numbers', () => {
  it('accepts a valid number however it is typed', () => {
    for (const typed of ['9434765919', '943 476 5919', '943-476-5919', ' 943.476.5919 ']) {
      expect(isValidNhsNumber(typed), typed).toBe(true)
    }
  })

  it('rejects a wrong check digit, the wrong length and letters', () => {
    expect(isValidNhsNumber('9434765918')).toBe(false)
    expect(isValidNhsNumber('943476591')).toBe(false)
    expect(isValidNhsNumber('94347659190')).toBe(false)
    expect(isValidNhsNumber('94347659I9')).toBe(false)
  })

  it('treats a check value of 10 as never issued', () => {
    // 1000000010: weights give sum 10+... find a prefix whose check is 10 and make sure no digit passes.
    let prefix = ''
    for (let n = 999000000; n < 999001000; n++) {
      if (nhsCheckDigit(String(n)) === null) {
        prefix = String(n)
        break
      }
    }
    expect(prefix).not.toBe('')
    for (let d = 0; d <= 9; d++) expect(isValidNhsNumber(prefix + d)).toBe(false)
  })

  it('formats 3-3-4 and recognises the test range', () => {
    expect(formatNhsNumber('9434765919')).toBe('943 476 5919')
    expect(formatNhsNumber('not a number')).toBe('not a number')
    expect(compactNhsNumber('999 123 4560')).toBe('9991234560')
    expect(isTestRangeNhsNumber('999 123 4560')).toBe(true)
    expect(isTestRangeNhsNumber('943 476 5919')).toBe(false)
  })
})
