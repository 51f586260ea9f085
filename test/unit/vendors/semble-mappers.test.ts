import { describe, expect, it } from 'vitest'
import { silentLogger } from '../../../src/main/log/logger'
import { cutSlots } from '../../../src/main/vendors/semble/adapter'
import {
  sembleBooking,
  semblePatient,
  sembleStatus,
  toAppointment,
  toPatient,
} from '../../../src/main/vendors/semble/mappers'

const ctx = { connectionId: 'c1', timeZone: 'Europe/London', log: silentLogger }

// Shapes as in semble.md §1.2 (Patient, Booking, Journey) and the n8n node's field lists.
const patientJson = {
  id: '64a1f0c2e4b0a1b2c3d4e5f6',
  firstName: '  Siobhán ',
  lastName: "O'Hara",
  dob: '1984-02-29',
  email: 'siobhan@example.com',
  phones: [{ phoneType: 'Mobile', phoneNumber: '07700 900123' }],
  address: { postcode: 'n1 2as' },
  numbers: [{ name: 'NHS Number', value: '943 476 5919' }],
  comments: null,
  updatedAt: '2026-03-01T10:00:00.000Z',
}

const bookingJson = {
  id: '65b2f0c2e4b0a1b2c3d4e5f7',
  deleted: false,
  start: '2026-03-29T09:00:00.000Z',
  end: '2026-03-29T09:10:00.000Z',
  comments: 'Bring inhaler\n[frontdesk:ref-1]',
  patientId: '64a1f0c2e4b0a1b2c3d4e5f6',
  doctor: { id: 'u1' },
  location: { id: 'l1', name: 'Consulting Room 1', groupName: 'Canonbury Medical Centre' },
  appointment: { id: 't1', title: 'GP appointment', duration: 10 },
  bookingJourney: { arrived: null, consultation: null, departed: null, dna: null },
  updatedAt: '2026-03-20T10:00:00.000Z',
}

describe('Semble patient', () => {
  it('maps names, NHS number, phone, postcode and a plain date of birth', () => {
    expect(toPatient(semblePatient.parse(patientJson), ctx)).toEqual({
      ref: '64a1f0c2e4b0a1b2c3d4e5f6',
      connectionId: 'c1',
      givenName: 'Siobhán',
      familyName: "O'Hara",
      birthDate: '1984-02-29',
      nhsNumber: '9434765919',
      phone: '+447700900123',
      email: 'siobhan@example.com',
      postcode: 'N1 2AS',
      updatedAt: '2026-03-01T10:00:00.000Z',
    })
  })

  it('reads a date of birth sent as a midnight instant as the same plain date', () => {
    const p = toPatient(semblePatient.parse({ ...patientJson, dob: '1984-02-29T00:00:00.000Z' }), ctx)
    expect(p.birthDate).toBe('1984-02-29')
  })

  it('drops an NHS number that fails modulus 11', () => {
    const p = toPatient(
      semblePatient.parse({ ...patientJson, numbers: [{ name: 'NHS Number', value: '9434765918' }] }),
      ctx,
    )
    expect(p.nhsNumber).toBeUndefined()
  })

  it('ignores other patient numbers', () => {
    const p = toPatient(
      semblePatient.parse({ ...patientJson, numbers: [{ name: 'Hospital number', value: '9434765919' }] }),
      ctx,
    )
    expect(p.nhsNumber).toBeUndefined()
  })
})

describe('Semble booking status', () => {
  const journey = (j: Partial<Record<'arrived' | 'consultation' | 'departed' | 'dna', string>>) => ({
    deleted: false,
    bookingJourney: { arrived: null, consultation: null, departed: null, dna: null, ...j },
  })
  const at = '2026-03-29T09:02:00.000Z'

  it.each([
    [{ deleted: true, bookingJourney: null }, 'cancelled'],
    [journey({ dna: at }), 'noshow'],
    [journey({ arrived: at, consultation: at, departed: at }), 'fulfilled'],
    [journey({ arrived: at, consultation: at }), 'checked-in'],
    [journey({ arrived: at }), 'arrived'],
    [journey({}), 'booked'],
    [{ deleted: null, bookingJourney: null }, 'booked'],
  ] as const)('%j → %s', (b, status) => {
    expect(sembleStatus(b).status).toBe(status)
  })

  it('cancelled wins over any journey stage', () => {
    expect(sembleStatus({ deleted: true, bookingJourney: { arrived: at, dna: null } }).status).toBe(
      'cancelled',
    )
  })
})

describe('Semble booking', () => {
  it('maps the site from groupName (the practice location), never the room id', () => {
    const sites = (g: string) => (g === 'Canonbury Medical Centre' ? 'site-1' : undefined)
    expect(toAppointment(sembleBooking.parse(bookingJson), { ...ctx, siteRef: sites }).locationRef).toBe(
      'site-1',
    )
    // Unknown location name, or none given (older bookings): no site rather than the room's id.
    expect(toAppointment(sembleBooking.parse(bookingJson), ctx).locationRef).toBeUndefined()
    const older = { ...bookingJson, location: { id: 'l1', name: 'Consulting Room 1', groupName: null } }
    expect(toAppointment(sembleBooking.parse(older), { ...ctx, siteRef: sites }).locationRef).toBeUndefined()
  })

  it('maps refs, times, our client reference and the note without it', () => {
    expect(toAppointment(sembleBooking.parse(bookingJson), { ...ctx, siteRef: () => 'site-1' })).toEqual({
      ref: '65b2f0c2e4b0a1b2c3d4e5f7',
      connectionId: 'c1',
      status: 'booked',
      vendorStatus: 'booked',
      patientRef: '64a1f0c2e4b0a1b2c3d4e5f6',
      practitionerRef: 'u1',
      appointmentTypeRef: 't1',
      locationRef: 'site-1',
      start: '2026-03-29T09:00:00.000Z',
      end: '2026-03-29T09:10:00.000Z',
      clientRef: 'ref-1',
      note: 'Bring inhaler',
      updatedAt: '2026-03-20T10:00:00.000Z',
    })
  })

  it('a booking whose doctor is hidden by permissions still maps', () => {
    const a = toAppointment(sembleBooking.parse({ ...bookingJson, doctor: null }), ctx)
    expect(a.practitionerRef).toBeUndefined()
  })

  it('reads times without an offset in the clinic zone (fall-back day 2026-10-25)', () => {
    const a = toAppointment(
      sembleBooking.parse({ ...bookingJson, start: '2026-10-25T01:30:00', end: '2026-10-25T09:00:00' }),
      ctx,
    )
    // 01:30 happens twice that night; without an offset it is read as the earlier one (BST), whatever
    // the date the code runs on (luxon alone would follow the offset in force today). 09:00 is GMT.
    expect(a.start).toBe('2026-10-25T00:30:00.000Z')
    expect(a.end).toBe('2026-10-25T09:00:00.000Z')
  })
})

describe('Semble free time → slots', () => {
  const piece = (start: string, end: string, doctor = 'u1') => ({ doctor, start, end })

  it('joins 15-minute pieces and cuts slots of the type length on the vendor grid', () => {
    const free = [
      piece('2026-03-30T08:00:00.000Z', '2026-03-30T08:15:00.000Z'),
      piece('2026-03-30T08:15:00.000Z', '2026-03-30T08:30:00.000Z'),
      piece('2026-03-30T08:30:00.000Z', '2026-03-30T08:45:00.000Z'),
      piece('2026-03-30T09:00:00.000Z', '2026-03-30T09:15:00.000Z'),
    ]
    expect(cutSlots(free, 30).map((s) => s.start)).toEqual([
      '2026-03-30T08:00:00.000Z',
      '2026-03-30T08:15:00.000Z',
    ])
  })

  it('cuts whole free intervals by the type length', () => {
    const free = [
      piece('2026-03-30T08:00:00.000Z', '2026-03-30T09:00:00.000Z'),
      piece('2026-03-30T10:00:00.000Z', '2026-03-30T10:20:00.000Z'),
    ]
    expect(cutSlots(free, 20).map((s) => s.start)).toEqual([
      '2026-03-30T08:00:00.000Z',
      '2026-03-30T08:20:00.000Z',
      '2026-03-30T08:40:00.000Z',
      '2026-03-30T10:00:00.000Z',
    ])
  })

  it('keeps the pieces as they are without a type', () => {
    expect(cutSlots([piece('2026-03-30T08:00:00.000Z', '2026-03-30T08:15:00.000Z')], undefined)).toHaveLength(
      1,
    )
  })
})
