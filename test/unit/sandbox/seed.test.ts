import { isPossiblePhoneNumber, isValidPhoneNumber, parsePhoneNumber } from 'libphonenumber-js'
import { DateTime } from 'luxon'
import { describe, expect, it } from 'vitest'
import { isTestRangeNhsNumber, isValidNhsNumber } from '../../../src/shared/nhs-number'
import { phoneFor, seedClinic } from '../../../src/sandbox/seed'

const today = new Date('2026-03-30T10:15:00Z')

describe('seedClinic', () => {
  it('grows the same clinic from the same seed, and a different one from another seed', () => {
    const a = seedClinic({ patients: 300, seed: 42, today })
    const b = seedClinic({ patients: 300, seed: 42, today })
    const c = seedClinic({ patients: 300, seed: 43, today })
    expect(b).toEqual(a)
    expect(c.patients.map((p) => p.givenName + p.familyName)).not.toEqual(
      a.patients.map((p) => p.givenName + p.familyName),
    )
  })

  it('keeps the first patients the same whatever the clinic size', () => {
    const small = seedClinic({ patients: 50, seed: 5, today })
    const big = seedClinic({ patients: 500, seed: 5, today })
    expect(big.patients.slice(0, 50)).toEqual(small.patients)
  })

  it('gives every patient a unique, valid NHS number in the 999 test range', () => {
    const { patients } = seedClinic({ patients: 5000, seed: 9, today })
    for (const p of patients) {
      expect(isValidNhsNumber(p.nhsNumber), p.nhsNumber).toBe(true)
      expect(isTestRangeNhsNumber(p.nhsNumber)).toBe(true)
    }
    expect(new Set(patients.map((p) => p.nhsNumber)).size).toBe(patients.length)
  })

  it('uses the Ofcom drama range first, then valid UK mobiles, all E.164', () => {
    const { patients } = seedClinic({ patients: 1200, seed: 2, today })
    for (const p of patients) {
      expect(p.phone).toMatch(/^\+447\d{9}$/)
      if (p.index < 1000) {
        // libphonenumber-js treats the reserved drama range as possible but not valid (it is never assigned).
        expect(p.phone).toMatch(/^\+447700900\d{3}$/)
        expect(isPossiblePhoneNumber(p.phone)).toBe(true)
      } else {
        expect(isValidPhoneNumber(p.phone), p.phone).toBe(true)
        expect(parsePhoneNumber(p.phone).getType()).toBe('MOBILE')
      }
    }
    for (let i = 1000; i < 10_001_000; i += 99_991)
      expect(isValidPhoneNumber(phoneFor(i)), phoneFor(i)).toBe(true)
  })

  it('gives plausible UK people: ages 0–100, real-looking names with diacritics and apostrophes, postcodes, emails', () => {
    const { patients } = seedClinic({ patients: 2000, seed: 1, today })
    for (const p of patients) {
      const age = DateTime.fromISO('2026-03-30').diff(DateTime.fromISO(p.birthDate), 'years').years
      expect(p.birthDate).toMatch(/^\d{4}-\d{2}-\d{2}$/)
      expect(age).toBeGreaterThanOrEqual(0)
      expect(age).toBeLessThanOrEqual(100.1)
      expect(p.address.postcode).toMatch(/^[A-Z]{1,2}\d[A-Z\d]? \d[ABD-HJLNP-UW-Z]{2}$/)
      expect(p.email).toMatch(/^[a-z-]+\.[a-z-]+\d+@example\.(com|co\.uk)$/)
    }
    const names = patients.map((p) => `${p.givenName} ${p.familyName}`).join('|')
    expect(names).toMatch(/[ëâáéñłś]/)
    expect(names).toMatch(/O'|D'/)
  })

  it('books no practitioner twice at once, inside working hours, with statuses that fit the day', () => {
    const clinic = seedClinic({ patients: 50, seed: 3, today })
    expect(clinic.appointments.length).toBeGreaterThan(200)
    checkAppointments(clinic)
    const statuses = new Set(clinic.appointments.map((a) => a.status))
    for (const s of ['booked', 'arrived', 'fulfilled', 'noshow', 'cancelled']) expect(statuses).toContain(s)
  })

  // Europe/London changes clocks on 29 March and 25 October 2026: the fortnight around each spans the change.
  for (const day of [
    '2026-03-29T12:00:00Z',
    '2026-03-30T08:00:00Z',
    '2026-10-25T12:00:00Z',
    '2026-10-26T09:00:00Z',
  ]) {
    it(`keeps local times inside working hours across the clock change (${day})`, () => {
      const clinic = seedClinic({ patients: 50, seed: 11, today: new Date(day) })
      checkAppointments(clinic)
      const offsets = new Set(
        clinic.appointments.map((a) => DateTime.fromISO(a.start, { zone: clinic.timeZone }).offset),
      )
      expect([...offsets].sort()).toEqual([0, 60])
      // The first appointment of any working day starts 08:30 local whichever side of the change it falls.
      const firsts = clinic.appointments.filter(
        (a) => DateTime.fromISO(a.start, { zone: clinic.timeZone }).toFormat('HH:mm') === '08:30',
      )
      expect(new Set(firsts.map((a) => a.start.slice(11, 16)))).toEqual(new Set(['08:30', '07:30']))
    })
  }
})

function checkAppointments(clinic: ReturnType<typeof seedClinic>) {
  const today = clinic.today
  const byPractitioner = new Map<string, { s: number; e: number }[]>()
  for (const a of clinic.appointments) {
    const start = DateTime.fromISO(a.start, { zone: clinic.timeZone })
    const end = DateTime.fromISO(a.end, { zone: clinic.timeZone })
    expect(start.weekday).toBeLessThanOrEqual(5)
    const from = start.hour * 60 + start.minute
    const to = end.hour * 60 + end.minute
    expect(from, a.start).toBeGreaterThanOrEqual(8 * 60 + 30)
    expect(to, a.end).toBeLessThanOrEqual(18 * 60)
    expect(from >= 14 * 60 || to <= 13 * 60, `${a.start} crosses lunch`).toBe(true)
    const days = start.startOf('day').diff(DateTime.fromISO(today, { zone: clinic.timeZone }), 'days').days
    expect(Math.abs(days)).toBeLessThanOrEqual(7)
    if (days < 0) expect(['fulfilled', 'noshow', 'cancelled']).toContain(a.status)
    if (days === 0) expect(['booked', 'arrived']).toContain(a.status)
    if (days > 0) expect(['booked', 'cancelled']).toContain(a.status)
    const list = byPractitioner.get(a.practitionerKey) ?? []
    list.push({ s: Date.parse(a.start), e: Date.parse(a.end) })
    byPractitioner.set(a.practitionerKey, list)
  }
  for (const list of byPractitioner.values()) {
    list.sort((x, y) => x.s - y.s)
    for (let i = 1; i < list.length; i++) expect(list[i]!.s).toBeGreaterThanOrEqual(list[i - 1]!.e)
  }
}
