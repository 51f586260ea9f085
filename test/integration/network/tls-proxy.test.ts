/**
 * Vendor traffic on a clinic network: the four simulators over HTTPS with a certificate from a
 * throwaway CA, reached through a forward proxy on loopback. The CA is trusted only the way
 * Frontdesk trusts certificates (here: the extra CA file of managed settings). Without it, and
 * with a proxy that refuses or wants a sign-in, the connection's status says what is wrong.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRuntime, type Runtime } from '../../../src/main/app/runtime'
import { demoConnections } from '../../../src/main/app/demo'
import { silentLogger } from '../../../src/main/log/logger'
import { proxyPasswordAccount } from '../../../src/main/network/routes'
import { buildTrustStore } from '../../../src/main/network/trust'
import { startSandbox, type Sandbox } from '../../../src/sandbox'
import { serveOverTls, type TlsFront } from '../../../src/sandbox/core/server'
import type { ConnectionCheck } from '../../../src/shared/contract'
import { type Connection, type Vendor, vendors } from '../../../src/shared/model'
import { tempDir, testKeychainService } from '../../support/temp'
import { makeCa, startConnectProxy, type TestCa, type TestProxy } from './support'

const ISSUER = 'Clinic Network Inspection CA'
let ca: TestCa
let sandbox: Sandbox
const fronts: Partial<Record<Vendor, TlsFront>> = {}
let proxy: TestProxy
let refusing: TestProxy
let signIn: TestProxy
const cleanups: (() => void | Promise<void>)[] = []

async function runtime(name: string, network: Parameters<typeof createRuntime>[0]['network']) {
  const t = tempDir()
  const rt = await createRuntime({
    shell: 'browser',
    version: 'test',
    dataDir: t.dir,
    profile: 'clinic',
    log: silentLogger,
    keychainService: testKeychainService(`network-${name}`),
    startSync: false,
    backgroundRefresh: false,
    ...(network ? { network } : {}),
  })
  cleanups.push(async () => {
    await rt.close()
    t.cleanup()
  })
  return rt
}

/** The four vendors' connections, at their HTTPS addresses, with their test credentials. */
async function addVendors(rt: Runtime, options: Record<string, string> = {}, suffix = '') {
  for (const { connection, secrets } of demoConnections(sandbox)) {
    const plain = new URL(connection.baseUrl)
    const tls = new URL(fronts[connection.vendor]!.url)
    plain.protocol = tls.protocol
    plain.port = tls.port
    const c: Connection = {
      ...connection,
      id: `${connection.vendor}${suffix}`,
      baseUrl: plain.href,
      options: { ...connection.options, ...options },
      demo: false,
    }
    rt.connections.upsert(c)
    await rt.credentials.set(c.id, secrets)
  }
}

async function check(rt: Runtime, connectionId: string): Promise<ConnectionCheck> {
  const r = await rt.dispatch('credentials.test', { connectionId })
  if (!r.ok) throw new Error(`credentials.test: ${r.error.message}`)
  return r.value as ConnectionCheck
}

beforeAll(async () => {
  const dir = tempDir('frontdesk-ca-')
  cleanups.push(dir.cleanup)
  ca = makeCa(dir.dir, ISSUER)
  sandbox = await startSandbox({ patients: 30 })
  cleanups.push(() => sandbox.close())
  for (const v of vendors) {
    const front = await serveOverTls(sandbox[v], { key: ca.key, cert: ca.cert })
    fronts[v] = front
    cleanups.push(() => front.close())
  }
  proxy = await startConnectProxy()
  refusing = await startConnectProxy({ refuse: 403 })
  signIn = await startConnectProxy({ basic: { username: 'frontdesk', password: 'proxy-pass-9' } })
  for (const p of [proxy, refusing, signIn]) cleanups.push(() => p.close())
}, 60_000)

afterAll(async () => {
  for (const c of cleanups.reverse()) await c()
})

describe('four vendors over TLS through a proxy', () => {
  it('connects each vendor through the managed proxy, trusting the CA from the managed extra CA file', async () => {
    const rt = await runtime('trusted', {
      trust: buildTrustStore({ extraCaFile: ca.caFile }),
      managedProxy: { mode: 'fixed', url: proxy.url },
      env: {},
    })
    await addVendors(rt)
    for (const v of vendors) {
      const result = await check(rt, v)
      expect(result, `${v}: ${result.detail}`).toMatchObject({ ok: true })
      const ref = await rt.dispatch('reference.get', { connectionId: v })
      expect(ref.ok, `${v}: ${JSON.stringify(ref)}`).toBe(true)
    }
    // Every request went through the proxy, tunnelled to the vendors' TLS addresses.
    for (const v of vendors) expect(proxy.connects).toContain(`127.0.0.1:${fronts[v]!.port}`)
  })

  it('says which host, which issuer and what to ask IT for when the CA is not trusted', async () => {
    const rt = await runtime('untrusted', {
      trust: buildTrustStore(),
      managedProxy: { mode: 'fixed', url: proxy.url },
      env: {},
    })
    await addVendors(rt)
    for (const v of vendors) {
      const result = await check(rt, v)
      expect(result.ok).toBe(false)
      expect(result.detail).toContain(`127.0.0.1:${fronts[v]!.port}`)
      expect(result.detail).toContain(ISSUER)
      expect(result.detail).toMatch(/ask IT to install its root certificate/)
      expect(result.detail).toContain(`through the proxy ${new URL(proxy.url).host}`)
    }
  })

  it('says the proxy refused, naming the proxy and the host', async () => {
    const rt = await runtime('refused', { trust: buildTrustStore({ extraCaFile: ca.caFile }), env: {} })
    await addVendors(rt, { proxyUrl: refusing.url })
    const result = await check(rt, 'hero')
    expect(result.ok).toBe(false)
    expect(result.detail).toBe(
      `The proxy ${new URL(refusing.url).host} refused to connect Frontdesk to 127.0.0.1:${fronts.hero!.port} (HTTP 403). Ask IT to allow 127.0.0.1:${fronts.hero!.port} through the proxy.`,
    )
  })

  it('says the proxy is not there when nothing listens at its address', async () => {
    const gone = await startConnectProxy()
    await gone.close()
    const rt = await runtime('gone', {
      trust: buildTrustStore({ extraCaFile: ca.caFile }),
      managedProxy: { mode: 'fixed', url: gone.url },
      env: {},
    })
    await addVendors(rt)
    const result = await check(rt, 'heim')
    expect(result.ok).toBe(false)
    expect(result.detail).toContain(`Cannot reach the proxy ${new URL(gone.url).host} (ECONNREFUSED)`)
  })

  it('signs in to a Basic proxy with the password from the keychain, and says so plainly when it has none', async () => {
    const rt = await runtime('basic', { trust: buildTrustStore({ extraCaFile: ca.caFile }), env: {} })
    await addVendors(rt, { proxyUrl: signIn.url, proxyUsername: 'frontdesk' })
    const without = await check(rt, 'semble')
    expect(without.ok).toBe(false)
    expect(without.detail).toContain('(HTTP 407)')
    expect(without.detail).toContain('NTLM and Kerberos (Windows sign-in) are not supported')

    const refused = await rt.dispatch('proxy.setPassword', { scope: 'hero-no-user', password: 'x' })
    expect(refused).toMatchObject({ ok: false, error: { code: 'invalid-input' } })
    const set = await rt.dispatch('proxy.setPassword', { scope: 'semble', password: 'proxy-pass-9' })
    expect(set).toMatchObject({ ok: true })
    const withPassword = await check(rt, 'semble')
    expect(withPassword, withPassword.detail).toMatchObject({ ok: true })
    expect(signIn.authorizations).toContain(
      `Basic ${Buffer.from('frontdesk:proxy-pass-9').toString('base64')}`,
    )
    await rt.secrets.delete(proxyPasswordAccount('semble'))
  })
})
