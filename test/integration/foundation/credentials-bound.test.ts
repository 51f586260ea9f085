/**
 * Credentials belong to the address they were entered for: changing a connection's scheme, host
 * or port deletes them, and nothing is sent to the new address (a recording server proves it).
 * And each vendor's adapter sends them only to that vendor's known hosts.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRuntime, type Runtime } from '../../../src/main/app/runtime'
import type { Connection } from '../../../src/shared/model'
import { addressOf } from '../../../src/main/store/connections-repo'
import { knownHosts, vendorAddressProblem } from '../../../src/main/vendors/known-hosts'
import { silentLogger } from '../../../src/main/log/logger'
import { tempDir, testKeychainService } from '../../support/temp'

let runtime: Runtime
let recorder: Server
let recorderUrl: string
const seen: IncomingHttpHeaders[] = []
let cleanup: () => void

beforeAll(async () => {
  const t = tempDir()
  cleanup = t.cleanup
  runtime = await createRuntime({
    shell: 'browser',
    version: '9.9.9',
    dataDir: join(t.dir, 'data'),
    profile: 'demo',
    demoPatients: 10,
    log: silentLogger,
    keychainService: testKeychainService('bound'),
  })
  // Another server on another port, recording every header it is sent.
  recorder = createServer((req, res) => {
    seen.push(req.headers)
    res.writeHead(401, { 'Content-Type': 'application/json' })
    res.end('{"error":"unauthorised"}')
  })
  await new Promise<void>((ok) => recorder.listen(0, '127.0.0.1', ok))
  recorderUrl = `http://127.0.0.1:${(recorder.address() as AddressInfo).port}/v1/`
})

afterAll(async () => {
  await runtime.close()
  await new Promise((ok) => recorder.close(ok))
  cleanup()
})

const call = async <T>(name: string, input: unknown): Promise<T> => {
  const r = (await runtime.dispatch(name, input)) as { ok: boolean; value: T; error?: unknown }
  expect(r.ok, JSON.stringify(r.error)).toBe(true)
  return r.value
}

describe('credentials bound to their address', () => {
  it('compares scheme, host and port, with default ports made explicit', () => {
    expect(addressOf('https://api.heim.health/v1/')).toBe('https://api.heim.health:443')
    expect(addressOf('https://API.heim.health:443/other')).toBe('https://api.heim.health:443')
    expect(addressOf('http://api.heim.health/v1/')).not.toBe(addressOf('https://api.heim.health/v1/'))
    expect(addressOf('https://api.heim.health:8443/')).not.toBe(addressOf('https://api.heim.health/'))
  })

  it('keeps them while only the path or label changes', async () => {
    const heim = (await call<Connection[]>('connections.list', {})).find((c) => c.vendor === 'heim')!
    const before = await call<{ complete: boolean }>('credentials.status', { connectionId: heim.id })
    expect(before.complete).toBe(true)
    const { id, vendor, timeZone, locale, options } = heim
    await call('connections.save', {
      id,
      vendor,
      timeZone,
      locale,
      options,
      label: 'Renamed',
      baseUrl: heim.baseUrl,
    })
    expect((await call<{ complete: boolean }>('credentials.status', { connectionId: id })).complete).toBe(
      true,
    )
    expect((await call<{ ok: boolean }>('credentials.test', { connectionId: id })).ok).toBe(true)
  })

  it('deletes them when the port changes, and sends no key to the new address', async () => {
    const heim = (await call<Connection[]>('connections.list', {})).find((c) => c.vendor === 'heim')!
    const key = (await runtime.dispatch('credentials.status', { connectionId: heim.id })) as {
      value: { present: string[] }
    }
    expect(key.value.present).toEqual(['apiKey'])
    const { id, vendor, timeZone, locale, options, label } = heim
    await call('connections.save', { id, vendor, timeZone, locale, options, label, baseUrl: recorderUrl })

    const status = await call<{ present: string[]; complete: boolean }>('credentials.status', {
      connectionId: id,
    })
    expect(status).toMatchObject({ present: [], complete: false })
    await runtime.dispatch('credentials.test', { connectionId: id })
    for (const headers of seen) {
      expect(headers.authorization).toBeUndefined()
      expect(JSON.stringify(headers)).not.toMatch(/test_|live_/)
    }

    // New credentials for the new address are sent there.
    await call('credentials.set', { connectionId: id, fields: { apiKey: 'test_new-for-recorder' } })
    await runtime.dispatch('credentials.test', { connectionId: id })
    expect(seen.map((h) => h.authorization)).toContain('test_new-for-recorder')
  })
})

describe("each vendor's known hosts", () => {
  it('lists the documented hosts, and allows test addresses only when marked', () => {
    const heim = { vendor: 'heim' as const, demo: false, options: {} }
    expect(vendorAddressProblem({ ...heim, baseUrl: 'https://api.heim.health/v1/' })).toBeNull()
    expect(vendorAddressProblem({ ...heim, baseUrl: 'https://API.HEIM.HEALTH/v1/' })).toBeNull()
    expect(vendorAddressProblem({ ...heim, baseUrl: 'https://api.heim.health.evil.example/v1/' })).toMatch(
      /not one of this clinic system's addresses/,
    )
    expect(vendorAddressProblem({ ...heim, baseUrl: 'https://open.semble.io/graphql' })).not.toBeNull()
    expect(
      vendorAddressProblem({ ...heim, baseUrl: 'https://staging.example/', options: { sandbox: 'true' } }),
    ).toBeNull()
    expect(vendorAddressProblem({ ...heim, baseUrl: 'https://staging.example/', demo: true })).toBeNull()
    expect(knownHosts.healthie).toContain('staging-api.gethealthie.com')
    expect(knownHosts.hero).toContain('api.staging.htech.app')
    expect(knownHosts.semble).toEqual(['open.semble.io'])
  })

  it('sends nothing, not even a connection, to an address outside them', async () => {
    let connections = 0
    const stranger = createServer((_req, res) => res.end())
    stranger.on('connection', () => connections++)
    await new Promise<void>((ok) => stranger.listen(0, '127.0.0.2', ok))
    try {
      const port = (stranger.address() as AddressInfo).port
      const saved = await call<Connection>('connections.save', {
        vendor: 'heim',
        label: 'Not Heim',
        baseUrl: `https://127.0.0.2:${port}/v1/`,
        timeZone: 'Europe/London',
      })
      await call('credentials.set', { connectionId: saved.id, fields: { apiKey: 'live_0123456789abcdef' } })
      const check = await call<{ ok: boolean; detail: string }>('credentials.test', {
        connectionId: saved.id,
      })
      expect(check.ok).toBe(false)
      expect(check.detail).toMatch(/127\.0\.0\.2 is not one of this clinic system's addresses/)
      expect(connections).toBe(0)
    } finally {
      await new Promise((ok) => stranger.close(ok))
    }
  })
})
