import { describe, expect, it } from 'vitest'
import { silentLogger } from '../../../src/main/log/logger'
import {
  heimAppointment,
  heimPatient,
  heimStatus,
  toAppointment as heimToAppointment,
  toPatient as heimToPatient,
} from '../../../src/main/vendors/heim/mappers'
import {
  heroAppointment,
  heroStatus,
  toAppointment as heroToAppointment,
} from '../../../src/main/vendors/hero/mappers'
import type { HttpResponse } from '../../../src/main/vendors/http/client'
import { errorDetails, restError } from '../../../src/main/vendors/http/rest'

const zone = 'Europe/London'

describe('Hero status from timestamps (hero-health.md §2.2)', () => {
  it.each([
    [{ reserved_until: '2026-03-30T09:15:00Z', booking_confirmed_at: null }, false, 'pending', false],
    [
      { reserved_until: '2026-03-30T09:15:00Z', booking_confirmed_at: '2026-03-30T09:01:00Z' },
      false,
      'booked',
      false,
    ],
    [{ reserved_until: null, booking_confirmed_at: '2026-03-30T09:01:00Z' }, false, 'booked', false],
    [{ reserved_until: null, booking_confirmed_at: '2026-03-30T09:01:00Z' }, true, 'cancelled', false],
    // `cancelled_at` is a guess (assumption cancelledRead): it counts only where the connection says so.
    [
      {
        reserved_until: null,
        booking_confirmed_at: '2026-03-30T09:01:00Z',
        cancelled_at: '2026-03-30T09:05:00Z',
      },
      false,
      'booked',
      false,
    ],
    [
      { reserved_until: null, booking_confirmed_at: null, cancelled_at: '2026-03-30T09:01:00Z' },
      false,
      'cancelled',
      true,
    ],
  ] as const)('%j (cancelled: %s) → %s (cancelled_at read: %s)', (a, cancelled, status, field) => {
    expect(heroStatus(a, cancelled, field).status).toBe(status)
  })

  it('maps the documented appointment object, end from duration, on the autumn change day', () => {
    const a = heroAppointment.parse({
      id: '70001',
      patient_id: '98765',
      practitioner_id: '1001',
      location_id: '11',
      appointment_type_id: '201',
      duration: 10,
      start_time: '2026-10-25T09:00:00Z',
      video: false,
      in_person: true,
      telephone: false,
      link_id: null,
      reserved_until: null,
      booking_confirmed_at: '2026-10-20T12:00:00Z',
      can_be_cancelled: true,
      can_be_rescheduled: true,
      cancellation_policy_hours: 0,
      suppress_mail: false,
    })
    expect(heroToAppointment(a, { connectionId: 'h', timeZone: zone })).toMatchObject({
      ref: '70001',
      status: 'booked',
      patientRef: '98765',
      start: '2026-10-25T09:00:00.000Z',
      end: '2026-10-25T09:10:00.000Z',
    })
  })
})

describe('Heim status (heim.md §3.2)', () => {
  it.each([
    ['scheduling', undefined, 'proposed'],
    ['scheduled', undefined, 'booked'],
    ['completed', undefined, 'fulfilled'],
    ['cancelled', 'patient_not_present', 'noshow'],
    ['cancelled', 'patient_request', 'cancelled'],
    ['cancelled', undefined, 'cancelled'],
  ] as const)('%s (%s) → %s', (status, reasonCode, expected) => {
    expect(heimStatus({ status, cancellation: reasonCode ? { reasonCode } : null }).status).toBe(expected)
  })

  it('a visit takes its window as its time; a scheduling visit has none', () => {
    const ctx = { connectionId: 'm', timeZone: zone, log: silentLogger }
    const base = { id: 'apt_1', patientId: 'p_1', taskId: 'tsk_1', externalReference: 'ref-1', note: null }
    const scheduled = heimAppointment.parse({
      ...base,
      status: 'scheduled',
      window: { start: '2026-03-29T07:00:00.000Z', end: '2026-03-29T11:00:00.000Z' },
    })
    expect(heimToAppointment(scheduled, ctx)).toMatchObject({
      status: 'booked',
      start: '2026-03-29T07:00:00.000Z',
      end: '2026-03-29T11:00:00.000Z',
      clientRef: 'ref-1',
    })
    const open = heimToAppointment(
      heimAppointment.parse({ ...base, status: 'scheduling', window: null }),
      ctx,
    )
    expect(open.status).toBe('proposed')
    expect(open.start).toBeUndefined()
  })

  it('maps a patient; an NHS number failing modulus 11 is dropped', () => {
    const ctx = { connectionId: 'm', timeZone: zone, log: silentLogger }
    const p = heimPatient.parse({
      id: 'p_1',
      firstName: 'Seán',
      lastName: "O'Connor",
      dateOfBirth: '1940-02-29',
      phone: '+447700900123',
      email: 'sean@example.com',
      nhsNumber: '9434765918',
      address: [{ line1: '1 Lane', postcode: 'n5 1lp' }],
    })
    expect(heimToPatient(p, ctx)).toEqual({
      ref: 'p_1',
      connectionId: 'm',
      givenName: 'Seán',
      familyName: "O'Connor",
      birthDate: '1940-02-29',
      phone: '+447700900123',
      email: 'sean@example.com',
      postcode: 'N5 1LP',
    })
  })
})

describe('REST error bodies (Hero { message, statusCode }; Heim { message, errors })', () => {
  const res = (status: number, body: unknown): HttpResponse => ({
    status,
    headers: {},
    text: JSON.stringify(body),
    json: body,
  })

  it('Hero 404 "No patient found" → not-found with the vendor words', () => {
    const e = restError(res(404, { message: 'No patient found', statusCode: 404 }), {
      vendor: 'hero',
      operation: 'POST /v1/patients/register_pds',
    })
    expect(e.kind).toBe('not-found')
    expect(e.vendorMessage).toBe('No patient found')
    expect(e.message).toMatch(/Hero Health: No patient found/)
  })

  it('Hero 400 policy refusal → invalid, 409 slot taken → conflict, 401/403 → auth', () => {
    expect(
      restError(
        res(400, { message: 'Appointments cannot be cancelled less than 24 hours before they start' }),
        { vendor: 'hero', operation: 'x' },
      ).kind,
    ).toBe('invalid')
    expect(
      restError(res(409, { message: 'Slot is no longer available' }), { vendor: 'hero', operation: 'x' })
        .kind,
    ).toBe('conflict')
    expect(restError(res(401, { message: 'Unauthorised' }), { vendor: 'hero', operation: 'x' }).kind).toBe(
      'auth',
    )
    expect(restError(res(403, { message: 'Forbidden' }), { vendor: 'hero', operation: 'x' }).kind).toBe(
      'auth',
    )
  })

  it('Heim field errors become field messages', () => {
    const e = restError(
      res(400, {
        message: 'Validation failed',
        errors: [{ field: 'phone', message: 'must be an E.164 phone number' }],
      }),
      { vendor: 'heim', operation: 'POST /v1/patients' },
    )
    expect(e.kind).toBe('invalid')
    expect(e.fields).toEqual([{ field: 'phone', message: 'must be an E.164 phone number' }])
  })

  it('Heim second cancel → conflict', () => {
    expect(
      restError(res(409, { message: 'Appointment has already been cancelled' }), {
        vendor: 'heim',
        operation: 'x',
      }).kind,
    ).toBe('conflict')
  })

  it('reads the other common error shapes', () => {
    expect(errorDetails({ error: 'bad thing' }).message).toBe('bad thing')
    expect(errorDetails({ error: { message: 'nested' } }).message).toBe('nested')
    expect(errorDetails({ errors: ['one', 'two'] }).message).toBe('one; two')
    expect(errorDetails('plain text').message).toBe('plain text')
    expect(errorDetails(undefined)).toEqual({ fields: [] })
  })
})
