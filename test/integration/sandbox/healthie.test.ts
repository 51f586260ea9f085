import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { ManualClock, type SimulatorHandle } from '../../../src/sandbox/core'
import { type HealthieState, startHealthieSimulator } from '../../../src/sandbox/healthie'
import { seedClinic } from '../../../src/sandbox/seed'
import { graphqlClient, rawPost } from './graphql-client'

/** Contract tests for the Healthie simulator (API version 2026-01-01), over real HTTP, against ../shared/vendors/healthie.md. */

const START = new Date('2026-03-03T07:00:00.000Z') // a Tuesday, before opening (Europe/London is UTC in March)
const clinic = seedClinic({ patients: 50, seed: 11, today: START })

interface Connection<T> {
  edges: { cursor: string; node: T }[]
  nodes: T[]
  page_info: {
    has_next_page: boolean
    has_previous_page: boolean
    start_cursor: string | null
    end_cursor: string | null
  }
  total_count: number
}
interface FieldError {
  field: string | null
  message: string
}
interface Appointment {
  id: string
  date: string
  length: number
  pm_status: string | null
  metadata: unknown
  notes: string | null
  deleted_at: string | null
  other_party_id: number
  user_id: number
}
const APPT = 'id date length pm_status metadata notes deleted_at other_party_id user_id'

let sim: SimulatorHandle<HealthieState>
let clock: ManualClock
let state: HealthieState
let gql: ReturnType<typeof graphqlClient>

const authHeaders = () => ({
  authorization: `Basic ${sim.credentials.apiKey}`,
  authorizationsource: 'API',
  'healthie-graphql-api-version': '2026-01-01',
})

beforeAll(async () => {
  clock = new ManualClock(START)
  sim = await startHealthieSimulator(clinic, { clock })
  state = sim.control.state
  gql = graphqlClient(sim.url, authHeaders)
})

afterAll(async () => {
  await sim?.close()
})

const provider = (key: string) => state.seedIds.practitioners.get(key) as string
const patient = (i: number) => state.seedIds.patients[i] as string
const typeNamed = (name: string) =>
  [...state.appointmentTypes.values()].find((t) => t.name === name)?.id as string
const location = (key: string) => state.seedIds.locations.get(key) as string

async function create(input: Record<string, unknown>) {
  return gql<{ createAppointment: { appointment: Appointment | null; messages: FieldError[] | null } }>(
    `mutation($i: createAppointmentInput!) { createAppointment(input: $i) { appointment { ${APPT} } messages { field message } } }`,
    { i: input },
  )
}
async function update(input: Record<string, unknown>) {
  return gql<{ updateAppointment: { appointment: Appointment | null; messages: FieldError[] | null } }>(
    `mutation($i: updateAppointmentInput!) { updateAppointment(input: $i) { appointment { ${APPT} } messages { field message } } }`,
    { i: input },
  )
}
async function slotsFor(
  providerId: string,
  day: string,
  typeId: string,
  extra: Record<string, unknown> = {},
) {
  const res = await gql<{ availableSlotsForRange: { date: string; length: number; user_id: string }[] }>(
    `query($p: ID!, $s: ISO8601DateTime, $e: ISO8601DateTime, $t: ID, $r: ID) {
      availableSlotsForRange(provider_id: $p, start_date: $s, end_date: $e, appt_type_id: $t, appointment_to_reschedule_id: $r, timezone: "Europe/London") { date length user_id }
    }`,
    { p: providerId, s: day, e: day, t: typeId, ...extra },
  )
  return res.body.data?.availableSlotsForRange ?? []
}
/** The n-th free slot on Wednesday 4 March for a GP appointment with Dr Patel (prac-1). */
async function freeGpSlot(n = 0) {
  const slots = await slotsFor(provider('prac-1'), '2026-03-04', typeNamed('GP appointment'))
  const slot = slots[n]
  if (!slot) throw new Error('no free slot')
  return slot.date
}
const gpBooking = (datetime: string, extra: Record<string, unknown> = {}) => ({
  user_id: patient(0),
  appointment_type_id: typeNamed('GP appointment'),
  contact_type: 'In Person',
  other_party_id: provider('prac-1'),
  appointment_location_id: location('loc-1'),
  datetime,
  timezone: 'Europe/London',
  ...extra,
})

describe('authentication', () => {
  it('refuses a missing or wrong key, a Bearer key and a missing AuthorizationSource with UNAUTHENTICATED at 401', async () => {
    const cases: Record<string, string>[] = [
      { 'healthie-graphql-api-version': '2026-01-01' },
      {
        authorization: 'Basic wrong',
        authorizationsource: 'API',
        'healthie-graphql-api-version': '2026-01-01',
      },
      {
        authorization: `Bearer ${sim.credentials.apiKey}`,
        authorizationsource: 'API',
        'healthie-graphql-api-version': '2026-01-01',
      },
      { authorization: `Basic ${sim.credentials.apiKey}`, 'healthie-graphql-api-version': '2026-01-01' },
    ]
    for (const headers of cases) {
      const res = await gql('{ currentUser { id } }', undefined, { headers, replaceHeaders: true })
      expect(res.status).toBe(401)
      expect(res.body.data).toBeNull()
      expect(res.body.errors?.[0]?.extensions).toEqual({ code: 'UNAUTHENTICATED' })
    }
  })

  it('serves the API key owner as currentUser', async () => {
    const res = await gql<{ currentUser: { id: string; full_name: string } }>(
      '{ currentUser { id full_name } }',
    )
    expect(res.status).toBe(200)
    expect(res.body.data?.currentUser).toEqual({ id: provider('prac-1'), full_name: 'Anika Patel' })
  })

  it('expireTokens() revokes the key until it is reinstated', async () => {
    sim.control.expireTokens()
    try {
      const res = await gql('{ currentUser { id } }')
      expect(res.status).toBe(401)
      expect(res.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED')
    } finally {
      state.reinstateApiKey()
    }
    expect((await gql('{ currentUser { id } }')).status).toBe(200)
  })
})

describe('API version header', () => {
  // Only the credentials: no Healthie-GraphQL-API-Version header.
  const withoutVersion = (query: string) =>
    gql<{ users: unknown }>(query, undefined, {
      headers: { authorization: `Basic ${sim.credentials.apiKey}`, authorizationsource: 'API' },
      replaceHeaders: true,
    })
  const atVersion = (version: string, query: string) =>
    gql<{ users: unknown }>(query, undefined, { headers: { 'healthie-graphql-api-version': version } })
  /** Runs `check` with the simulator's clock at `day`, then puts it back. */
  async function on(day: string, check: () => Promise<void>) {
    const before = clock.now()
    clock.set(new Date(`${day}T09:00:00.000Z`))
    try {
      await check()
    } finally {
      clock.set(before)
    }
  }

  it('without the header answers in the baseline’s shapes: list queries are plain lists, paged by offset', async () => {
    const res = await withoutVersion('{ users(page_size: 3) { id } }')
    expect(res.status).toBe(200)
    expect(res.body.errors).toBeUndefined()
    expect(res.body.data?.users).toEqual([
      { id: expect.any(String) },
      { id: expect.any(String) },
      { id: expect.any(String) },
    ])
    // No warning before 2026-07-01, when Healthie started sending one.
    expect(res.body.extensions).toBeUndefined()
    const next = await withoutVersion('{ users(page_size: 3, offset: 3) { id } }')
    const ids = (r: typeof res) => (r.body.data?.users as { id: string }[]).map((u) => u.id)
    expect(ids(next)).toHaveLength(3)
    expect(ids(next).some((id) => ids(res).includes(id))).toBe(false)
    // A connection's selection is not valid against the baseline.
    const relay = await withoutVersion('{ users(first: 3) { nodes { id } } }')
    expect(relay.status).toBe(400)
  })

  it('2024-06-01 is served as the baseline and 2026-01-01 as connections; both ask the same data', async () => {
    const plain = await atVersion('2024-06-01', '{ appointmentTypes { id } }')
    const relay = await atVersion('2026-01-01', '{ appointmentTypes(first: 100) { nodes { id } } }')
    expect(plain.body.errors).toBeUndefined()
    expect(relay.body.errors).toBeUndefined()
    const plainIds = (plain.body.data as unknown as { appointmentTypes: { id: string }[] }).appointmentTypes
    const relayIds = (relay.body.data as unknown as { appointmentTypes: { nodes: { id: string }[] } })
      .appointmentTypes.nodes
    expect(plainIds.length).toBeGreaterThan(0)
    expect(plainIds).toEqual(relayIds)
  })

  it('warns from 2026-07-01 when the header is missing, and refuses from 2027-01-31', async () => {
    await on('2026-12-02', async () => {
      const res = await withoutVersion('{ currentUser { id } }')
      expect(res.status).toBe(200)
      expect(res.body.data).toEqual({ currentUser: { id: provider('prac-1') } })
      expect(res.body.extensions?.warnings).toEqual([
        expect.objectContaining({ code: 'MISSING_API_VERSION_HEADER' }),
      ])
      expect((await gql('{ currentUser { id } }')).body.extensions?.warnings).toEqual([
        expect.objectContaining({ code: 'API_VERSION_SUNSET_WARNING', requested_version: '2026-01-01' }),
      ])
    })
    await on('2027-01-31', async () => {
      const res = await withoutVersion('{ currentUser { id } }')
      expect(res.status).toBe(400)
      expect(res.body.errors?.[0]?.extensions).toMatchObject({ code: 'MISSING_API_VERSION_HEADER' })
      const old = await atVersion('2024-06-01', '{ currentUser { id } }')
      expect(old.body.errors?.[0]?.extensions).toMatchObject({
        code: 'UNSUPPORTED_API_VERSION',
        requested_version: '2024-06-01',
        minimum_supported_version: '2026-07-01',
      })
    })
  })

  it('refuses an unknown version, and says which published versions it does not serve', async () => {
    const unknown = await atVersion('2099-01-01', '{ currentUser { id } }')
    expect(unknown.status).toBe(400)
    expect(unknown.body.errors?.[0]?.message).toBe('Unknown API version 2099-01-01.')
    expect(unknown.body.errors?.[0]?.extensions).toEqual({
      code: 'UNSUPPORTED_API_VERSION',
      requested_version: '2099-01-01',
      minimum_supported_version: '2026-01-01',
      latest_version: '2026-01-01',
    })
    const between = await atVersion('2025-10-15', '{ currentUser { id } }')
    expect(between.status).toBe(400)
    expect(between.body.errors?.[0]?.message).toBe(
      'API version 2025-10-15 is published by Healthie, but this simulator serves only 2026-01-01 and 2024-06-01 shapes.',
    )
  })
})

const VAR_TYPES: Record<string, string> = {
  k: 'String',
  first: 'Int',
  after: 'String',
  last: 'Int',
  before: 'String',
}

describe('patients', () => {
  // Every call pages (first/last): unpaged, this selection is over Healthie's complexity limit.
  const users = (args: string, vars: Record<string, unknown> = {}) =>
    gql<{
      users: Connection<{
        id: string
        first_name: string
        last_name: string
        dob: string
        record_identifier: string
      }>
    }>(
      `query(${Object.keys(vars)
        .map((k) => `$${k}: ${VAR_TYPES[k]}`)
        .join(', ')}) { users(${args}) {
        edges { cursor node { id first_name last_name dob record_identifier } }
        nodes { id first_name last_name dob record_identifier }
        page_info { has_next_page has_previous_page start_cursor end_cursor } total_count } }`,
      vars,
    )

  it('ANDs keywords across name, date of birth, email and record identifier', async () => {
    const p = clinic.patients[4]
    if (!p) throw new Error('seed')
    const both = await users('keywords: $k, first: 20', {
      k: `${p.givenName} ${p.familyName} ${p.birthDate}`,
    })
    expect(both.body.data?.users.nodes.map((u) => u.id)).toEqual([patient(4)])
    const byRecord = await users('keywords: $k, first: 20', { k: p.nhsNumber })
    expect(byRecord.body.data?.users.nodes.map((u) => u.id)).toEqual([patient(4)])
    const byEmail = await users('keywords: $k, first: 20', { k: p.email })
    expect(byEmail.body.data?.users.nodes.map((u) => u.id)).toEqual([patient(4)])
    const none = await users('keywords: $k, first: 20', { k: `${p.givenName} zzzz` })
    expect(none.body.data?.users).toMatchObject({ nodes: [], total_count: 0 })
  })

  it('returns patients only, as a Relay connection paged with first/after and last/before', async () => {
    const first = await users('first: $first', { first: 20 })
    const c1 = first.body.data?.users
    expect(c1?.total_count).toBe(50)
    expect(c1?.nodes).toHaveLength(20)
    expect(c1?.edges.map((e) => e.node)).toEqual(c1?.nodes)
    expect(c1?.page_info).toMatchObject({ has_next_page: true, has_previous_page: false })
    const ids = new Set(c1?.nodes.map((n) => n.id))
    let after = c1?.page_info.end_cursor
    for (;;) {
      const next = await users('first: $first, after: $after', { first: 20, after })
      const c = next.body.data?.users
      for (const n of c?.nodes ?? []) ids.add(n.id)
      if (!c?.page_info.has_next_page) break
      after = c.page_info.end_cursor
    }
    expect(ids).toEqual(new Set(state.seedIds.patients))
    const last = await users('last: $last, before: $before', { last: 5, before: c1?.edges[10]?.cursor })
    expect(last.body.data?.users.nodes.map((n) => n.id)).toEqual(c1?.nodes.slice(5, 10).map((n) => n.id))
    const bad = await users('first: $first, after: $after', { first: 20, after: 'not-a-cursor' })
    expect(bad.body.errors?.[0]?.message).toContain('Invalid cursor')
  })

  it('reads one user by id', async () => {
    const res = await gql<{ user: { id: string; dob: string; phone_number: string } }>(
      'query($id: ID) { user(id: $id) { id dob phone_number } }',
      { id: patient(2) },
    )
    expect(res.body.data?.user).toEqual({
      id: patient(2),
      dob: clinic.patients[2]?.birthDate,
      phone_number: clinic.patients[2]?.phone,
    })
  })

  it('creates a client, storing metadata verbatim', async () => {
    const metadata = '{"frontdesk":{"nhsNumber":"9434765919"}}'
    const res = await gql<{
      createClient: {
        user: { id: string; metadata: string; record_identifier: string } | null
        messages: FieldError[] | null
      }
    }>(
      `mutation($i: createClientInput) { createClient(input: $i) { user { id first_name metadata record_identifier dietitian_id } messages { field message } } }`,
      {
        i: {
          first_name: 'Ada',
          last_name: 'Lovelace',
          skipped_email: true,
          phone_number: '+447700900999',
          dob: '1985-12-10',
          record_identifier: '9434765919',
          metadata,
          dont_send_welcome: true,
        },
      },
    )
    expect(res.status).toBe(200)
    expect(res.body.data?.createClient.messages).toBeNull()
    expect(res.body.data?.createClient.user).toMatchObject({ metadata, record_identifier: '9434765919' })
    expect(res.body.data?.createClient.user?.id).toMatch(/^\d+$/)
    expect(sim.control.writes().at(-1)).toMatchObject({ operation: 'createClient', outcome: 'applied' })
  })

  it('answers a missing first_name and email with messages at HTTP 200', async () => {
    const res = await gql<{ createClient: { user: null; messages: FieldError[] } }>(
      'mutation { createClient(input: { last_name: "Nobody" }) { user { id } messages { field message } } }',
    )
    expect(res.status).toBe(200)
    expect(res.body.data?.createClient).toEqual({
      user: null,
      messages: [
        { field: 'first_name', message: "can't be blank" },
        { field: 'email', message: "can't be blank" },
      ],
    })
    expect(sim.control.writes().at(-1)).toMatchObject({ operation: 'createClient', outcome: 'rejected' })
  })
})

describe('updateClient', () => {
  interface Client {
    id: string
    email: string | null
    phone_number: string | null
    record_identifier: string | null
    updated_at: string
    location: {
      id: string
      line1: string | null
      line2: string | null
      city: string | null
      zip: string | null
    } | null
  }
  const CLIENT = 'id email phone_number record_identifier updated_at location { id line1 line2 city zip }'
  // These tests step the clock to see updated_at move; the rest of the file expects it put back.
  let at: Date
  beforeEach(() => {
    at = clock.now()
  })
  afterEach(() => clock.set(at))
  const updateClient = (input: Record<string, unknown>) =>
    gql<{ updateClient: { user: Client | null; messages: FieldError[] | null } }>(
      `mutation($i: updateClientInput!) { updateClient(input: $i) { user { ${CLIENT} } messages { field message } } }`,
      { i: input },
    )
  const readClient = async (id: string) =>
    (await gql<{ user: Client | null }>(`query($id: ID) { user(id: $id) { ${CLIENT} } }`, { id })).body.data
      ?.user

  it('sets phone, email, record identifier and address, answering the user as it now is', async () => {
    const id = patient(40)
    const before = await readClient(id)
    expect(before?.location).toMatchObject({
      line1: clinic.patients[40]?.address.line1,
      zip: clinic.patients[40]?.address.postcode,
    })
    clock.advance(60_000)
    const res = await updateClient({
      id,
      phone_number: '+447700900417',
      email: 'new.address@example.org',
      record_identifier: '9434765870',
      location: { id: before?.location?.id, line1: '7 Mill Lane', line2: '', city: 'Leeds', zip: 'LS1 4AP' },
    })
    expect(res.status).toBe(200)
    expect(res.body.data?.updateClient.messages).toBeNull()
    const user = res.body.data?.updateClient.user
    expect(user).toMatchObject({
      id,
      phone_number: '+447700900417',
      email: 'new.address@example.org',
      record_identifier: '9434765870',
      location: {
        id: before?.location?.id,
        line1: '7 Mill Lane',
        line2: null,
        city: 'Leeds',
        zip: 'LS1 4AP',
      },
    })
    expect(user?.updated_at).not.toBe(before?.updated_at)
    expect(await readClient(id)).toEqual(user)
    expect(sim.control.writes().at(-1)).toMatchObject({ operation: 'updateClient', outcome: 'applied' })
  })

  it('changes only the fields given, and nothing at all for values the client already holds', async () => {
    const id = patient(41)
    const before = await readClient(id)
    clock.advance(60_000)
    const phoneOnly = await updateClient({ id, phone_number: '+447700900418' })
    const after = phoneOnly.body.data?.updateClient.user
    expect(after).toMatchObject({
      email: before?.email,
      record_identifier: before?.record_identifier,
      location: before?.location,
      phone_number: '+447700900418',
    })
    clock.advance(60_000)
    const again = await updateClient({ id, phone_number: '+447700900418', email: before?.email })
    expect(again.body.data?.updateClient).toEqual({ user: after, messages: null })
  })

  it('changes the address in place with its id, and makes a new one without', async () => {
    const id = patient(42)
    const before = await readClient(id)
    const inPlace = await updateClient({ id, location: { id: before?.location?.id, zip: 'M1 1AE' } })
    expect(inPlace.body.data?.updateClient.user?.location).toEqual({ ...before?.location, zip: 'M1 1AE' })
    const fresh = await updateClient({ id, location: { line1: '1 New Road', zip: 'M2 2BB' } })
    const location = fresh.body.data?.updateClient.user?.location
    expect(location).toMatchObject({ line1: '1 New Road', line2: null, city: null, zip: 'M2 2BB' })
    expect(location?.id).not.toBe(before?.location?.id)
    const users = await gql<{ user: { locations: { id: string }[] } }>(
      'query($id: ID) { user(id: $id) { locations { id } } }',
      { id },
    )
    expect(users.body.data?.user.locations).toEqual([{ id: location?.id }])
  })

  it('answers an unknown id, an invalid or taken email and a stranger’s location id in messages at HTTP 200', async () => {
    const unknown = await updateClient({ id: '999999', phone_number: '+447700900419' })
    expect(unknown.status).toBe(200)
    expect(unknown.body.data?.updateClient).toEqual({
      user: null,
      messages: [{ field: 'id', message: 'User not found' }],
    })
    expect(sim.control.writes().at(-1)).toMatchObject({ operation: 'updateClient', outcome: 'rejected' })
    const provider = await updateClient({ id: state.apiUserId, phone_number: '+447700900419' })
    expect(provider.body.data?.updateClient.messages).toEqual([{ field: 'id', message: 'User not found' }])

    const id = patient(43)
    const before = await readClient(id)
    const invalid = await updateClient({ id, email: 'not-an-email', phone_number: '+447700900420' })
    expect(invalid.status).toBe(200)
    expect(invalid.body.data?.updateClient).toEqual({
      user: null,
      messages: [{ field: 'email', message: 'is invalid' }],
    })
    const taken = await updateClient({ id, email: clinic.patients[44]?.email })
    expect(taken.body.data?.updateClient.messages).toEqual([
      { field: 'email', message: 'has already been taken' },
    ])
    const stranger = (await readClient(patient(44)))?.location?.id
    const wrongLocation = await updateClient({ id, location: { id: stranger, zip: 'E1 6AN' } })
    expect(wrongLocation.body.data?.updateClient.messages).toEqual([
      { field: 'location', message: 'Location not found' },
    ])
    // Refused means refused: nothing of the refused writes was kept.
    expect(await readClient(id)).toEqual(before)
  })

  it('refuses fields the published updateClientInput does not have, and a missing id', async () => {
    const id = patient(43)
    const before = await readClient(id)
    const writes = sim.control.writes().length
    // In variables: a GraphQL error and no data, as for any input the schema does not define.
    const extra = await updateClient({ id, phone_number: '+447700900421', postcode: 'E1 6AN' })
    expect(extra.body.data ?? null).toBeNull()
    expect(extra.body.errors?.[0]?.message).toMatch(/"postcode" is not defined by type "updateClientInput"/)
    const noId = await updateClient({ phone_number: '+447700900421' })
    expect(noId.body.data ?? null).toBeNull()
    expect(noId.body.errors?.[0]?.message).toMatch(/Field "id" of required type "ID!" was not provided/)
    // In the document: refused by validation at HTTP 400.
    const inline = await gql(
      `mutation { updateClient(input: { id: "${id}", location: { postcode: "E1 6AN" } }) { user { id } } }`,
    )
    expect(inline.status).toBe(400)
    expect(inline.body.errors?.[0]?.message).toMatch(
      /"postcode" is not defined by type "ClientLocationInput"/,
    )
    expect(sim.control.writes()).toHaveLength(writes)
    expect(await readClient(id)).toEqual(before)
  })
})

describe('organisation: members, appointment types, locations, contact types', () => {
  it('lists providers with organizationMembers', async () => {
    const res = await gql<{ organizationMembers: Connection<{ id: string; full_name: string }> }>(
      '{ organizationMembers(first: 50) { nodes { id full_name } total_count page_info { has_next_page } } }',
    )
    expect(res.body.data?.organizationMembers.total_count).toBe(clinic.practitioners.length)
    expect(res.body.data?.organizationMembers.nodes.map((n) => n.id)).toEqual([
      ...state.seedIds.practitioners.values(),
    ])
  })

  it('lists appointment types, narrowed to what a provider offers', async () => {
    const all = await gql<{ appointmentTypes: Connection<{ name: string; length: number }> }>(
      '{ appointmentTypes(first: 50) { nodes { id name length available_contact_types clients_can_book is_group } total_count } }',
    )
    expect(all.body.data?.appointmentTypes.nodes.map((t) => [t.name, t.length])).toEqual(
      clinic.appointmentTypes.map((t) => [t.name, t.lengthMinutes]),
    )
    const physio = await gql<{ appointmentTypes: Connection<{ name: string }> }>(
      'query($p: String) { appointmentTypes(provider_id: $p) { nodes { name } } }',
      { p: provider('prac-8') },
    )
    expect(physio.body.data?.appointmentTypes.nodes.map((t) => t.name)).toEqual([
      'Physiotherapy assessment',
      'Physiotherapy follow-up',
    ])
  })

  it('lists appointment locations and contact types', async () => {
    const res = await gql<{
      appointmentLocations: Connection<{ id: string; rooms: { name: string }[] }>
      contactTypes: string[]
    }>('{ appointmentLocations { nodes { id location has_rooms rooms { id name } } } contactTypes }')
    expect(res.body.data?.appointmentLocations.nodes.map((l) => l.id)).toEqual([
      location('loc-1'),
      location('loc-2'),
    ])
    expect(res.body.data?.contactTypes).toEqual(['Healthie Video Call', 'In Person', 'Phone Call'])
  })
})

describe('availability', () => {
  it('offers slots of the type length inside working hours, none overlapping an appointment', async () => {
    const slots = await slotsFor(provider('prac-1'), '2026-03-04', typeNamed('Long GP appointment'))
    expect(slots.length).toBeGreaterThan(0)
    const busy = [...state.appointments.values()].filter(
      (a) => a.providerId === provider('prac-1') && a.deleted_at === null && a.pm_status !== 'Cancelled',
    )
    for (const s of slots) {
      expect(s).toMatchObject({ length: 20, user_id: provider('prac-1') })
      expect(s.date).toMatch(/^2026-03-04T\d{2}:\d{2}:00\+00:00$/)
      const start = Date.parse(s.date)
      expect(busy.some((a) => a.startMs < start + 20 * 60_000 && start < a.startMs + a.length * 60_000)).toBe(
        false,
      )
    }
  })
})

describe('appointments', () => {
  const day = (args: string, vars: Record<string, unknown> = {}) =>
    gql<{ appointments: Connection<Appointment> }>(
      `query${
        Object.keys(vars).length
          ? `(${Object.keys(vars)
              .map((k) => `$${k}: ID`)
              .join(', ')})`
          : ''
      } { appointments(startDate: "2026-03-03", endDate: "2026-03-03", first: 100, ${args}) {
        nodes { ${APPT} } total_count page_info { has_next_page end_cursor } } }`,
      vars,
    )

  it('lists a day for the whole organisation; cancelled ones only with with_all_statuses, not with is_active', async () => {
    const all = await day('is_org: true, with_all_statuses: true')
    const expected = clinic.appointments.filter((a) => a.start.startsWith('2026-03-03'))
    expect(all.body.data?.appointments.total_count).toBe(expected.length)
    const dates = all.body.data?.appointments.nodes.map((n) => n.date) ?? []
    expect(dates).toEqual([...dates].sort())
    const active = await day('is_org: true, is_active: true')
    const inactive = expected.filter((a) => a.status === 'cancelled' || a.status === 'noshow').length
    expect(active.body.data?.appointments.total_count).toBe(expected.length - inactive)
  })

  it('narrows to one provider and to one patient', async () => {
    const mine = await day('provider_id: $p, with_all_statuses: true', { p: provider('prac-2') })
    expect(
      mine.body.data?.appointments.nodes.every((n) => n.other_party_id === Number(provider('prac-2'))),
    ).toBe(true)
    expect(mine.body.data?.appointments.total_count).toBe(
      clinic.appointments.filter((a) => a.start.startsWith('2026-03-03') && a.practitionerKey === 'prac-2')
        .length,
    )
    const someone = clinic.appointments.find((a) => a.start.startsWith('2026-03-03'))
    const theirs = await day('is_org: true, user_id: $u, with_all_statuses: true', {
      u: patient(someone?.patientIndex ?? 0),
    })
    expect(theirs.body.data?.appointments.nodes.length).toBeGreaterThan(0)
    expect(
      theirs.body.data?.appointments.nodes.every(
        (n) => n.user_id === Number(patient(someone?.patientIndex ?? 0)),
      ),
    ).toBe(true)
  })

  it('double-books by default, and refuses a taken slot when enforce_availability is true', async () => {
    const datetime = await freeGpSlot(0)
    const first = await create(gpBooking(datetime, { notes: 'first', metadata: '{"clientRef":"fd-1"}' }))
    expect(first.status).toBe(200)
    expect(first.body.data?.createAppointment.messages).toBeNull()
    expect(first.body.data?.createAppointment.appointment).toMatchObject({
      length: 10,
      pm_status: null,
      metadata: '{"clientRef":"fd-1"}',
      other_party_id: Number(provider('prac-1')),
    })
    expect(Date.parse(first.body.data?.createAppointment.appointment?.date ?? '')).toBe(Date.parse(datetime))

    const enforced = await create(gpBooking(datetime, { user_id: patient(1), enforce_availability: true }))
    expect(enforced.status).toBe(200)
    expect(enforced.body.data?.createAppointment.appointment).toBeNull()
    expect(enforced.body.data?.createAppointment.messages).toEqual([
      { field: 'datetime', message: 'This time slot is no longer available' },
    ])

    const doubled = await create(gpBooking(datetime, { user_id: patient(1) }))
    expect(doubled.body.data?.createAppointment.messages).toBeNull()
    const outcomes = sim.control
      .writes()
      .filter((w) => w.operation === 'createAppointment')
      .slice(-3)
      .map((w) => w.outcome)
    expect(outcomes).toEqual(['applied', 'rejected', 'applied'])
  })

  it('enforce_availability also refuses a time outside working hours; accepts a free slot given as local time', async () => {
    const lunch = await create(gpBooking('2026-03-04 13:20:00', { enforce_availability: true }))
    expect(lunch.body.data?.createAppointment.messages?.[0]?.field).toBe('datetime')
    const free = await freeGpSlot(2)
    const local = free.slice(0, 19).replace('T', ' ')
    const ok = await create(
      gpBooking(local, { enforce_availability: true, metadata: { clientRef: 'fd-obj' } }),
    )
    expect(ok.body.data?.createAppointment.messages).toBeNull()
    expect(ok.body.data?.createAppointment.appointment?.metadata).toBe('{"clientRef":"fd-obj"}')
  })

  it('answers missing fields with messages', async () => {
    const res = await create({
      appointment_type_id: typeNamed('GP appointment'),
      contact_type: 'In Person',
      datetime: '2026-03-04 10:00:00',
    })
    expect(res.body.data?.createAppointment.messages).toEqual([
      { field: 'user_id', message: "can't be blank" },
      { field: 'appointment_location_id', message: 'is required for in-person appointments' },
    ])
  })

  it('reschedules with updateAppointment, honouring enforce_availability', async () => {
    const created = await create(gpBooking(await freeGpSlot(0)))
    const id = created.body.data?.createAppointment.appointment?.id
    const target = await freeGpSlot(1)
    const moved = await update({ id, datetime: target, enforce_availability: true })
    expect(moved.body.data?.updateAppointment.messages).toBeNull()
    expect(Date.parse(moved.body.data?.updateAppointment.appointment?.date ?? '')).toBe(Date.parse(target))
    // Its own slot is offered again when asked on its behalf.
    const forReschedule = await slotsFor(provider('prac-1'), '2026-03-04', typeNamed('GP appointment'), {
      r: id,
    })
    expect(forReschedule.map((s) => s.date)).toContain(target)
    const taken = (await slotsFor(provider('prac-1'), '2026-03-04', typeNamed('GP appointment'))).map(
      (s) => s.date,
    )
    expect(taken).not.toContain(target)
    const clash = state.seedIds.appointments
      .map((a) => state.appointments.get(a))
      .find(
        (a) =>
          a?.providerId === provider('prac-1') &&
          a.pm_status === null &&
          a.startMs > Date.parse('2026-03-04T09:00:00Z'),
      )
    const refused = await update({
      id,
      datetime: new Date(clash?.startMs ?? 0).toISOString(),
      enforce_availability: true,
    })
    expect(refused.body.data?.updateAppointment.messages?.[0]?.field).toBe('datetime')
  })

  it('moves pm_status through Checked-In to Occurred and refuses changes out of a final status', async () => {
    const created = await create(gpBooking(await freeGpSlot(0)))
    const id = created.body.data?.createAppointment.appointment?.id
    const status = async (pm_status: string) => update({ id, pm_status })
    expect((await status('Checked-In')).body.data?.updateAppointment.appointment?.pm_status).toBe(
      'Checked-In',
    )
    expect((await status('Occurred')).body.data?.updateAppointment.appointment?.pm_status).toBe('Occurred')
    // Sending the same status again (a retry) is harmless.
    expect((await status('Occurred')).body.data?.updateAppointment.messages).toBeNull()
    const refused = await status('Cancelled')
    expect(refused.status).toBe(200)
    expect(refused.body.data?.updateAppointment).toEqual({
      appointment: null,
      messages: [{ field: 'pm_status', message: 'cannot change from Occurred to Cancelled' }],
    })
    expect((await status('Arrived')).body.data?.updateAppointment.messages?.[0]?.field).toBe('pm_status')

    state.options.strictPmStatusTransitions = false
    try {
      expect((await status('No-Show')).body.data?.updateAppointment.appointment?.pm_status).toBe('No-Show')
    } finally {
      state.options.strictPmStatusTransitions = true
    }
  })

  it('answers appointmentSetting only with an id or a provider_id, as the guide requires', async () => {
    type Setting = { appointmentSetting: { enable_checked_in_status: boolean } | null }
    const bare = await gql<Setting>('{ appointmentSetting { id enable_checked_in_status } }')
    expect(bare.body.errors?.[0]?.message).toBe('appointmentSetting needs an id or a provider_id')
    const byProvider = await gql<Setting>(
      'query($p: ID) { appointmentSetting(provider_id: $p) { id enable_checked_in_status } }',
      { p: provider('prac-1') },
    )
    expect(byProvider.body.errors).toBeUndefined()
    expect(byProvider.body.data?.appointmentSetting?.enable_checked_in_status).toBe(true)
  })

  it('refuses Checked-In when the organisation has not enabled it', async () => {
    const created = await create(gpBooking(await freeGpSlot(0)))
    const id = created.body.data?.createAppointment.appointment?.id
    state.options.checkInEnabled = false
    try {
      const res = await update({ id, pm_status: 'Checked-In' })
      expect(res.body.data?.updateAppointment.messages).toEqual([
        { field: 'pm_status', message: 'Checked-In is not enabled for this organization' },
      ])
    } finally {
      state.options.checkInEnabled = true
    }
    const cancelled = await update({
      id,
      pm_status: 'Cancelled',
      other_cancellation_reason: 'Patient called',
    })
    expect(cancelled.body.data?.updateAppointment.appointment?.pm_status).toBe('Cancelled')
  })

  it('soft-deletes with deleteAppointment: gone from lists, visible with include_deleted', async () => {
    const datetime = await freeGpSlot(0)
    const created = await create(gpBooking(datetime))
    const id = created.body.data?.createAppointment.appointment?.id
    const del = () =>
      gql<{ deleteAppointment: { appointment: Appointment | null; messages: FieldError[] | null } }>(
        `mutation($id: ID) { deleteAppointment(input: { id: $id }) { appointment { id deleted_at } messages { field message } } }`,
        { id },
      )
    const first = await del()
    expect(first.body.data?.deleteAppointment.messages).toBeNull()
    expect(first.body.data?.deleteAppointment.appointment?.deleted_at).toBe(START.toISOString())
    expect((await del()).body.data?.deleteAppointment.messages).toEqual([
      { field: 'id', message: 'Appointment not found' },
    ])

    const read = (include: boolean) =>
      gql<{ appointment: { id: string; deleted_at: string } | null }>(
        'query($id: ID, $d: Boolean) { appointment(id: $id, include_deleted: $d) { id deleted_at } }',
        { id, d: include },
      )
    expect((await read(false)).body.data?.appointment).toBeNull()
    expect((await read(true)).body.data?.appointment?.id).toBe(id)
    const list = await gql<{ appointments: Connection<{ id: string }> }>(
      `{ appointments(provider_id: "${provider('prac-1')}", startDate: "2026-03-04", endDate: "2026-03-04", with_all_statuses: true, first: 100) { nodes { id } } }`,
    )
    expect(list.body.data?.appointments.nodes.map((n) => n.id)).not.toContain(id)
    expect(
      (await slotsFor(provider('prac-1'), '2026-03-04', typeNamed('GP appointment'))).map((s) => s.date),
    ).toContain(datetime)
  })
})

describe('appointmentBookingWarnings', () => {
  const warnings = (vars: Record<string, unknown>) =>
    gql<{
      appointmentBookingWarnings: {
        category: string
        subtitle: string
        potential_issues: string[]
        potential_issue_ids: string[]
      }[]
    }>(
      `query($p: ID, $d: ISO8601DateTime, $t: String, $type: ID, $len: Int, $cur: String) {
        appointmentBookingWarnings(provider_id: $p, date: $d, time: $t, timezone: "Europe/London", appointment_type_id: $type, length_in_minutes: $len, current_appt_id: $cur) {
          category subtitle potential_issues potential_issue_ids } }`,
      vars,
    )

  it('reports Event Conflicts with the clashing appointment ids, and nothing for a free time', async () => {
    const clash = [...state.appointments.values()].find(
      (a) =>
        a.providerId === provider('prac-2') &&
        a.deleted_at === null &&
        a.pm_status === null &&
        a.startMs > START.getTime(),
    )
    if (!clash) throw new Error('seed')
    const local = new Date(clash.startMs)
    const date = local.toLocaleDateString('en-US', {
      month: 'long',
      day: 'numeric',
      year: 'numeric',
      timeZone: 'Europe/London',
    })
    const time = local
      .toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/London' })
      .replace(':', ' ')
    const res = await warnings({ p: provider('prac-2'), d: date, t: time, len: 10 })
    expect(res.status).toBe(200)
    const [w] = res.body.data?.appointmentBookingWarnings ?? []
    expect(w?.category).toBe('Event Conflicts')
    expect(w?.potential_issue_ids).toContain(clash.id)
    expect(w?.potential_issues.length).toBe(w?.potential_issue_ids.length)
    const self = await warnings({ p: provider('prac-2'), d: date, t: time, len: clash.length, cur: clash.id })
    expect(
      self.body.data?.appointmentBookingWarnings.flatMap((x) => x.potential_issue_ids) ?? [],
    ).not.toContain(clash.id)
    const quiet = await warnings({ p: provider('prac-2'), d: '2026-03-08', t: '03 00', len: 10 })
    expect(quiet.body.data?.appointmentBookingWarnings).toEqual([])
  })
})

describe('rate limit', () => {
  it('answers over the limit with TOO_MANY_REQUESTS and Retry-After, at 429 or (configured) 200', async () => {
    const c = new ManualClock(START)
    const s = await startHealthieSimulator(clinic, { clock: c, rateLimitPerMinute: 5 })
    try {
      const client = graphqlClient(s.url, () => ({
        authorization: `Basic ${s.credentials.apiKey}`,
        authorizationsource: 'API',
        'healthie-graphql-api-version': '2026-01-01',
      }))
      for (let i = 0; i < 5; i++) expect((await client('{ contactTypes }')).status).toBe(200)
      const limited = await client('{ contactTypes }')
      expect(limited.status).toBe(429)
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
      expect(limited.body).toEqual({
        errors: [
          {
            message: 'Too many requests. Please try again later.',
            extensions: { code: 'TOO_MANY_REQUESTS' },
          },
        ],
      })
      s.control.state.options.rateLimitHttpStatus = 200
      const as200 = await client('{ contactTypes }')
      expect(as200.status).toBe(200)
      expect(as200.body.errors?.[0]?.extensions?.code).toBe('TOO_MANY_REQUESTS')
    } finally {
      await s.close()
    }
  })
})

describe('faults, as a GraphQL client sees them', () => {
  it('reset after write: the connection drops, the appointment exists and the write is recorded', async () => {
    const datetime = await freeGpSlot(0)
    const before = sim.control.writes().length
    sim.control.inject({ kind: 'reset-after-write', count: 1 })
    await expect(create(gpBooking(datetime, { metadata: '{"clientRef":"fd-reset"}' }))).rejects.toThrow()
    const writes = sim.control.writes().slice(before)
    expect(writes).toEqual([expect.objectContaining({ operation: 'createAppointment', outcome: 'applied' })])
    const list = await gql<{ appointments: Connection<{ metadata: string }> }>(
      `{ appointments(provider_id: "${provider('prac-1')}", startDate: "2026-03-04", endDate: "2026-03-04", first: 100) { nodes { metadata } } }`,
    )
    expect(list.body.data?.appointments.nodes.map((n) => n.metadata)).toContain('{"clientRef":"fd-reset"}')
  })

  it('malformed body and a 503 as the client sees them', async () => {
    sim.control.inject({ kind: 'malformed', count: 1 })
    const res = await rawPost(sim.url, authHeaders(), JSON.stringify({ query: '{ contactTypes }' }))
    expect(res.status).toBe(200)
    expect(() => JSON.parse(res.text)).toThrow()
    sim.control.inject({ kind: 'status', status: 503, count: 1, scope: 'writes' })
    expect((await gql('{ contactTypes }')).status).toBe(200)
    const failed = await create(gpBooking(await freeGpSlot(0)))
    expect(failed.status).toBe(503)
  })

  it('offline refuses connections; back online answers on the same URL', async () => {
    await sim.control.setOffline(true)
    try {
      await expect(gql('{ contactTypes }')).rejects.toThrow()
    } finally {
      await sim.control.setOffline(false)
    }
    expect((await gql('{ contactTypes }')).status).toBe(200)
  })
})
