import { describe, expect, it } from 'vitest'
import { parseQuery } from '../../../src/main/search/parse'
import { birthDateFromParts, isCalendarDate, parseBirthDate } from '../../../src/shared/birth-date'

// A pinned "today" in the clinic's zone: every reading below is relative to it, never the machine's date.
const TODAY = '2025-06-01'

describe('the date-of-birth rule', () => {
  it('reads a two-digit year as the latest year that keeps the date of birth on or before today', () => {
    expect(birthDateFromParts(12, 12, '25', TODAY)).toEqual({ ok: true, date: '1925-12-12' })
    expect(birthDateFromParts(1, 6, '25', TODAY)).toEqual({ ok: true, date: '2025-06-01' })
    expect(birthDateFromParts(2, 6, '25', TODAY)).toEqual({ ok: true, date: '1925-06-02' })
    expect(birthDateFromParts(12, 3, '87', TODAY)).toEqual({ ok: true, date: '1987-03-12' })
    expect(birthDateFromParts(5, 5, '05', TODAY)).toEqual({ ok: true, date: '2005-05-05' })
    expect(birthDateFromParts(1, 1, '00', TODAY)).toEqual({ ok: true, date: '2000-01-01' })
  })

  it('never answers a future date of birth, whatever the two digits', () => {
    for (let yy = 0; yy < 100; yy++) {
      const r = birthDateFromParts(31, 12, String(yy).padStart(2, '0'), TODAY)
      expect(r.ok && r.date <= TODAY, `31/12/${yy}`).toBe(true)
    }
  })

  it('refuses a four-digit year in the future, a day that does not exist, and a date over 125 years ago', () => {
    expect(birthDateFromParts(12, 12, '2025', TODAY)).toEqual({ ok: false, reason: 'future' })
    expect(birthDateFromParts(29, 2, '2023', TODAY)).toEqual({ ok: false, reason: 'not-a-date' })
    expect(birthDateFromParts(29, 2, '24', TODAY)).toEqual({ ok: true, date: '2024-02-29' })
    expect(birthDateFromParts(29, 2, '23', TODAY)).toEqual({ ok: false, reason: 'not-a-date' })
    expect(birthDateFromParts(31, 4, '1990', TODAY)).toEqual({ ok: false, reason: 'not-a-date' })
    expect(birthDateFromParts(1, 1, '1899', TODAY)).toEqual({ ok: false, reason: 'too-old' })
    expect(birthDateFromParts(1, 1, '1900', TODAY)).toEqual({ ok: true, date: '1900-01-01' })
  })

  it('knows leap years, including the century rule', () => {
    expect(isCalendarDate(2000, 2, 29)).toBe(true)
    expect(isCalendarDate(1900, 2, 29)).toBe(false)
    expect(isCalendarDate(2024, 13, 1)).toBe(false)
  })
})

describe('one reading in the form and in search', () => {
  it.each([
    '12/12/25',
    '01/06/25',
    '02/06/25',
    '12.3.87',
    '12 Mar 1987',
    '1987-03-12',
    '12031987',
    '29/02/24',
  ])('%j is the same date of birth in the new-patient form and in search', (typed) => {
    const form = parseBirthDate(typed, TODAY)
    const search = parseQuery(typed, { today: TODAY })
    expect(form.ok).toBe(true)
    expect(search).toMatchObject({ kind: 'person', birthDate: form.ok ? form.date : 'none' })
  })

  it('refuses the same dates in both, with the form saying why', () => {
    expect(parseBirthDate('12/12/2025', TODAY)).toEqual({ ok: false, message: 'That date is in the future.' })
    expect(parseQuery('12/12/2025', { today: TODAY })).toMatchObject({
      kind: 'date-invalid',
      reason: 'future',
    })
    expect(parseBirthDate('01/01/1890', TODAY)).toEqual({
      ok: false,
      message: 'That is more than 125 years ago.',
    })
    expect(parseQuery('01/01/1890', { today: TODAY })).toMatchObject({
      kind: 'date-invalid',
      reason: 'too-old',
    })
    expect(parseBirthDate('31/04/1990', TODAY)).toEqual({ ok: false, message: 'That month has 30 days.' })
    expect(parseBirthDate('12/13/1990', TODAY)).toEqual({
      ok: false,
      message: 'There is no month 13: type the day first.',
    })
    expect(parseBirthDate('', TODAY)).toMatchObject({ ok: false })
  })
})
