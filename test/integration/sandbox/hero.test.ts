import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock, type SimulatorHandle } from '../../../src/sandbox/core'
import { type HeroState, startHeroSimulator } from '../../../src/sandbox/hero'
import { type SeedClinic, seedClinic } from '../../../src/sandbox/seed'
import { formatNhsNumber } from '../../../src/shared/nhs-number'
import { call } from './client'

// Monday 30 March 2026, 10:00 in London (BST).
const clock = new ManualClock(new Date('2026-03-30T09:00:00Z'))
let clinic: SeedClinic
let hero: SimulatorHandle<HeroState>
let auth: Record<string, string>

const get = (path: string, headers = auth) => call(hero.url, 'GET', path, { headers })
const send = (method: 'POST' | 'PUT' | 'PATCH', path: string, body: unknown) =>
  call(hero.url, method, path, { headers: auth, body })

beforeAll(async () => {
  clinic = seedClinic({ patients: 60, seed: 21, today: clock.now() })
  hero = await startHeroSimulator(clinic, { clock })
  auth = { 'x-api-key': hero.credentials.apiKey!, 'x-practice-group-id': hero.credentials.practiceGroupId! }
})
afterAll(() => hero.close())

const firstSlot = async (query = 'appointment_type_id=201&start_date=2026-03-31&end_date=2026-03-31') => {
  const r = await get(`/v1/slots?${query}&page_size=1`)
  expect(r.status).toBe(200)
  return r.body.data[0] as {
    id: string
    start_time: string
    practitioner_id: string
    appointment_type_id: string
    location_id: string
  }
}
const knownPatient = () => [...hero.control.state.patients.values()][0]!.id

describe('Hero Health auth', () => {
  it('needs both headers, a known key and the right practice group: 401 with {message, statusCode}', async () => {
    const cases: Record<string, string>[] = [
      {},
      { 'x-api-key': auth['x-api-key']! },
      { 'x-practice-group-id': auth['x-practice-group-id']! },
      { ...auth, 'x-api-key': 'nope' },
      { ...auth, 'x-practice-group-id': '1' },
    ]
    for (const headers of cases) {
      const r = await get('/v1/me', headers)
      expect(r.status).toBe(401)
      expect(r.body).toEqual({ message: expect.stringMatching(/Unauthorized/), statusCode: 401 })
    }
  })

  it('refuses booking endpoints to a key without the booking scope (403) but serves /v1/me', async () => {
    const messaging = { ...auth, 'x-api-key': hero.credentials.messagingOnlyApiKey! }
    expect((await get('/v1/me', messaging)).status).toBe(200)
    const r = await get('/v1/slots', messaging)
    expect(r.status).toBe(403)
    expect(r.body).toEqual({ message: expect.stringMatching(/booking scope/), statusCode: 403 })
  })

  it('answers unknown routes with a JSON 404', async () => {
    const r = await get('/v1/nothing-here')
    expect(r.status).toBe(404)
    expect(r.body.statusCode).toBe(404)
  })
})

describe('Hero Health reference data', () => {
  it('describes the practice group and its locations', async () => {
    const me = await get('/v1/me')
    expect(me.body).toMatchObject({ id: auth['x-practice-group-id'], name: clinic.name })
    const locations = await get('/v1/locations')
    expect(locations.body.count).toBe(2)
    expect(locations.body.data[0]).toMatchObject({
      id: expect.stringMatching(/^\d+$/),
      name: expect.any(String),
    })
  })

  it('lists appointment types with the documented fields, filtered by location and availability', async () => {
    const r = await get('/v1/appointment_types?location_ids=11&has_availability=true')
    expect(r.status).toBe(200)
    expect(r.body.count).toBe(r.body.data.length)
    const t = r.body.data[0]
    expect(Object.keys(t).sort()).toEqual(
      [
        'id',
        'name',
        'partner_slot_name',
        'next_available_at',
        'slot_count',
        'price',
        'assignee_id',
        'assignee_type',
        'sector',
        'duration',
        'video',
        'in_person',
        'telephone',
        'use_partner_bookable_slots',
        'admin_booking_invoice_required',
        'form_id',
        'practitioner_type',
      ].sort(),
    )
    for (const x of r.body.data) expect(x.slot_count).toBeGreaterThan(0)
    // The physiotherapist works only at the branch (location 12), so the main site offers no physiotherapy.
    const all = await get('/v1/appointment_types')
    const names = (d: { name: string }[]) => d.map((x) => x.name)
    expect(names(all.body.data)).toContain('Physiotherapy assessment')
    expect(names(r.body.data)).not.toContain('Physiotherapy assessment')
    expect(
      (await get('/v1/appointment_types?location_ids=12')).body.data.map((x: { name: string }) => x.name),
    ).toContain('Physiotherapy assessment')
  })
})

describe('Hero Health slots', () => {
  it('lists free slots with paging, counts them and serves one by id', async () => {
    const q = 'appointment_type_id=201&location_id=11&start_date=2026-03-31&end_date=2026-03-31'
    const p0 = await get(`/v1/slots?${q}&page_index=0&page_size=5`)
    const p1 = await get(`/v1/slots?${q}&page_index=1&page_size=5`)
    const count = await get(`/v1/slots/count?${q}`)
    expect(p0.body.data).toHaveLength(5)
    expect(p0.body.count).toBe(count.body.count)
    expect(p1.body.data[0].start_time >= p0.body.data[4].start_time).toBe(true)
    const slot = p0.body.data[0]
    expect(Object.keys(slot).sort()).toEqual(
      ['appointment_type_id', 'finish_time', 'id', 'location_id', 'practitioner_id', 'start_time'].sort(),
    )
    expect(slot.id).toMatch(/^\d+$/)
    expect((await get(`/v1/slots/${slot.id}`)).body).toEqual(slot)
    expect((await get('/v1/slots/123')).status).toBe(404)
    expect((await get(`/v1/slots?${q}&page_size=500`)).status).toBe(400)
    expect((await get('/v1/slots?start_date=tomorrow')).status).toBe(400)
  })

  it('never offers a slot overlapping a seeded appointment', async () => {
    const r = await get('/v1/slots?start_date=2026-03-30&end_date=2026-04-03&page_size=100&page_index=0')
    const busy = [...hero.control.state.appointments.values()].filter((a) => !a.cancelledAt)
    const all = [] as { practitioner_id: string; start_time: string; finish_time: string }[]
    for (let i = 0; i * 100 < r.body.count; i++)
      all.push(
        ...(await get(`/v1/slots?start_date=2026-03-30&end_date=2026-04-03&page_size=100&page_index=${i}`))
          .body.data,
      )
    expect(all.length).toBe(r.body.count)
    for (const s of all) {
      const clash = busy.find(
        (a) =>
          a.practitioner_id === s.practitioner_id &&
          Date.parse(a.start_time!) < Date.parse(s.finish_time) &&
          Date.parse(a.start_time!) + a.duration * 60_000 > Date.parse(s.start_time),
      )
      expect(clash, s.start_time).toBeUndefined()
    }
  })
})

describe('Hero Health booking: reserve, confirm, cancel, reschedule', () => {
  it('reserves a slot (removing it), confirms with a patient, and lists and gets the booking', async () => {
    const slot = await firstSlot()
    const reserved = await send('POST', '/v1/appointments', { slot_id: slot.id })
    expect(reserved.status).toBe(201)
    const a = reserved.body
    expect(Object.keys(a).sort()).toEqual(
      [
        'id',
        'patient_id',
        'practitioner_id',
        'location_id',
        'appointment_type_id',
        'duration',
        'start_time',
        'video',
        'in_person',
        'telephone',
        'video_url',
        'link_id',
        'reserved_until',
        'booking_confirmed_at',
        'can_be_cancelled',
        'can_be_rescheduled',
        'cancellation_policy_hours',
        'suppress_mail',
      ].sort(),
    )
    expect(a).toMatchObject({ start_time: slot.start_time, patient_id: null, booking_confirmed_at: null })
    expect(Date.parse(a.reserved_until) - clock.now().getTime()).toBe(15 * 60_000)
    expect((await get(`/v1/slots/${slot.id}`)).status).toBe(404)
    expect((await send('POST', '/v1/appointments', { slot_id: slot.id })).status).toBe(409)

    const booked = await send('PATCH', `/v1/appointments/${a.id}/book`, { patient_id: knownPatient() })
    expect(booked.status).toBe(200)
    expect(booked.body.booking_confirmed_at).toBe(clock.now().toISOString())
    expect(
      (await send('PATCH', `/v1/appointments/${a.id}/book`, { patient_id: knownPatient() })).status,
    ).toBe(409)

    expect((await get(`/v1/appointments/${a.id}`)).body).toEqual(booked.body)
    const list = await get(
      `/v1/appointments?start_date=2026-03-31&end_date=2026-03-31&practitioner_id=${slot.practitioner_id}&page_size=100`,
    )
    expect(list.body.data.map((x: { id: string }) => x.id)).toContain(a.id)
    const mine = await get(`/v1/appointments?patient_id=${knownPatient()}&page_size=100`)
    expect(mine.body.data.every((x: { patient_id: string }) => x.patient_id === knownPatient())).toBe(true)
    expect(
      hero.control
        .writes()
        .filter((w) => w.outcome === 'applied')
        .map((w) => w.operation),
    ).toEqual(expect.arrayContaining(['POST /v1/appointments', 'PATCH /v1/appointments/:id/book']))
  })

  it('reserves by explicit practitioner, type, location and time, and refuses a clash', async () => {
    const slot = await firstSlot('appointment_type_id=205&start_date=2026-04-01&end_date=2026-04-01')
    const body = {
      practitioner_id: slot.practitioner_id,
      appointment_type_id: slot.appointment_type_id,
      location_id: slot.location_id,
      start_time: slot.start_time,
      patient_id: knownPatient(),
    }
    const r = await send('POST', '/v1/appointments', body)
    expect(r.status).toBe(201)
    expect(r.body.patient_id).toBe(knownPatient())
    const clash = await send('POST', '/v1/appointments', body)
    expect(clash.status).toBe(409)
    expect(clash.body).toEqual({ message: expect.any(String), statusCode: 409 })
    expect((await send('POST', '/v1/appointments', { practitioner_id: '1001' })).status).toBe(400)
    expect(
      (await send('POST', '/v1/appointments', { ...body, start_time: '2026-04-01T03:00:00Z' })).status,
    ).toBe(409)
    const other = await firstSlot('appointment_type_id=205&start_date=2026-04-02&end_date=2026-04-02')
    const unknownPatient = await send('POST', '/v1/appointments', { slot_id: other.id, patient_id: '1' })
    expect(unknownPatient.status).toBe(404)
    expect(unknownPatient.body.message).toMatch(/Patient not found/)
  })

  it('lets a reservation run out: the slot comes back and confirming is refused', async () => {
    const slot = await firstSlot('appointment_type_id=201&start_date=2026-04-02&end_date=2026-04-02')
    const a = (await send('POST', '/v1/appointments', { slot_id: slot.id })).body
    clock.advance(15 * 60_000 + 1000)
    try {
      expect((await get(`/v1/slots/${slot.id}`)).status).toBe(200)
      const late = await send('PATCH', `/v1/appointments/${a.id}/book`, { patient_id: knownPatient() })
      expect(late.status).toBe(409)
      expect(late.body.message).toMatch(/expired/)
    } finally {
      clock.set(new Date('2026-03-30T09:00:00Z'))
    }
  })

  it('edits an unconfirmed reservation with PUT but not a confirmed booking', async () => {
    const slot = await firstSlot('appointment_type_id=201&start_date=2026-04-03&end_date=2026-04-03')
    const a = (await send('POST', '/v1/appointments', { slot_id: slot.id })).body
    const later = new Date(Date.parse(slot.start_time) + 60 * 60_000).toISOString()
    expect((await send('PUT', `/v1/appointments/${a.id}`, { start_time: later })).status).toBe(400)
    const moved = await send('PUT', `/v1/appointments/${a.id}`, {
      start_time: later,
      duration: 10,
      practitioner_id: slot.practitioner_id,
      suppress_availability_check: true,
    })
    expect(moved.status).toBe(200)
    expect(moved.body.start_time).toBe(later)
    await send('PATCH', `/v1/appointments/${a.id}/book`, { patient_id: knownPatient() })
    expect(
      (
        await send('PUT', `/v1/appointments/${a.id}`, {
          start_time: later,
          duration: 10,
          practitioner_id: slot.practitioner_id,
        })
      ).status,
    ).toBe(409)
  })

  it('cancels once, honouring can_be_cancelled and the cancellation policy', async () => {
    const state = hero.control.state
    const nhs = [...state.appointments.values()].find(
      (a) =>
        !a.cancelledAt &&
        a.cancellation_policy_hours === 0 &&
        Date.parse(a.start_time!) > clock.now().getTime(),
    )!
    const r = await send('PATCH', `/v1/appointments/${nhs.id}/cancel`, { suppress_mail: true })
    expect(r.status).toBe(200)
    expect((await get(`/v1/appointments/${nhs.id}`)).status).toBe(410)
    expect((await send('PATCH', `/v1/appointments/${nhs.id}/cancel`, {})).status).toBe(409)
    expect((await send('PATCH', '/v1/appointments/1/cancel', {})).status).toBe(404)

    // A paid appointment tomorrow morning is inside its 24-hour policy unless the partner overrides it.
    const paid = await firstSlot('appointment_type_id=208&start_date=2026-03-31&end_date=2026-03-31')
    const p = (await send('POST', '/v1/appointments', { slot_id: paid.id, patient_id: knownPatient() })).body
    await send('PATCH', `/v1/appointments/${p.id}/book`, {})
    expect(p.cancellation_policy_hours).toBe(24)
    const refused = await send('PATCH', `/v1/appointments/${p.id}/cancel`, {})
    expect(refused.status).toBe(400)
    expect(refused.body.message).toMatch(/24 hours/)
    expect(
      (await send('PATCH', `/v1/appointments/${p.id}/cancel`, { suppress_cancellation_policy: true })).status,
    ).toBe(200)

    const locked = [...state.appointments.values()].find((a) => !a.cancelledAt && a.booking_confirmed_at)!
    locked.can_be_cancelled = false
    const no = await send('PATCH', `/v1/appointments/${locked.id}/cancel`, {})
    expect(no.status).toBe(400)
    expect(no.body.message).toMatch(/cannot be cancelled/)
    expect(
      hero.control
        .writes()
        .some((w) => w.operation === 'PATCH /v1/appointments/:id/cancel' && w.outcome === 'rejected'),
    ).toBe(true)
  })

  it('reschedules with the documented body only (practitioner_id, duration, start_time), and refuses otherwise', async () => {
    const slot = await firstSlot('appointment_type_id=201&start_date=2026-04-06&end_date=2026-04-06')
    const a = (await send('POST', '/v1/appointments', { slot_id: slot.id, patient_id: knownPatient() })).body
    await send('PATCH', `/v1/appointments/${a.id}/book`, {})
    const next = await firstSlot('appointment_type_id=201&start_date=2026-04-07&end_date=2026-04-07')
    const documented = {
      practitioner_id: next.practitioner_id,
      duration: 10,
      start_time: next.start_time,
      suppress_mail: false,
      suppress_availability_check: false,
    }
    // The old slot-id body is not what the reference documents: refused, nothing moves.
    const old = await send('PATCH', `/v1/appointments/${a.id}/reschedule`, { slot_id: next.id })
    expect(old.status).toBe(400)
    expect(old.body.message).toMatch(/slot_id/)
    const mixed = await send('PATCH', `/v1/appointments/${a.id}/reschedule`, {
      ...documented,
      slot_id: next.id,
    })
    expect(mixed.status).toBe(400)
    expect((await get(`/v1/appointments/${a.id}`)).body.start_time).toBe(slot.start_time)
    for (const drop of ['practitioner_id', 'duration', 'start_time'] as const) {
      const { [drop]: _, ...partial } = documented
      const r = await send('PATCH', `/v1/appointments/${a.id}/reschedule`, partial)
      expect(r.status).toBe(400)
      expect(r.body.message).toContain(drop)
    }
    expect(
      (await send('PATCH', `/v1/appointments/${a.id}/reschedule`, { ...documented, duration: '10' })).status,
    ).toBe(400)

    const moved = await send('PATCH', `/v1/appointments/${a.id}/reschedule`, documented)
    expect(moved.status).toBe(200)
    expect(moved.body).toMatchObject({
      id: a.id,
      start_time: next.start_time,
      practitioner_id: next.practitioner_id,
      duration: 10,
    })
    expect((await get(`/v1/slots/${slot.id}`)).status).toBe(200)
    // A time the practitioner is not free is refused, unless the availability check is suppressed.
    const taken = (await send('POST', '/v1/appointments', { slot_id: slot.id, patient_id: knownPatient() }))
      .body
    const onto = { ...documented, practitioner_id: taken.practitioner_id, start_time: taken.start_time }
    expect((await send('PATCH', `/v1/appointments/${a.id}/reschedule`, onto)).status).toBe(409)
    const forced = await send('PATCH', `/v1/appointments/${a.id}/reschedule`, {
      ...onto,
      suppress_availability_check: true,
    })
    expect(forced.status).toBe(200)

    const paid = await firstSlot('appointment_type_id=209&start_date=2026-04-08&end_date=2026-04-08')
    const p = (await send('POST', '/v1/appointments', { slot_id: paid.id, patient_id: knownPatient() })).body
    expect(p.can_be_rescheduled).toBe(false)
    const no = await send('PATCH', `/v1/appointments/${p.id}/reschedule`, documented)
    expect(no.status).toBe(400)
    expect(no.body.message).toMatch(/cannot be rescheduled/)
  })
})

describe('Hero Health PDS trace', () => {
  const pds = () => hero.control.state
  it('finds a known patient by NHS number (spaces allowed) and date of birth', async () => {
    const known = [...pds().patients.values()][1]!
    const r = await send('POST', '/v1/patients/register_pds', {
      nhs_number: formatNhsNumber(known.nhs_number),
      dob: known.dob,
    })
    expect(r.status).toBe(200)
    expect(r.body).toEqual({ patient_id: known.id })
  })

  it('creates the Hero patient from the Spine when Hero does not hold them yet, by name, dob and postcode', async () => {
    const p = pds().pds.find(
      (x) => !pds().patients.has(String(500_000 + x.index)) && !pds().identityCheck.has(x.nhsNumber),
    )!
    const r = await send('POST', '/v1/patients/register_pds', {
      forename: p.givenName.toUpperCase(),
      surname: p.familyName,
      dob: p.birthDate,
      postcode: p.address.postcode.replace(' ', '').toLowerCase(),
    })
    expect(r.status).toBe(200)
    expect(r.body.patient_id).toMatch(/^\d+$/)
    expect(pds().patients.has(r.body.patient_id)).toBe(true)
    const again = await send('POST', '/v1/patients/register_pds', {
      nhs_number: p.nhsNumber,
      dob: p.birthDate,
    })
    expect(again.body).toEqual({ patient_id: r.body.patient_id })
  })

  it('asks some patients to verify their identity first', async () => {
    const nhs = [...pds().identityCheck][0]!
    const p = pds().pdsByNhs.get(nhs)!
    const r = await send('POST', '/v1/patients/register_pds', { nhs_number: nhs, dob: p.birthDate })
    expect(r.status).toBe(200)
    expect(r.body).toEqual({
      message: 'Patient must verify their identity before proceeding',
      login_url: expect.stringMatching(/^https:\/\//),
    })
  })

  it('answers 400 for an invalid NHS number or date of birth and 404 when no one matches', async () => {
    const p = pds().pds[0]!
    const bad = await send('POST', '/v1/patients/register_pds', {
      nhs_number: '9990000001',
      dob: p.birthDate,
    })
    expect(bad.status).toBe(400)
    expect(bad.body).toEqual({ message: expect.stringMatching(/nhs_number/), statusCode: 400 })
    expect(
      (await send('POST', '/v1/patients/register_pds', { nhs_number: p.nhsNumber, dob: '1990-13-01' }))
        .status,
    ).toBe(400)
    expect((await send('POST', '/v1/patients/register_pds', { nhs_number: p.nhsNumber })).status).toBe(400)
    expect(
      (await send('POST', '/v1/patients/register_pds', { forename: 'A', dob: '1990-01-01' })).status,
    ).toBe(400)
    expect((await send('POST', '/v1/patients/register_pds', {})).status).toBe(400)
    const none = await send('POST', '/v1/patients/register_pds', {
      nhs_number: p.nhsNumber,
      dob: '1901-01-01',
    })
    expect(none.status).toBe(404)
    expect(none.body).toEqual({ message: 'No patient found', statusCode: 404 })
  })
})

describe('Hero Health token revocation', () => {
  it('answers 401 once keys are revoked (expireTokens)', async () => {
    const sim = await startHeroSimulator(clinic, { clock })
    try {
      const headers = {
        'x-api-key': sim.credentials.apiKey!,
        'x-practice-group-id': sim.credentials.practiceGroupId!,
      }
      expect((await call(sim.url, 'GET', '/v1/me', { headers })).status).toBe(200)
      sim.control.expireTokens()
      const r = await call(sim.url, 'GET', '/v1/me', { headers })
      expect(r.status).toBe(401)
      expect(r.body.message).toMatch(/revoked/)
    } finally {
      await sim.close()
    }
  })
})
