import { describe, expect, it } from 'vitest'
import { silentLogger, type Logger } from '../../../src/main/log/logger'
import {
  clientRefFromText,
  clientRefMarker,
  dayRange,
  localDate,
  localDays,
  nhsNumberOrDrop,
  normaliseName,
  phoneOrDrop,
  plainDate,
  splitRange,
  stripMarker,
  toUtcIso,
  toZonedIso,
} from '../../../src/main/vendors/normalise'
import { toE164 } from '../../../src/shared/phone'

const LONDON = 'Europe/London'

function recordingLog() {
  const lines: { msg: string; data?: Record<string, unknown> }[] = []
  const log: Logger = { ...silentLogger, warn: (msg, data) => lines.push({ msg, data }) }
  return { log, lines }
}

describe('names', () => {
  it('trims and collapses white space, keeping diacritics, apostrophes and hyphens', () => {
    expect(normaliseName('  Tomás   Ó  Briain ')).toBe('Tomás Ó Briain')
    expect(normaliseName("O'Hara\t")).toBe("O'Hara")
    expect(normaliseName('Smith-\nJones')).toBe('Smith- Jones')
    expect(normaliseName('Małgorzata')).toBe('Małgorzata')
    expect(normaliseName(null)).toBe('')
  })

  it('composes decomposed accents so equal names compare equal', () => {
    expect(normaliseName('Siobha\u0301n')).toBe('Siobhán')
  })
})

describe('NHS numbers from vendors', () => {
  it('keeps a valid number as ten digits', () => {
    expect(nhsNumberOrDrop('943 476 5919', silentLogger, { vendor: 'hero' })).toBe('9434765919')
  })

  it('drops an invalid number and logs it without the digits', () => {
    const { log, lines } = recordingLog()
    expect(nhsNumberOrDrop('943 476 5918', log, { vendor: 'heim', patientRef: 'p_1' })).toBeUndefined()
    expect(lines).toHaveLength(1)
    expect(JSON.stringify(lines[0])).not.toContain('9434765918')
    expect(lines[0]!.data).toMatchObject({ vendor: 'heim', patientRef: 'p_1' })
  })
})

describe('phones', () => {
  it('normalises UK numbers to E.164', () => {
    expect(toE164('07700 900123')).toBe('+447700900123')
    expect(toE164('+44 (0)20 7946 0000')).toBe('+442079460000')
    expect(toE164('020 7946 0000')).toBe('+442079460000')
  })

  it('keeps foreign numbers with a country code', () => {
    expect(toE164('+1 415 555 2671')).toBe('+14155552671')
  })

  it('drops what is not a phone number', () => {
    const { log, lines } = recordingLog()
    expect(phoneOrDrop('n/a', log, { vendor: 'semble' })).toBeUndefined()
    expect(lines).toHaveLength(1)
    expect(toE164('')).toBeNull()
  })
})

describe('client reference markers', () => {
  it('round-trips through free text', () => {
    const text = `Bring inhaler\n${clientRefMarker('7d0f5c1e-1b2a-4c3d-9e8f-0a1b2c3d4e5f')}`
    expect(clientRefFromText(text)).toBe('7d0f5c1e-1b2a-4c3d-9e8f-0a1b2c3d4e5f')
    expect(stripMarker(text)).toBe('Bring inhaler')
    expect(stripMarker(clientRefMarker('x'))).toBeUndefined()
    expect(clientRefFromText('no marker here')).toBeUndefined()
  })
})

describe('time', () => {
  it('keeps an instant with an offset and reads one without in the clinic zone', () => {
    expect(toUtcIso('2026-07-01T10:00:00+01:00', LONDON)).toBe('2026-07-01T09:00:00.000Z')
    expect(toUtcIso('2026-07-01T10:00:00', LONDON)).toBe('2026-07-01T09:00:00.000Z')
    expect(toUtcIso('2026-01-15T10:00:00', LONDON)).toBe('2026-01-15T10:00:00.000Z')
    expect(toUtcIso('2026-07-01 10:00:00', LONDON)).toBe('2026-07-01T09:00:00.000Z')
    expect(() => toUtcIso('tomorrow', LONDON)).toThrow()
  })

  it('spring forward, 2026-03-29 in London: the day is 23 hours long', () => {
    const { start, end } = dayRange('2026-03-29', LONDON)
    expect(start).toBe('2026-03-29T00:00:00.000Z')
    expect(end).toBe('2026-03-29T23:00:00.000Z')
    // 09:00 local after the change is 08:00 UTC.
    expect(toUtcIso('2026-03-29T09:00:00', LONDON)).toBe('2026-03-29T08:00:00.000Z')
    expect(toZonedIso('2026-03-29T08:00:00.000Z', LONDON)).toBe('2026-03-29T09:00:00+01:00')
    expect(localDate('2026-03-29T23:30:00.000Z', LONDON)).toBe('2026-03-30')
  })

  it('fall back, 2026-10-25 in London: the day is 25 hours long', () => {
    const { start, end } = dayRange('2026-10-25', LONDON)
    expect(start).toBe('2026-10-24T23:00:00.000Z')
    expect(end).toBe('2026-10-26T00:00:00.000Z')
    expect(toUtcIso('2026-10-25T09:00:00', LONDON)).toBe('2026-10-25T09:00:00.000Z')
    expect(localDays(start, end, LONDON)).toEqual(['2026-10-25'])
  })

  it('lists the local days a range touches across a change', () => {
    expect(localDays('2026-03-28T00:00:00.000Z', '2026-03-30T23:00:00.000Z', LONDON)).toEqual([
      '2026-03-28',
      '2026-03-29',
      '2026-03-30',
    ])
  })

  it('splits a long range into pieces of at most 168 hours', () => {
    const parts = splitRange('2026-03-23T00:00:00Z', '2026-04-08T00:00:00Z', 168)
    expect(parts).toHaveLength(3)
    expect(parts[0]).toEqual({ start: '2026-03-23T00:00:00.000Z', end: '2026-03-30T00:00:00.000Z' })
    expect(parts[2]!.end).toBe('2026-04-08T00:00:00.000Z')
  })

  it('keeps dates of birth as plain dates', () => {
    expect(plainDate('1980-01-31')).toBe('1980-01-31')
    expect(plainDate('1980-01-31T00:00:00.000Z')).toBe('1980-01-31')
    expect(plainDate('31/01/1980')).toBeUndefined()
    expect(plainDate('1980-02-31')).toBeUndefined()
  })
})

describe('time that names UTC in words', () => {
  it('keeps the meaning of a time that names UTC, in the hour after the clocks go back', () => {
    // Not taken for wall time: no earlier reading is looked for in a repeated hour.
    expect(toUtcIso('2026-10-25 01:30:00 UTC', LONDON)).toBe('2026-10-25T01:30:00.000Z')
    expect(toUtcIso('2026-11-01 06:30:00 UTC', 'America/New_York')).toBe('2026-11-01T06:30:00.000Z')
    // Wall time in the repeated hour is still the earlier reading.
    expect(toUtcIso('2026-10-25 01:30:00', LONDON)).toBe('2026-10-25T00:30:00.000Z')
  })
})
