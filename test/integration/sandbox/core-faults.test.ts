import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ManualClock, type SimulatorHandle } from '../../../src/sandbox/core'
import { type HeimState, startHeimSimulator } from '../../../src/sandbox/heim'
import { type HeroState, startHeroSimulator } from '../../../src/sandbox/hero'
import { seedClinic } from '../../../src/sandbox/seed'
import { call, failure } from './client'

const clinic = seedClinic({ patients: 50, seed: 4, today: new Date('2026-03-30T09:00:00Z') })
let clock: ManualClock
let hero: SimulatorHandle<HeroState>
let headers: Record<string, string>

beforeEach(async () => {
  clock = new ManualClock(new Date('2026-03-30T09:00:00Z'))
  hero = await startHeroSimulator(clinic, { clock })
  headers = {
    'x-api-key': hero.credentials.apiKey!,
    'x-practice-group-id': hero.credentials.practiceGroupId!,
  }
})
afterEach(() => hero.close())

const me = (timeoutMs?: number) =>
  call(hero.url, 'GET', '/v1/me', { headers, ...(timeoutMs ? { timeoutMs } : {}) })
const trace = () => {
  const p = [...hero.control.state.patients.values()][0]!
  return call(hero.url, 'POST', '/v1/patients/register_pds', {
    headers,
    body: { nhs_number: p.nhs_number, dob: p.dob },
  })
}
const reserve = async () => {
  const slot = (
    await call(hero.url, 'GET', '/v1/slots?start_date=2026-03-31&end_date=2026-03-31&page_size=1', {
      headers,
    })
  ).body.data[0]
  return {
    slot,
    request: call(hero.url, 'POST', '/v1/appointments', { headers, body: { slot_id: slot.id } }),
  }
}

describe('fault injection', () => {
  it('adds latency to every request until cleared, without blocking other simulators', async () => {
    hero.control.inject({ kind: 'latency', ms: 150 })
    const t0 = Date.now()
    await Promise.all([me(), me(), me()])
    const slow = Date.now() - t0
    expect(slow).toBeGreaterThanOrEqual(140)
    // Concurrent requests wait side by side, not one after another.
    expect(slow).toBeLessThan(450)
    hero.control.clearFaults()
    const t1 = Date.now()
    await me()
    expect(Date.now() - t1).toBeLessThan(100)
  })

  it('fails the next N requests with 500/503 in the vendor’s error shape, then recovers', async () => {
    hero.control.inject({ kind: 'status', status: 503, count: 2 })
    expect(await me()).toMatchObject({ status: 503, body: { message: expect.any(String), statusCode: 503 } })
    expect((await me()).status).toBe(503)
    expect((await me()).status).toBe(200)
    hero.control.inject({ kind: 'status', status: 500, count: 1 })
    expect(await me()).toMatchObject({ status: 500, body: { statusCode: 500 } })
  })

  it('scopes a fault to writes only', async () => {
    hero.control.inject({ kind: 'status', status: 502, count: 1, scope: 'writes' })
    expect((await me()).status).toBe(200)
    expect((await trace()).status).toBe(502)
    expect((await trace()).status).toBe(200)
  })

  it('answers 429 with Retry-After when asked', async () => {
    hero.control.inject({ kind: 'rate-limit', retryAfterSeconds: 7, count: 1 })
    const r = await me()
    expect(r.status).toBe(429)
    expect(r.headers['retry-after']).toBe('7')
    expect(r.body).toEqual({ message: expect.any(String), statusCode: 429 })
  })

  it('resets the connection before a write: nothing applied, nothing recorded', async () => {
    const before = hero.control.state.appointments.size
    hero.control.inject({ kind: 'reset-before-write', count: 1 })
    const { request } = await reserve()
    const e = await failure(request)
    expect(e.code).toMatch(/UND_ERR_SOCKET|ECONNRESET/)
    expect(hero.control.state.appointments.size).toBe(before)
    expect(hero.control.writes()).toEqual([])
    // Reads are never reset by it, and the next write goes through.
    expect((await (await reserve()).request).status).toBe(201)
  })

  it('resets the connection after a write: applied and recorded, but the client only sees a socket error', async () => {
    const before = hero.control.state.appointments.size
    hero.control.inject({ kind: 'reset-after-write', count: 1 })
    const { slot, request } = await reserve()
    const e = await failure(request)
    expect(e.code).toMatch(/UND_ERR_SOCKET|ECONNRESET/)
    expect(hero.control.state.appointments.size).toBe(before + 1)
    expect(hero.control.writes()).toMatchObject([
      { seq: 1, operation: 'POST /v1/appointments', outcome: 'applied', input: { slot_id: slot.id } },
    ])
    const again = await call(hero.url, 'POST', '/v1/appointments', { headers, body: { slot_id: slot.id } })
    expect(again.status).toBe(409)
  })

  it('applies a write and then answers it with a server error', async () => {
    const before = hero.control.state.appointments.size
    hero.control.inject({ kind: 'error-after-write', status: 500, count: 1 })
    const { slot, request } = await reserve()
    expect((await request).status).toBe(500)
    expect(hero.control.state.appointments.size).toBe(before + 1)
    expect(hero.control.writes().at(-1)).toMatchObject({
      operation: 'POST /v1/appointments',
      outcome: 'applied',
      input: { slot_id: slot.id },
    })
  })

  it('hangs past a client’s timeout, then answers normally', async () => {
    hero.control.inject({ kind: 'hang', ms: 400, count: 1 })
    const e = await failure(me(100))
    expect(e.name).toMatch(/TimeoutError|AbortError/)
    expect((await me(1000)).status).toBe(200)
  })

  it('sends a 200 with a truncated JSON body', async () => {
    hero.control.inject({ kind: 'malformed', count: 1, scope: 'reads' })
    const r = await me()
    expect(r.status).toBe(200)
    expect(r.text.length).toBeGreaterThan(0)
    expect(() => JSON.parse(r.text)).toThrow()
    expect((await me()).body).toMatchObject({ name: clinic.name })
  })

  it('goes offline (connection refused) and comes back on the same port', async () => {
    const port = hero.port
    await hero.control.setOffline(true)
    expect(hero.control.isOffline()).toBe(true)
    expect((await failure(me())).code).toBe('ECONNREFUSED')
    await hero.control.setOffline(false)
    expect(hero.port).toBe(port)
    expect((await me()).status).toBe(200)
  })

  it('counts every request it receives', async () => {
    await me()
    await me()
    expect(hero.control.requestCount()).toBe(2)
  })
})

describe('rate limiter', () => {
  let heim: SimulatorHandle<HeimState>
  afterEach(() => heim?.close())

  it('answers 429 with Retry-After past the limit, and never to a client pacing itself at it', async () => {
    const limited = new ManualClock(new Date('2026-03-30T09:00:00Z'))
    heim = await startHeimSimulator(clinic, { clock: limited, rateLimitPerMinute: 30 })
    const h = { authorization: heim.credentials.apiKey! }
    // Pacing: one request every two seconds for three minutes.
    for (let i = 0; i < 90; i++) {
      expect((await call(heim.url, 'GET', '/v1/tasks', { headers: h })).status).toBe(200)
      limited.advance(2000)
    }
    // Bursting: a full minute's allowance is there, and the one after it is refused.
    limited.advance(60_000)
    for (let i = 0; i < 30; i++)
      expect((await call(heim.url, 'GET', '/v1/tasks', { headers: h })).status).toBe(200)
    const r = await call(heim.url, 'GET', '/v1/tasks', { headers: h })
    expect(r.status).toBe(429)
    expect(r.headers['retry-after']).toBe('2')
    expect(r.body).toEqual({ message: expect.any(String) })
    limited.advance(2000)
    expect((await call(heim.url, 'GET', '/v1/tasks', { headers: h })).status).toBe(200)
  })
})
