import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock, type SimulatorHandle } from '../../../src/sandbox/core'
import { seedClinic } from '../../../src/sandbox/seed'
import { type SembleState, startSembleSimulator } from '../../../src/sandbox/semble'
import { graphqlClient, rawPost } from './graphql-client'

/** Contract tests for the Semble (Heydoc) simulator, over real HTTP, against ../shared/vendors/semble.md. */

const START = new Date('2026-03-03T07:00:00.000Z') // a Tuesday, before opening (Europe/London is UTC in March)
const clinic = seedClinic({ patients: 50, seed: 7, today: START })

interface Page<T> {
  data: T[]
  pageInfo: { hasMore: boolean }
}
interface Payload<T> {
  data: T | null
  error: string | null
}
interface Booking {
  id: string
  deleted: boolean
  start: string
  end: string
  comments: string | null
  doctor: { id: string }
  patient: { id: string }
  appointment: { id: string; duration: number }
  location: { id: string; name: string; groupName: string }
  bookingJourney: {
    arrived: string | null
    consultation: string | null
    departed: string | null
    dna: string | null
  }
}

const BOOKING_FIELDS = `id deleted start end comments doctor { id } patient { id } appointment { id duration }
  location { id name groupName } bookingJourney { arrived consultation departed dna }`

let sim: SimulatorHandle<SembleState>
let clock: ManualClock
let gql: ReturnType<typeof graphqlClient>
let state: SembleState

beforeAll(async () => {
  clock = new ManualClock(START)
  // Most tests send far more than 120 requests in the frozen minute; the limit has its own simulator below.
  sim = await startSembleSimulator(clinic, { clock, rateLimitPerMinute: 100_000 })
  state = sim.control.state
  gql = graphqlClient(sim.url, () => ({ 'x-token': sim.credentials.apiToken ?? '' }))
})

afterAll(async () => {
  await sim?.close()
})

const doctorAt = (locationKey: string) => {
  // Free slots are looked up on Wednesday 4 March (ISO weekday 3).
  const practitioner = clinic.practitioners.find((p) => p.locationKey === locationKey && p.days.includes(3))
  if (!practitioner) throw new Error('no practitioner')
  return state.seedIds.practitioners.get(practitioner.key) as string
}
const firstPatient = () => state.seedIds.patients[0] as string
const bookingType = (minutes: number) =>
  [...state.bookingTypes.values()].find((t) => t.duration === minutes)?.id as string
const locationId = (key: string) => state.seedIds.locations.get(key) as string

/** A slot with nothing booked for this doctor: found through the simulator's own availabilities query. */
async function freeSlot(doctorId: string, location: string, minutesFromStart = 0) {
  const res = await gql<{ availabilities: { data: { start: string; end: string }[] } }>(
    `query($d: ID, $l: ID!, $r: DateRange!) { availabilities(dateRange: $r, locationId: $l, doctorId: $d) { data { start end } } }`,
    { d: doctorId, l: location, r: { start: '2026-03-04T00:00:00Z', end: '2026-03-05T00:00:00Z' } },
  )
  const slots = res.body.data?.availabilities.data ?? []
  const slot = slots.find(
    (s) => Date.parse(s.start) >= Date.parse('2026-03-04T08:30:00Z') + minutesFromStart * 60_000,
  )
  if (!slot) throw new Error('no free slot')
  return slot
}

async function createBooking(input: Record<string, unknown>) {
  return gql<{ createBooking: Payload<Booking> }>(
    `mutation($b: BookingDataInput) { createBooking(bookingData: $b) { data { ${BOOKING_FIELDS} } error } }`,
    { b: input },
  )
}

describe('authentication', () => {
  it('refuses a request without x-token with 401 UNAUTHENTICATED "Missing token."', async () => {
    const res = await gql('{ patients { data { id } } }', undefined, { replaceHeaders: true })
    expect(res.status).toBe(401)
    expect(res.body).toEqual({
      errors: [{ message: 'Missing token.', extensions: { code: 'UNAUTHENTICATED' } }],
    })
  })

  it('refuses an unknown token the same way', async () => {
    const res = await gql('{ patients { data { id } } }', undefined, {
      headers: { 'x-token': 'not-a-token' },
    })
    expect(res.status).toBe(401)
    expect(res.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED')
  })

  it('accepts the long-lived API token', async () => {
    const res = await gql<{ users: Page<{ id: string }> }>('{ users { data { id } } }')
    expect(res.status).toBe(200)
    expect(res.body.data?.users.data.length).toBeGreaterThan(0)
  })

  it('signs in without a token; the session token expires after 12 hours on the clock', async () => {
    const c = new ManualClock(START)
    const s = await startSembleSimulator(clinic, { clock: c })
    try {
      const anonymous = graphqlClient(s.url, () => ({}))
      const wrong = await anonymous<{ signIn: { token: string } | null }>(
        'mutation { signIn(email: "reception@canonbury-medical.example", password: "nope") { token } }',
      )
      expect(wrong.status).toBe(200)
      expect(wrong.body.data?.signIn).toBeNull()
      expect(wrong.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED')

      const signIn = await anonymous<{ signIn: { token: string } }>(
        'mutation($e: String!, $p: String!) { signIn(email: $e, password: $p) { token } }',
        { e: s.credentials.signInEmail, p: s.credentials.signInPassword },
      )
      expect(signIn.status).toBe(200)
      const token = signIn.body.data?.signIn.token ?? ''
      expect(token.split('.')).toHaveLength(3)
      const withToken = graphqlClient(s.url, () => ({ 'x-token': token }))
      const query = '{ users(options: { cliniciansOnly: true }) { data { id } } }'

      expect((await withToken(query)).status).toBe(200)
      c.advance(12 * 3_600_000 - 1_000)
      expect((await withToken(query)).status).toBe(200)
      c.advance(2_000)
      const expired = await withToken(query)
      expect(expired.status).toBe(401)
      expect(expired.body).toEqual({
        errors: [{ message: 'Token expired.', extensions: { code: 'UNAUTHENTICATED' } }],
      })
      // The password is never recorded.
      expect(JSON.stringify(s.control.writes())).not.toContain(s.credentials.signInPassword)
    } finally {
      await s.close()
    }
  })

  it('expireTokens() invalidates issued tokens until the API token is reinstated', async () => {
    const s = await startSembleSimulator(clinic, { clock: new ManualClock(START) })
    try {
      const client = graphqlClient(s.url, () => ({ 'x-token': s.credentials.apiToken ?? '' }))
      expect((await client('{ availabilitySettings { id } }')).status).toBe(200)
      s.control.expireTokens()
      const res = await client('{ availabilitySettings { id } }')
      expect(res.status).toBe(401)
      expect(res.body.errors?.[0]).toEqual({
        message: 'Token expired.',
        extensions: { code: 'UNAUTHENTICATED' },
      })
      s.control.state.reinstateApiToken()
      expect((await client('{ availabilitySettings { id } }')).status).toBe(200)
    } finally {
      await s.close()
    }
  })
})

describe('GraphQL errors', () => {
  it('answers an invalid document with standard GraphQL errors at HTTP 400', async () => {
    const res = await gql('{ patients { data { nhsNumber } } }')
    expect(res.status).toBe(400)
    expect(res.body.errors?.[0]?.message).toContain('Cannot query field "nhsNumber" on type "Patient"')
    expect(res.body.data).toBeUndefined()
  })

  it('refuses a bad enum value and a missing required argument at HTTP 400', async () => {
    const badEnum = await gql(
      'mutation { updateBookingJourney(id: "x", bookingJourneyInput: { journeyStage: ARRIVED }) { error } }',
    )
    expect(badEnum.status).toBe(400)
    expect(badEnum.body.errors?.[0]?.message).toContain('JourneyStage')
    const missing = await gql('{ patient { id } }')
    expect(missing.status).toBe(400)
    expect(missing.body.errors?.[0]?.message).toContain('argument "id" of type "ID!" is required')
  })

  it('answers a body without a query with 400', async () => {
    const res = await rawPost(sim.url, { 'x-token': sim.credentials.apiToken ?? '' }, '{"variables":{}}')
    expect(res.status).toBe(400)
    expect(JSON.parse(res.text)).toEqual({
      errors: [{ message: 'Must provide query string.', extensions: { code: 'BAD_REQUEST' } }],
    })
  })
})

describe('patients', () => {
  const search = (text: string, extra = '') =>
    gql<{ patients: Page<{ id: string; firstName: string; lastName: string; email: string; dob: string }> }>(
      `query($s: String) { patients(search: $s ${extra}) { data { id firstName lastName email dob } pageInfo { hasMore } } }`,
      { s: text },
    )

  it('matches first name, last name, email and date of birth; several words must all match', async () => {
    const p = clinic.patients[3]
    if (!p) throw new Error('seed')
    for (const term of [p.givenName, p.familyName, p.email, p.birthDate]) {
      const res = await search(term, ', pagination: { pageSize: 100 }')
      expect(res.status).toBe(200)
      expect(res.body.data?.patients.data.map((x) => x.id)).toContain(state.seedIds.patients[3])
    }
    const both = await search(`${p.givenName} ${p.familyName} ${p.birthDate}`)
    expect(both.body.data?.patients.data.map((x) => x.id)).toEqual([state.seedIds.patients[3]])
    const none = await search(`${p.givenName} zzzznotaname`)
    expect(none.body.data?.patients.data).toEqual([])
  })

  it('matches phone numbers only while the phone option is on', async () => {
    const p = clinic.patients[5]
    if (!p) throw new Error('seed')
    const national = `0${p.phone.slice(3)}`
    expect((await search(national)).body.data?.patients.data.map((x) => x.id)).toEqual([
      state.seedIds.patients[5],
    ])
    state.options.searchMatchesPhone = false
    try {
      expect((await search(national)).body.data?.patients.data).toEqual([])
    } finally {
      state.options.searchMatchesPhone = true
    }
  })

  it('pages with 1-based page numbers and pageInfo.hasMore', async () => {
    const q = (page: number) =>
      gql<{ patients: Page<{ id: string }> }>(
        `query($p: Int) { patients(pagination: { page: $p, pageSize: 20 }) { data { id } pageInfo { hasMore } } }`,
        { p: page },
      )
    const pages = await Promise.all([1, 2, 3].map(q))
    expect(pages.map((r) => r.body.data?.patients.data.length)).toEqual([20, 20, 10])
    expect(pages.map((r) => r.body.data?.patients.pageInfo.hasMore)).toEqual([true, true, false])
    const ids = pages.flatMap((r) => r.body.data?.patients.data.map((x) => x.id) ?? [])
    expect(new Set(ids).size).toBe(50)
    const zero = await q(0)
    expect(zero.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT')
  })

  it('hides deleted patients unless options.includeDeleted', async () => {
    const id = state.seedIds.patients[7] as string
    const patient = state.patients.get(id)
    if (!patient) throw new Error('seed')
    patient.deleted = true
    try {
      const without = await search(patient.email ?? '')
      expect(without.body.data?.patients.data).toEqual([])
      const withDeleted = await search(patient.email ?? '', ', options: { includeDeleted: true }')
      expect(withDeleted.body.data?.patients.data.map((x) => x.id)).toEqual([id])
    } finally {
      patient.deleted = false
    }
  })

  it('reads one patient with its NHS number as a PatientNumber', async () => {
    const res = await gql<{
      patient: {
        id: string
        dob: string
        fullName: string
        numbers: { name: string; value: string }[]
        phones: { phoneNumber: string }[]
      }
    }>(
      'query($id: ID!) { patient(id: $id) { id dob fullName numbers { name value } phones { phoneNumber } } }',
      {
        id: firstPatient(),
      },
    )
    const seed = clinic.patients[0]
    expect(res.body.data?.patient).toEqual({
      id: firstPatient(),
      dob: seed?.birthDate,
      fullName: `${seed?.givenName} ${seed?.familyName}`,
      numbers: [{ name: 'NHS Number', value: seed?.nhsNumber }],
      phones: [{ phoneNumber: seed?.phone }],
    })
  })

  it('creates a patient, then adds an NHS number and a phone', async () => {
    const created = await gql<{
      createPatient: Payload<{ id: string; firstName: string; lastName: string; dob: string }>
    }>(
      `mutation($p: CreatePatientDataInput) { createPatient(patientData: $p) { data { id firstName lastName dob } error } }`,
      {
        p: {
          first: 'Ada',
          last: 'Lovelace',
          dob: '1985-12-10',
          email: 'ada@example.com',
          phoneNumber: '+447700900999',
          phoneType: 'Mobile',
        },
      },
    )
    expect(created.status).toBe(200)
    const patient = created.body.data?.createPatient.data
    expect(created.body.data?.createPatient.error).toBeNull()
    expect(patient).toMatchObject({ firstName: 'Ada', lastName: 'Lovelace', dob: '1985-12-10' })
    expect(patient?.id).toMatch(/^[0-9a-f]{24}$/)

    const addNumber = (value: string) =>
      gql<{ addPatientNumber: Payload<{ numbers: { name: string; value: string }[] }> }>(
        `mutation($id: ID!, $n: AddPatientNumberData!) { addPatientNumber(patientId: $id, patientNumber: $n) { data { numbers { name value } } error } }`,
        { id: patient?.id, n: { numberId: sim.credentials.nhsNumberTypeId, value } },
      )
    const invalid = await addNumber('9990000001')
    expect(invalid.status).toBe(200)
    expect(invalid.body.data?.addPatientNumber).toEqual({ data: null, error: 'Invalid NHS number' })
    const valid = await addNumber('9434765919')
    expect(valid.body.data?.addPatientNumber.data?.numbers).toEqual([
      { name: 'NHS Number', value: '9434765919' },
    ])

    const phone = await gql<{
      addPatientPhoneNumber: Payload<{ phones: { phoneNumber: string; phoneType: string }[] }>
    }>(
      `mutation($id: ID!) { addPatientPhoneNumber(patientId: $id, phoneData: { phoneNumber: "+442079460123", phoneType: "Home" }) { data { phones { phoneNumber phoneType } } error } }`,
      { id: patient?.id },
    )
    expect(phone.body.data?.addPatientPhoneNumber.data?.phones).toEqual([
      { phoneNumber: '+447700900999', phoneType: 'Mobile' },
      { phoneNumber: '+442079460123', phoneType: 'Home' },
    ])
    const ops = sim.control.writes().map((w) => [w.operation, w.outcome])
    expect(ops).toEqual(
      expect.arrayContaining([
        ['createPatient', 'applied'],
        ['addPatientNumber', 'rejected'],
        ['addPatientNumber', 'applied'],
        ['addPatientPhoneNumber', 'applied'],
      ]),
    )
  })

  it('answers a patient without a first name with an error string at HTTP 200', async () => {
    const res = await gql<{ createPatient: Payload<{ id: string }> }>(
      'mutation { createPatient(patientData: { last: "Nobody" }) { data { id } error } }',
    )
    expect(res.status).toBe(200)
    expect(res.body.data?.createPatient).toEqual({ data: null, error: 'First name is required' })
    expect(sim.control.writes().at(-1)).toMatchObject({ operation: 'createPatient', outcome: 'rejected' })
  })
})

describe('practice: users, booking types, locations, availability settings', () => {
  it('lists clinicians only with cliniciansOnly', async () => {
    const q = (only: boolean) =>
      gql<{ users: Page<{ id: string; isDoctor: boolean; fullName: string }> }>(
        'query($o: Boolean) { users(options: { cliniciansOnly: $o }, pagination: { pageSize: 100 }) { data { id isDoctor fullName } pageInfo { hasMore } } }',
        { o: only },
      )
    const all = (await q(false)).body.data?.users.data ?? []
    const clinicians = (await q(true)).body.data?.users.data ?? []
    expect(clinicians).toHaveLength(clinic.practitioners.length)
    expect(clinicians.every((u) => u.isDoctor)).toBe(true)
    expect(all.length).toBe(clinicians.length + 1)
    expect(clinicians[0]?.fullName).toBe('Dr Anika Patel')
  })

  it('lists products, bookable ones with lengths; has no locations or bookingTypes root query', async () => {
    const res = await gql<{
      products: Page<{ id: string; name: string; isBookable: boolean; duration: number | null }>
    }>(
      '{ products(pagination: { pageSize: 100 }) { data { id name isBookable duration price } pageInfo { hasMore } } }',
    )
    const products = res.body.data?.products.data ?? []
    expect(products.filter((p) => p.isBookable).map((p) => [p.name, p.duration])).toEqual(
      clinic.appointmentTypes.map((t) => [t.name, t.lengthMinutes]),
    )
    expect(products.some((p) => !p.isBookable)).toBe(true)
    const one = await gql<{ product: { name: string } }>('query($id: ID!) { product(id: $id) { name } }', {
      id: products[0]!.id,
    })
    expect(one.body.data?.product.name).toBe(products[0]!.name)
    for (const q of ['{ locations { id } }', '{ bookingTypes { id } }']) {
      const unpublished = await gql(q)
      expect(unpublished.body.errors?.[0]?.message).toMatch(/Cannot query field/)
    }
    // Locations come with the working-hours settings.
    const settings = await gql<{ availabilitySettings: { location: { id: string; name: string } }[] }>(
      '{ availabilitySettings { location { id name groupName } } }',
    )
    const names = new Set(settings.body.data?.availabilitySettings.map((a) => a.location.name))
    expect([...names].sort()).toEqual(clinic.locations.map((l) => l.name).sort())
  })

  it('lists recurring availability settings (day 0 = Sunday)', async () => {
    const res = await gql<{
      availabilitySettings: { day: number; blocker: boolean; doctor: { id: string } }[]
    }>('{ availabilitySettings { id startTime endTime day date blocker doctor { id } location { id } } }')
    const settings = res.body.data?.availabilitySettings ?? []
    const patel = state.seedIds.practitioners.get('prac-1')
    expect(settings.filter((s) => s.doctor.id === patel).map((s) => s.day)).toEqual([
      1, 1, 2, 2, 3, 3, 4, 4, 5, 5,
    ])
    expect(settings.every((s) => !s.blocker)).toBe(true)
  })
})

describe('bookings', () => {
  it('lists a day with dateRange, paged, sorted by start', async () => {
    const all: Booking[] = []
    for (let page = 1; ; page++) {
      const res = await gql<{ bookings: Page<Booking> }>(
        `query($p: Int) { bookings(dateRange: { start: "2026-03-03T00:00:00Z", end: "2026-03-03T23:59:59Z" }, pagination: { page: $p, pageSize: 25 }) { data { ${BOOKING_FIELDS} } pageInfo { hasMore } } }`,
        { p: page },
      )
      all.push(...(res.body.data?.bookings.data ?? []))
      if (!res.body.data?.bookings.pageInfo.hasMore) break
    }
    const expected = clinic.appointments.filter(
      (a) => a.start.startsWith('2026-03-03') && a.status !== 'cancelled',
    )
    expect(all).toHaveLength(expected.length)
    expect(all.map((b) => b.start)).toEqual([...all.map((b) => b.start)].sort())
    expect(all.every((b) => !b.deleted)).toBe(true)
    const deleted: { id: string; deleted: boolean }[] = []
    for (let page = 1; ; page++) {
      const res = await gql<{ bookings: Page<{ id: string; deleted: boolean }> }>(
        `query($p: Int) { bookings(dateRange: { start: "2026-02-24T00:00:00Z", end: "2026-03-10T23:59:59Z" }, options: { includeDeleted: true }, pagination: { page: $p, pageSize: 1000 }) { data { id deleted } pageInfo { hasMore } } }`,
        { p: page },
      )
      expect(res.body.data?.bookings.data.length).toBeLessThanOrEqual(100) // page sizes are clamped to 100
      deleted.push(...(res.body.data?.bookings.data.filter((b) => b.deleted) ?? []))
      if (!res.body.data?.bookings.pageInfo.hasMore) break
    }
    expect(deleted.length).toBe(clinic.appointments.filter((a) => a.status === 'cancelled').length)
  })

  it('books, keeping comments verbatim; switched to refuse overlaps, refuses one for the same doctor with an error string', async () => {
    const doctor = doctorAt('loc-1')
    const slot = await freeSlot(doctor, locationId('loc-1'))
    const marker = 'Frontdesk ref: fd-7f3a9c [do not edit]'
    const input = {
      patient: firstPatient(),
      doctor,
      location: locationId('loc-1'),
      bookingType: bookingType(10),
      start: slot.start,
      end: new Date(Date.parse(slot.start) + 10 * 60_000).toISOString(),
      comments: marker,
    }
    const res = await createBooking(input)
    expect(res.status).toBe(200)
    const booking = res.body.data?.createBooking.data
    expect(res.body.data?.createBooking.error).toBeNull()
    expect(booking).toMatchObject({
      deleted: false,
      comments: marker,
      doctor: { id: doctor },
      patient: { id: firstPatient() },
    })
    // The booking's location is the room: `name` the room, `groupName` the practice location, `id` not the location's.
    expect(booking?.location.groupName).toBe('Canonbury Medical Centre')
    const site = state.locations.get(locationId('loc-1'))!
    expect(site.rooms.map((r) => r.name)).toContain(booking?.location.name)
    expect(booking?.location.id).not.toBe(locationId('loc-1'))
    expect(site.rooms.map((r) => r.id)).toContain(booking?.location.id)
    expect(booking?.id).toMatch(/^[0-9a-f]{24}$/)

    state.options.allowDoubleBooking = false
    const clash = await createBooking({ ...input, patient: state.seedIds.patients[1] }).finally(() => {
      state.options.allowDoubleBooking = true
    })
    expect(clash.status).toBe(200)
    expect(clash.body.data?.createBooking).toEqual({
      data: null,
      error: 'The doctor already has a booking at this time',
    })
    const writes = sim.control.writes().filter((w) => w.operation === 'createBooking')
    expect(writes.at(-2)).toMatchObject({ outcome: 'applied', input: { bookingData: { comments: marker } } })
    expect(writes.at(-1)).toMatchObject({ outcome: 'rejected' })
  })

  it('accepts overlapping bookings by default, as Semble’s web app does', async () => {
    const doctor = doctorAt('loc-1')
    const slot = await freeSlot(doctor, locationId('loc-1'), 60)
    const input = {
      patient: firstPatient(),
      doctor,
      location: locationId('loc-1'),
      bookingType: bookingType(10),
      start: slot.start,
      end: slot.end,
    }
    expect(state.options.allowDoubleBooking).toBe(true)
    expect((await createBooking(input)).body.data?.createBooking.error).toBeNull()
    const second = await createBooking({ ...input, patient: state.seedIds.patients[2] })
    expect(second.body.data?.createBooking.error).toBeNull()
    const same = [...state.bookings.values()].filter(
      (b) => !b.deleted && b.doctorId === doctor && b.start === new Date(slot.start).toISOString(),
    )
    expect(same).toHaveLength(2)
  })

  it('refuses incomplete or inconsistent bookings with error strings', async () => {
    const doctor = doctorAt('loc-1')
    const base = {
      patient: firstPatient(),
      doctor,
      location: locationId('loc-1'),
      bookingType: bookingType(10),
      start: '2026-03-20T10:00:00Z',
      end: '2026-03-20T10:10:00Z',
    }
    const cases: [Record<string, unknown>, string][] = [
      [{ ...base, end: undefined }, 'end is required'],
      [{ ...base, patient: 'ffffffffffffffffffffffff' }, 'Patient not found'],
      [{ ...base, doctor: state.signIn.userId }, 'The selected user is not a clinician'],
      [{ ...base, end: base.start }, 'The booking must end after it starts'],
      [{ ...base, start: 'tomorrow' }, 'Invalid start date'],
    ]
    for (const [input, error] of cases) {
      const res = await createBooking(input)
      expect(res.status).toBe(200)
      expect(res.body.data?.createBooking).toEqual({ data: null, error })
    }
  })

  it('reschedules with updateBooking and refuses to change the patient', async () => {
    const doctor = doctorAt('loc-1')
    const slot = await freeSlot(doctor, locationId('loc-1'), 120)
    const created = await createBooking({
      patient: firstPatient(),
      doctor,
      location: locationId('loc-1'),
      bookingType: bookingType(10),
      start: slot.start,
      end: slot.end,
    })
    const id = created.body.data?.createBooking.data?.id
    const later = await freeSlot(doctor, locationId('loc-1'), 240)
    const update = (data: Record<string, unknown>) =>
      gql<{ updateBooking: Payload<Booking> }>(
        `mutation($id: ID!, $b: BookingUpdateDataInput) { updateBooking(id: $id, bookingData: $b) { data { ${BOOKING_FIELDS} } error } }`,
        { id, b: data },
      )
    const moved = await update({ start: later.start, end: later.end })
    expect(moved.body.data?.updateBooking.error).toBeNull()
    expect(moved.body.data?.updateBooking.data).toMatchObject({ start: later.start, end: later.end })
    const patientChange = await update({ patient: state.seedIds.patients[4] })
    expect(patientChange.body.data?.updateBooking).toEqual({
      data: null,
      error: 'The patient of a booking cannot be changed',
    })
  })

  it('cancels with deleteBooking as a soft delete; a second delete is an error', async () => {
    const doctor = doctorAt('loc-2')
    const slot = await freeSlot(doctor, locationId('loc-2'))
    const created = await createBooking({
      patient: firstPatient(),
      doctor,
      location: locationId('loc-2'),
      bookingType: bookingType(10),
      start: slot.start,
      end: slot.end,
    })
    const id = created.body.data?.createBooking.data?.id as string
    const del = () =>
      gql<{ deleteBooking: Payload<Booking> }>(
        `mutation($id: ID!) { deleteBooking(id: $id, sendCancellationMessages: false) { data { id deleted } error } }`,
        { id },
      )
    expect((await del()).body.data?.deleteBooking).toEqual({ data: { id, deleted: true }, error: null })
    expect((await del()).body.data?.deleteBooking).toEqual({
      data: null,
      error: 'Booking has already been deleted',
    })

    const day = (includeDeleted: boolean) =>
      gql<{ bookings: Page<{ id: string; deleted: boolean }> }>(
        `query($d: Boolean) { bookings(dateRange: { start: "${slot.start}", end: "${slot.end}" }, options: { includeDeleted: $d }) { data { id deleted } } }`,
        { d: includeDeleted },
      )
    expect((await day(false)).body.data?.bookings.data.map((b) => b.id)).not.toContain(id)
    expect((await day(true)).body.data?.bookings.data).toContainEqual({ id, deleted: true })
    const one = await gql<{ booking: { id: string; deleted: boolean } }>(
      'query($id: ID!) { booking(id: $id) { id deleted } }',
      { id },
    )
    expect(one.body.data?.booking).toEqual({ id, deleted: true })
    // The slot is free again.
    expect((await freeSlot(doctor, locationId('loc-2'))).start).toBe(slot.start)
  })

  it('records journey stages with updateBookingJourney', async () => {
    clock.set(new Date('2026-03-03T10:02:00.000Z'))
    try {
      const booking = [...state.bookings.values()].find(
        (b) => !b.deleted && b.start.startsWith('2026-03-03T10') && !b.bookingJourney.arrived,
      )
      if (!booking) throw new Error('seed has no booking at 10:00')
      const journey = (stage: string, date?: string) =>
        gql<{ updateBookingJourney: Payload<Booking> }>(
          `mutation($id: ID!, $j: BookingJourneyInput) { updateBookingJourney(id: $id, bookingJourneyInput: $j) { data { bookingJourney { arrived consultation departed dna } } error } }`,
          { id: booking.id, j: { journeyStage: stage, date } },
        )
      const arrived = await journey('arrived', '2026-03-03')
      expect(arrived.body.data?.updateBookingJourney.data?.bookingJourney.arrived).toBe(
        '2026-03-03T10:02:00.000Z',
      )
      const consultation = await journey('consultation', '2026-03-03T10:05:00Z')
      expect(consultation.body.data?.updateBookingJourney.data?.bookingJourney).toEqual({
        arrived: '2026-03-03T10:02:00.000Z',
        consultation: '2026-03-03T10:05:00.000Z',
        departed: null,
        dna: null,
      })
      await journey('departed')
      expect(state.bookings.get(booking.id)?.bookingJourney.departed).toBe('2026-03-03T10:02:00.000Z')

      const other = [...state.bookings.values()].find(
        (b) => !b.deleted && b.start.startsWith('2026-03-03T11'),
      )
      const dna = await gql<{ updateBookingJourney: Payload<Booking> }>(
        `mutation($id: ID!) { updateBookingJourney(id: $id, bookingJourneyInput: { journeyStage: dna }) { data { bookingJourney { dna } } error } }`,
        { id: other?.id },
      )
      expect(dna.body.data?.updateBookingJourney.data?.bookingJourney.dna).toBe('2026-03-03T10:02:00.000Z')
      const missing = await gql<{ updateBookingJourney: Payload<Booking> }>(
        'mutation { updateBookingJourney(id: "000000000000000000000000", bookingJourneyInput: { journeyStage: arrived }) { error } }',
      )
      expect(missing.body.data?.updateBookingJourney.error).toBe('Booking not found')
    } finally {
      clock.set(START)
    }
  })

  it("lists a patient's bookings between two dates", async () => {
    const seedIndex = clinic.appointments.find((a) => a.status !== 'cancelled')?.patientIndex ?? 0
    const id = state.seedIds.patients[seedIndex]
    const res = await gql<{ patient: { bookings: { id: string; start: string }[] } }>(
      'query($id: ID!) { patient(id: $id) { bookings(start: "2026-02-01T00:00:00Z", end: "2026-04-01T00:00:00Z") { id start } } }',
      { id },
    )
    const expected = [...state.bookings.values()].filter((b) => b.patientId === id && !b.deleted)
    expect(res.body.data?.patient.bookings.map((b) => b.id).sort()).toEqual(expected.map((b) => b.id).sort())
  })
})

describe('availabilities', () => {
  const query = `query($r: DateRange!, $l: ID!, $d: ID) { availabilities(dateRange: $r, locationId: $l, doctorId: $d) { data { start end doctor { id } } } }`

  it('offers free 15-minute slots inside working hours that do not overlap bookings', async () => {
    const doctor = doctorAt('loc-1')
    const res = await gql<{
      availabilities: { data: { start: string; end: string; doctor: { id: string } }[] }
    }>(query, {
      r: { start: '2026-03-04T00:00:00Z', end: '2026-03-05T00:00:00Z' },
      l: locationId('loc-1'),
      d: doctor,
    })
    const slots = res.body.data?.availabilities.data ?? []
    expect(slots.length).toBeGreaterThan(0)
    const bookings = [...state.bookings.values()].filter((b) => b.doctorId === doctor && !b.deleted)
    for (const s of slots) {
      expect(s.doctor.id).toBe(doctor)
      expect(Date.parse(s.end) - Date.parse(s.start)).toBe(15 * 60_000)
      const hhmm = s.start.slice(11, 16)
      expect(hhmm >= '08:30' && hhmm < '18:00' && !(hhmm >= '13:00' && hhmm < '14:00')).toBe(true)
      expect(bookings.some((b) => b.start < s.end && s.start < b.end)).toBe(false)
    }
  })

  it('refuses a range over 168 hours with a GraphQL error and accepts exactly 168', async () => {
    const over = await gql(query, {
      r: { start: '2026-03-04T00:00:00Z', end: '2026-03-11T00:00:01Z' },
      l: locationId('loc-1'),
    })
    expect(over.status).toBe(200)
    expect(over.body.data).toEqual({ availabilities: null })
    expect(over.body.errors?.[0]?.message).toBe('The date range cannot be longer than 168 hours')
    const week = await gql<{ availabilities: { data: unknown[] } }>(query, {
      r: { start: '2026-03-04T00:00:00Z', end: '2026-03-11T00:00:00Z' },
      l: locationId('loc-1'),
    })
    expect(week.body.errors).toBeUndefined()
    expect(week.body.data?.availabilities.data.length).toBeGreaterThan(0)
  })
})

describe('rate limit', () => {
  it('answers the 121st request in a minute with 429, Retry-After and RATE_LIMITED', async () => {
    const c = new ManualClock(START)
    const s = await startSembleSimulator(clinic, { clock: c })
    try {
      const client = graphqlClient(s.url, () => ({ 'x-token': s.credentials.apiToken ?? '' }))
      for (let i = 0; i < 120; i++) expect((await client('{ availabilitySettings { id } }')).status).toBe(200)
      const limited = await client('{ availabilitySettings { id } }')
      expect(limited.status).toBe(429)
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
      expect(limited.body).toEqual({
        errors: [{ message: 'Too many requests', extensions: { code: 'RATE_LIMITED' } }],
      })
      c.advance(60_000)
      expect((await client('{ availabilitySettings { id } }')).status).toBe(200)
    } finally {
      await s.close()
    }
  })
})

describe('faults, as a GraphQL client sees them', () => {
  const headers = () => ({ 'x-token': sim.credentials.apiToken ?? '' })

  it('reset after write: the connection drops, but the booking exists and the write is recorded', async () => {
    const doctor = doctorAt('loc-2')
    const slot = await freeSlot(doctor, locationId('loc-2'), 180)
    const before = sim.control.writes().length
    sim.control.inject({ kind: 'reset-after-write', count: 1 })
    await expect(
      createBooking({
        patient: firstPatient(),
        doctor,
        location: locationId('loc-2'),
        bookingType: bookingType(10),
        start: slot.start,
        end: slot.end,
        comments: 'fd-ref-after-reset',
      }),
    ).rejects.toThrow()
    const writes = sim.control.writes().slice(before)
    expect(writes).toHaveLength(1)
    expect(writes[0]).toMatchObject({ operation: 'createBooking', outcome: 'applied' })
    const found = await gql<{ bookings: Page<{ comments: string }> }>(
      `{ bookings(dateRange: { start: "${slot.start}", end: "${slot.start}" }) { data { comments } } }`,
    )
    expect(found.body.data?.bookings.data.map((b) => b.comments)).toContain('fd-ref-after-reset')
  })

  it('reset before write: the connection drops and nothing is written; reads are not affected', async () => {
    const before = sim.control.writes().length
    const bookingsBefore = state.bookings.size
    sim.control.inject({ kind: 'reset-before-write', count: 1 })
    expect((await gql('{ availabilitySettings { id } }')).status).toBe(200)
    await expect(
      gql(
        'mutation { createPatient(patientData: { first: "Never", last: "Written" }) { data { id } error } }',
      ),
    ).rejects.toThrow()
    expect(sim.control.writes().length).toBe(before)
    expect(state.bookings.size).toBe(bookingsBefore)
  })

  it('malformed body: HTTP 200 with JSON that does not parse', async () => {
    sim.control.inject({ kind: 'malformed', count: 1 })
    const res = await rawPost(
      sim.url,
      headers(),
      JSON.stringify({ query: '{ availabilitySettings { id day } }' }),
    )
    expect(res.status).toBe(200)
    expect(() => JSON.parse(res.text)).toThrow()
    expect(
      JSON.parse(
        (await rawPost(sim.url, headers(), JSON.stringify({ query: '{ availabilitySettings { id } }' })))
          .text,
      ),
    ).toHaveProperty('data')
  })

  it('503 and injected 429 come back in the GraphQL error shape', async () => {
    sim.control.inject({ kind: 'status', status: 503, count: 1 })
    const unavailable = await gql('{ availabilitySettings { id } }')
    expect(unavailable.status).toBe(503)
    expect(unavailable.body.errors?.[0]?.extensions?.code).toBe('INTERNAL_SERVER_ERROR')
    sim.control.inject({ kind: 'rate-limit', retryAfterSeconds: 7, count: 1 })
    const limited = await gql('{ availabilitySettings { id } }')
    expect(limited.status).toBe(429)
    expect(limited.headers.get('retry-after')).toBe('7')
    expect(limited.body.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED')
  })

  it('a hang outlasts the client timeout', async () => {
    sim.control.inject({ kind: 'hang', ms: 2_000, count: 1 })
    await expect(
      gql('{ availabilitySettings { id } }', undefined, { signal: AbortSignal.timeout(200) }),
    ).rejects.toThrow()
  })

  it('offline refuses connections; back online answers on the same URL', async () => {
    await sim.control.setOffline(true)
    try {
      await expect(gql('{ availabilitySettings { id } }')).rejects.toThrow()
    } finally {
      await sim.control.setOffline(false)
    }
    expect((await gql('{ availabilitySettings { id } }')).status).toBe(200)
  })
})
