import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSandbox, type Sandbox } from '../../../src/sandbox'
import { call, failure } from './client'

let sandbox: Sandbox
let admin: (method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown) => ReturnType<typeof call>

beforeAll(async () => {
  sandbox = await startSandbox({ patients: 50, seed: 6 })
  admin = (method, path, body) =>
    call(sandbox.admin.url, method, path, {
      headers: { 'x-admin-token': sandbox.admin.token },
      ...(body !== undefined ? { body } : {}),
    })
})
afterAll(() => sandbox.close())

const heroHeaders = () => ({
  'x-api-key': sandbox.hero.credentials.apiKey!,
  'x-practice-group-id': sandbox.hero.credentials.practiceGroupId!,
})
const heroMe = () => call(sandbox.hero.url, 'GET', '/v1/me', { headers: heroHeaders() })

describe('startSandbox', () => {
  it('starts four simulators on distinct loopback ports with one seeded clinic', () => {
    const urls = [
      sandbox.semble.url,
      sandbox.healthie.url,
      sandbox.hero.url,
      sandbox.heim.url,
      sandbox.admin.url,
    ]
    expect(new Set(urls).size).toBe(5)
    for (const u of urls) expect(u).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(sandbox.clinic.patients).toHaveLength(50)
    expect(sandbox.admin.token.length).toBeGreaterThanOrEqual(32)
  })
})

describe('admin server', () => {
  it('refuses a missing or wrong token with 403', async () => {
    expect((await call(sandbox.admin.url, 'GET', '/hero/writes')).status).toBe(403)
    const wrong = await call(sandbox.admin.url, 'POST', '/hero/offline', {
      headers: { 'x-admin-token': 'guess' },
    })
    expect(wrong.status).toBe(403)
    expect(sandbox.hero.control.isOffline()).toBe(false)
  })

  it('validates faults with a clear 400, and answers unknown vendors and routes with 404', async () => {
    const bad = await admin('POST', '/hero/faults', { kind: 'status', status: 418, count: 1 })
    expect(bad.status).toBe(400)
    expect(bad.body.message).toMatch(/^Invalid fault: status/)
    expect((await admin('POST', '/hero/faults', { kind: 'nope' })).status).toBe(400)
    const notJson = await call(sandbox.admin.url, 'POST', '/hero/faults', {
      headers: { 'x-admin-token': sandbox.admin.token },
      body: '{',
    })
    expect(notJson.status).toBe(400)
    expect(notJson.body.message).toMatch(/JSON fault/)
    expect((await admin('GET', '/acme/writes')).status).toBe(404)
    expect((await admin('GET', '/hero/teleport')).status).toBe(404)
  })

  it('injects and clears faults on a vendor', async () => {
    expect((await admin('POST', '/hero/faults', { kind: 'status', status: 503, count: 5 })).status).toBe(200)
    expect((await heroMe()).status).toBe(503)
    expect((await admin('DELETE', '/hero/faults')).status).toBe(200)
    expect((await heroMe()).status).toBe(200)
  })

  it('shows every write a vendor received', async () => {
    const p = sandbox.clinics.hero.patients[0]!
    await call(sandbox.hero.url, 'POST', '/v1/patients/register_pds', {
      headers: heroHeaders(),
      body: { nhs_number: p.nhsNumber, dob: '1900-01-01' },
    })
    const r = await admin('GET', '/hero/writes')
    expect(r.status).toBe(200)
    expect(r.body.writes.at(-1)).toMatchObject({
      operation: 'POST /v1/patients/register_pds',
      outcome: 'rejected',
    })
    expect(r.body.requestCount).toBeGreaterThan(0)
  })

  it('takes a vendor offline and back while the admin server stays up', async () => {
    expect((await admin('POST', '/heim/offline')).body).toEqual({ ok: true, offline: true })
    const heimHeaders = { authorization: sandbox.heim.credentials.apiKey! }
    expect((await failure(call(sandbox.heim.url, 'GET', '/v1/tasks', { headers: heimHeaders }))).code).toBe(
      'ECONNREFUSED',
    )
    expect((await admin('GET', '/')).body.vendors.heim.offline).toBe(true)
    expect((await admin('POST', '/heim/online')).body).toEqual({ ok: true, offline: false })
    expect((await call(sandbox.heim.url, 'GET', '/v1/tasks', { headers: heimHeaders })).status).toBe(200)
  })

  it('expires tokens on a vendor', async () => {
    expect((await admin('POST', '/hero/expire-tokens')).status).toBe(200)
    expect((await heroMe()).status).toBe(401)
  })
})

describe('admin server counts', () => {
  it('reports each simulator’s requests and the 429s its own limiter gave', async () => {
    const before = (await admin('GET', '/heim/counts')).body as { requests: number; rateLimited: number }
    const heimHeaders = { authorization: sandbox.heim.credentials.apiKey! }
    // Heim's simulator allows a minute's worth (the assumed 60) at once; the rest are refused.
    const statuses: number[] = []
    for (let i = 0; i < 70; i++)
      statuses.push((await call(sandbox.heim.url, 'GET', '/v1/tasks', { headers: heimHeaders })).status)
    const refused = statuses.filter((s) => s === 429).length
    expect(refused).toBeGreaterThan(0)
    const after = await admin('GET', '/heim/counts')
    expect(after.status).toBe(200)
    expect(after.body).toEqual({ requests: before.requests + 70, rateLimited: before.rateLimited + refused })
    expect((await admin('GET', '/')).body.vendors.heim).toMatchObject(after.body as object)
  })
})
