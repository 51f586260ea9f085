import { describe, expect, it } from 'vitest'
import {
  addDays,
  addYears,
  dateLayout,
  datePattern,
  formatDateEntry,
  parseDateEntry,
} from '../../../src/renderer/src/lib/date-entry'

const ok = (date: string) => ({ ok: true, date })

describe('dateLayout', () => {
  it('reads the order and separator from the locale', () => {
    expect(dateLayout('en-GB')).toEqual({ order: 'dmy', separator: '/' })
    expect(dateLayout('en-US')).toEqual({ order: 'mdy', separator: '/' })
    expect(dateLayout('de-DE')).toEqual({ order: 'dmy', separator: '.' })
    expect(dateLayout('sv-SE').order).toBe('ymd')
    expect(datePattern('en-GB')).toBe('dd/mm/yyyy')
    expect(datePattern('en-US')).toBe('mm/dd/yyyy')
  })
})

describe('parseDateEntry', () => {
  it('reads 04/12/2026 as 4 December in en-GB and as 12 April in en-US', () => {
    expect(parseDateEntry('04/12/2026', 'en-GB')).toEqual(ok('2026-12-04'))
    expect(parseDateEntry('04/12/2026', 'en-US')).toEqual(ok('2026-04-12'))
    expect(parseDateEntry('4.12.2026', 'de-DE')).toEqual(ok('2026-12-04'))
  })

  it('takes any separator, eight digits, ISO, or a month by name', () => {
    for (const t of ['4/12/2026', '04-12-2026', '4 12 2026', '4.12.2026', '04122026', ' 04/12/2026 '])
      expect(parseDateEntry(t, 'en-GB')).toEqual(ok('2026-12-04'))
    expect(parseDateEntry('2026-12-04', 'en-GB')).toEqual(ok('2026-12-04'))
    expect(parseDateEntry('2026-12-04', 'en-US')).toEqual(ok('2026-12-04'))
    expect(parseDateEntry('4 Dec 2026', 'en-GB')).toEqual(ok('2026-12-04'))
    expect(parseDateEntry('December 4, 2026', 'en-US')).toEqual(ok('2026-12-04'))
    expect(parseDateEntry('12042026', 'en-US')).toEqual(ok('2026-12-04'))
  })

  it('says what is wrong, in words', () => {
    expect(parseDateEntry('', 'en-GB')).toEqual({
      ok: false,
      message: 'Enter a date, e.g. 04/12/2026 for 4 December 2026.',
    })
    expect(parseDateEntry('04/12', 'en-GB')).toMatchObject({ ok: false, message: /day, month and year/ })
    expect(parseDateEntry('04/12/26', 'en-GB')).toEqual({
      ok: false,
      message: 'Write the year in full, e.g. 2026.',
    })
    expect(parseDateEntry('04/13/2026', 'en-GB')).toEqual({
      ok: false,
      message: 'There is no month 13: months go from 1 to 12.',
    })
    expect(parseDateEntry('31/02/2026', 'en-GB')).toEqual({
      ok: false,
      message: 'February 2026 has 28 days; there is no day 31.',
    })
    expect(parseDateEntry('29/02/2028', 'en-GB')).toEqual(ok('2028-02-29'))
    expect(parseDateEntry('4/x/2026', 'en-GB')).toMatchObject({ ok: false })
  })

  it('keeps years in a sane range, or in the field’s own limits', () => {
    expect(parseDateEntry('01/01/0006', 'en-GB')).toEqual({
      ok: false,
      message: '1 January 6 is out of range: choose a day from 1 January 1900 to 31 December 2100.',
    })
    expect(parseDateEntry('01/01/20266', 'en-GB')).toMatchObject({ ok: false, message: /year in full/ })
    const limits = { min: '2026-12-01', max: '2027-12-01' }
    expect(parseDateEntry('30/11/2026', 'en-GB', limits)).toMatchObject({
      ok: false,
      message: '30 November 2026 is out of range: choose a day from 1 December 2026 to 1 December 2027.',
    })
    expect(parseDateEntry('01/12/2026', 'en-GB', limits)).toEqual(ok('2026-12-01'))
  })
})

describe('formatDateEntry and calendar arithmetic', () => {
  it('writes a day back in the locale’s order', () => {
    expect(formatDateEntry('2026-12-04', 'en-GB')).toBe('04/12/2026')
    expect(formatDateEntry('2026-12-04', 'en-US')).toBe('12/04/2026')
    expect(formatDateEntry('2026-12-04', 'de-DE')).toBe('04.12.2026')
    expect(formatDateEntry('not a date', 'en-GB')).toBe('')
    for (const d of ['2026-01-31', '2028-02-29', '1999-12-31'])
      expect(parseDateEntry(formatDateEntry(d, 'en-US'), 'en-US')).toEqual(ok(d))
  })

  it('moves by days and years on the calendar', () => {
    expect(addDays('2026-03-28', 2)).toBe('2026-03-30')
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01')
    expect(addYears('2028-02-29', 1)).toBe('2029-02-28')
  })
})
