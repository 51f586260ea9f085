import { afterEach, describe, expect, it, vi } from 'vitest'
import { silentLogger } from '../../../src/main/log/logger'
import {
  frontdeskRefFrom,
  healthieAppointment,
  healthieInstant,
  healthieStatus,
  healthieUser,
  toAppointment,
  toPatient,
} from '../../../src/main/vendors/healthie/mappers'

const ctx = { connectionId: 'c2', timeZone: 'Europe/London', log: silentLogger }

describe('Healthie pm_status', () => {
  it.each([
    [null, 'booked'],
    ['', 'booked'],
    ['Checked-In', 'arrived'],
    ['Occurred', 'fulfilled'],
    ['No-Show', 'noshow'],
    ['Cancelled', 'cancelled'],
    ['Late Cancellation', 'cancelled'],
    ['Re-Scheduled', 'cancelled'],
    ['Something new', 'booked'],
  ] as const)('%j → %s', (pm, status) => {
    expect(healthieStatus(pm).status).toBe(status)
  })

  it('a soft-deleted appointment is cancelled whatever its pm_status', () => {
    expect(healthieStatus('Occurred', '2026-03-29T10:00:00Z').status).toBe('cancelled')
  })
})

describe('Healthie date-times', () => {
  it('reads ISO 8601 with an offset', () => {
    expect(healthieInstant('2026-03-30T09:00:00+01:00', 'Europe/London')).toBe('2026-03-30T08:00:00.000Z')
  })

  it('reads the older "2021-10-10 10:00:00 EDT -04:00" form by its numeric offset', () => {
    expect(healthieInstant('2021-10-10 10:00:00 EDT -04:00', 'Europe/London')).toBe(
      '2021-10-10T14:00:00.000Z',
    )
  })

  it('reads appointment start/end strings "YYYY-MM-DD HH:MM:SS +0100"', () => {
    expect(healthieInstant('2026-03-29 09:00:00 +0100', 'Europe/London')).toBe('2026-03-29T08:00:00.000Z')
    expect(healthieInstant('2026-10-25 09:00:00 +0000', 'Europe/London')).toBe('2026-10-25T09:00:00.000Z')
  })

  it('reads the appointments guide\'s "2020-05-08 21:00:00 UTC" as UTC, not clinic time, in summer and in any zone', () => {
    expect(healthieInstant('2020-05-08 21:00:00 UTC', 'Europe/London')).toBe('2020-05-08T21:00:00.000Z')
    expect(healthieInstant('2020-05-08 21:00:00 UTC', 'America/New_York')).toBe('2020-05-08T21:00:00.000Z')
    expect(healthieInstant('2026-03-30 09:00 GMT', 'Europe/London')).toBe('2026-03-30T09:00:00.000Z')
  })

  it('reads text without an offset in the clinic zone, on both DST change days', () => {
    expect(healthieInstant('2026-03-29 09:00:00', 'Europe/London')).toBe('2026-03-29T08:00:00.000Z')
    expect(healthieInstant('2026-10-25 09:00:00', 'Europe/London')).toBe('2026-10-25T09:00:00.000Z')
  })
})

describe('Healthie metadata client reference', () => {
  it('reads our reference from a JSON string or an object, and ignores anything else', () => {
    expect(frontdeskRefFrom('{"frontdeskRef":"r1"}')).toBe('r1')
    expect(frontdeskRefFrom({ frontdeskRef: 'r2' })).toBe('r2')
    expect(frontdeskRefFrom('not json')).toBeUndefined()
    expect(frontdeskRefFrom(null)).toBeUndefined()
    expect(frontdeskRefFrom('{"other":1}')).toBeUndefined()
  })
})

describe('Healthie shapes (healthie.md §4.2)', () => {
  it('maps a client; a record identifier that is an NHS number becomes one', () => {
    const u = healthieUser.parse({
      id: '480123',
      first_name: 'Anna ',
      last_name: 'Kowalska',
      dob: '1975-05-04',
      email: 'anna@example.com',
      phone_number: '020 7946 0000',
      record_identifier: '9434765919',
      updated_at: '2026-03-01 10:00:00 +0000',
    })
    expect(toPatient(u, ctx)).toMatchObject({
      ref: '480123',
      givenName: 'Anna',
      birthDate: '1975-05-04',
      nhsNumber: '9434765919',
      phone: '+442079460000',
      updatedAt: '2026-03-01T10:00:00.000Z',
    })
    expect(toPatient({ ...u, record_identifier: 'MRN-1234' }, ctx).nhsNumber).toBeUndefined()
  })

  it('maps an appointment, its end from its length across the spring change', () => {
    const a = healthieAppointment.parse({
      id: '1200001',
      date: '2026-03-29T09:00:00+01:00',
      start: '2026-03-29 09:00:00 +0100',
      end: '2026-03-29 09:20:00 +0100',
      length: 20,
      pm_status: 'Checked-In',
      appointment_type_id: 41002,
      appointment_type: { id: '41002' },
      other_party_id: 480001,
      user_id: 480123,
      provider: { id: '480001' },
      user: { id: '480123' },
      notes: 'Needs interpreter',
      metadata: '{"frontdeskRef":"ref-9"}',
      deleted_at: null,
    })
    expect(toAppointment(a, ctx)).toMatchObject({
      ref: '1200001',
      status: 'arrived',
      vendorStatus: 'Checked-In',
      patientRef: '480123',
      practitionerRef: '480001',
      appointmentTypeRef: '41002',
      start: '2026-03-29T08:00:00.000Z',
      end: '2026-03-29T08:20:00.000Z',
      clientRef: 'ref-9',
      note: 'Needs interpreter',
    })
  })
})

describe('Healthie time without an offset in the repeated autumn hour', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it('reads a time without an offset in the repeated autumn hour the same whatever the date the PC is on', () => {
    // The earlier reading always, as every vendor's wall time: not the one in force on the PC's today.
    for (const pcNow of ['2026-07-01T12:00:00Z', '2026-01-15T12:00:00Z']) {
      vi.useFakeTimers({ toFake: ['Date'] })
      vi.setSystemTime(new Date(pcNow))
      expect(healthieInstant('2026-10-25 01:30:00', 'Europe/London'), `PC on ${pcNow}`).toBe(
        '2026-10-25T00:30:00.000Z',
      )
      expect(healthieInstant('2026-11-01 01:30:00', 'America/New_York'), `PC on ${pcNow}`).toBe(
        '2026-11-01T05:30:00.000Z',
      )
      vi.useRealTimers()
    }
  })
})
