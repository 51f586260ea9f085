/**
 * The browser host's route: no proxy set anywhere but HTTPS_PROXY / NO_PROXY in the environment
 * (undici's EnvHttpProxyAgent), and a CA trusted through NODE_EXTRA_CA_CERTS, which a trust list
 * built by hand must keep.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { defaultTimeouts, HttpClient } from '../../../src/main/vendors/http/client'
import { silentLogger } from '../../../src/main/log/logger'
import { VendorNetwork } from '../../../src/main/network/routes'
import { buildTrustStore } from '../../../src/main/network/trust'
import { createAdapter } from '../../../src/main/vendors/registry'
import { seedClinic, startHeroSimulator, type HeroState, type SimulatorHandle } from '../../../src/sandbox'
import { serveOverTls, type TlsFront } from '../../../src/sandbox/core/server'
import type { Connection } from '../../../src/shared/model'
import { tempDir } from '../../support/temp'
import { makeCa, startConnectProxy, type TestCa, type TestProxy } from './support'

let ca: TestCa
let sim: SimulatorHandle<HeroState>
let front: TlsFront
let proxy: TestProxy
const cleanups: (() => void | Promise<void>)[] = []

function hero(host: string, http: HttpClient) {
  const connection: Connection = {
    id: `hero-${host}`,
    vendor: 'hero',
    label: 'Hero',
    baseUrl: `https://${host}:${front.port}`,
    timeZone: 'Europe/London',
    locale: 'en-GB',
    options: { practiceGroupId: sim.credentials.practiceGroupId! },
    demo: false,
  }
  return createAdapter(connection, {
    http,
    readCredentials: async () => ({ apiKey: sim.credentials.apiKey! }),
    log: silentLogger,
  })
}

beforeAll(async () => {
  const dir = tempDir('frontdesk-ca-')
  cleanups.push(dir.cleanup)
  ca = makeCa(dir.dir, 'Extra CA From The Environment')
  sim = await startHeroSimulator(seedClinic({ patients: 10, today: new Date(), timeZone: 'Europe/London' }))
  front = await serveOverTls(sim, { key: ca.key, cert: ca.cert })
  proxy = await startConnectProxy()
  cleanups.push(
    () => sim.close(),
    () => front.close(),
    () => proxy.close(),
  )
}, 30_000)

afterAll(async () => {
  for (const c of cleanups.reverse()) await c()
})

describe('the environment decides when nothing else does', () => {
  it('sends through HTTPS_PROXY, skips hosts in NO_PROXY, and trusts NODE_EXTRA_CA_CERTS', async () => {
    const env = { HTTPS_PROXY: proxy.url, NO_PROXY: 'localhost', NODE_EXTRA_CA_CERTS: ca.caFile }
    const network = new VendorNetwork(defaultTimeouts, { trust: buildTrustStore({ env }), env })
    const http = new HttpClient({ network })
    try {
      await expect(hero('127.0.0.1', http).testConnection()).resolves.toMatchObject({ ok: true })
      expect(proxy.connects).toEqual([`127.0.0.1:${front.port}`])
      await expect(hero('localhost', http).testConnection()).resolves.toMatchObject({ ok: true })
      // localhost went direct: the proxy saw nothing more.
      expect(proxy.connects).toEqual([`127.0.0.1:${front.port}`])
    } finally {
      await http.close()
    }
  })

  it('without NODE_EXTRA_CA_CERTS the same CA is not trusted', async () => {
    const env = { HTTPS_PROXY: proxy.url }
    const network = new VendorNetwork(defaultTimeouts, { trust: buildTrustStore({ env }), env })
    const http = new HttpClient({ network })
    try {
      await expect(hero('localhost', http).testConnection()).rejects.toThrow(
        /does not trust the certificate presented for localhost:\d+ through the proxy .*Extra CA From The Environment/,
      )
    } finally {
      await http.close()
    }
  })
})
