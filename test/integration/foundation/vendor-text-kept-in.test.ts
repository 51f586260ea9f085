/**
 * What a clinic system says stays in the main process: an error page that echoes the request (its
 * API key included) reaches neither the receptionist's screen nor the log, and a connection's
 * address never holds a password. Real parts only: an encrypted store, the throwaway keychain, the
 * real HTTP client and adapter, and a loopback server playing a broken clinic system.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createRuntime, type Runtime } from '../../../src/main/app/runtime'
import { createLogger } from '../../../src/main/log/logger'
import { tempDir, testKeychainService } from '../../support/temp'

const API_KEY = 'live_9f8e7d6c5b4a3f2e1d0cAbCd'

interface Hostile {
  server: Server
  url: string
  close(): Promise<void>
}

/**
 * A clinic system behind a proxy that answers every request with an HTML error page (400), one that
 * echoes the request's headers back, as many gateways and debug pages do, and is long.
 */
async function hostileVendor(): Promise<Hostile> {
  const server = createServer((req, res) => {
    const echoed = Object.entries(req.headers)
      .map(([k, v]) => `<tr><td>${k}</td><td>${String(v)}</td></tr>`)
      .join('')
    const html =
      `<!DOCTYPE html><html><head><title>400 Bad Request</title></head><body>` +
      `<h1>Bad Request</h1><table>${echoed}</table>` +
      `<pre>${'x'.repeat(200_000)}</pre></body></html>`
    res.writeHead(400, { 'content-type': 'text/html' })
    res.end(html)
  })
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok))
  const port = (server.address() as AddressInfo).port
  return {
    server,
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections()
        server.close(() => ok())
      }),
  }
}

const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!()
})

async function clinic(name: string): Promise<{ rt: Runtime; logFile: string }> {
  const t = tempDir()
  const logFile = join(t.dir, 'logs', 'frontdesk.log')
  const rt = await createRuntime({
    shell: 'browser',
    version: name,
    dataDir: t.dir,
    profile: 'clinic',
    log: createLogger({ file: logFile, level: 'debug', stderr: false }),
    logFile,
    keychainService: testKeychainService(name),
    startSync: false,
    backgroundRefresh: false,
  })
  cleanups.push(t.cleanup)
  cleanups.push(() => rt.close())
  return { rt, logFile }
}

/** A key of no shape the redaction knows (no prefix, not hex, short of 40 characters). */
const SHAPELESS_KEY = 'Zq7Lm2Pw9Xc4Rv8Tn3HsKd6J'

async function heimConnection(rt: Runtime, vendorUrl: string, apiKey = API_KEY): Promise<string> {
  const saved = await rt.dispatch('connections.save', {
    id: 'heim-hostile',
    vendor: 'heim',
    label: 'Heim',
    baseUrl: vendorUrl,
    timeZone: 'Europe/London',
    options: { rateLimitPerMinute: '100000' },
  })
  expect(saved.ok).toBe(true)
  const creds = await rt.dispatch('credentials.set', {
    connectionId: 'heim-hostile',
    fields: { apiKey },
  })
  expect(creds.ok).toBe(true)
  return 'heim-hostile'
}

describe('a clinic system that answers an error as an HTML page echoing the request', () => {
  it('never puts the vendor page, or the API key it echoes, into the answer the renderer gets', async () => {
    const vendor = await hostileVendor()
    cleanups.push(vendor.close)
    const { rt } = await clinic('error-page-renderer')
    const connectionId = await heimConnection(rt, vendor.url)

    const r = await rt.dispatch('slots.find', {
      connectionId,
      appointmentTypeRef: 'tsk_home_visit',
      from: '2026-03-30T08:00:00Z',
      days: 1,
    })
    expect(r.ok).toBe(false)
    if (r.ok) return
    // The receptionist's message: no credential, no markup, no 200 KB page.
    const m = r.error.message
    expect(m.includes(API_KEY), 'the answer to the renderer holds the API key').toBe(false)
    expect(m.includes('<html'), 'the answer to the renderer holds the vendor page').toBe(false)
    expect(m.length, 'length of the message for the receptionist').toBeLessThan(500)
  })

  it('never writes the vendor page, or the API key it echoes, to the log', async () => {
    const vendor = await hostileVendor()
    cleanups.push(vendor.close)
    const { rt, logFile } = await clinic('error-page-log')
    const connectionId = await heimConnection(rt, vendor.url)

    // Reference data that cannot be read is logged and the copy (empty) answered.
    const r = await rt.dispatch('reference.get', { connectionId })
    expect(r.ok).toBe(true)
    const log = readFileSync(logFile, 'utf8')
    expect(log).toContain('could not fetch reference data')
    expect(log.includes(API_KEY), 'the log holds the API key').toBe(false)
    expect(log.includes('<html'), 'the log holds the vendor page').toBe(false)
  })
})

describe('a clinic system that echoes a key of no known shape', () => {
  it('never keeps it in the database, however it echoes it', async () => {
    const vendor = await hostileVendor()
    cleanups.push(vendor.close)
    const { rt } = await clinic('error-page-database')
    const connectionId = await heimConnection(rt, vendor.url, SHAPELESS_KEY)
    const created = await rt.dispatch('patients.create', {
      connectionId,
      patient: { givenName: 'Ada', familyName: 'Lovelace', birthDate: '1961-04-12' },
    })
    expect(created.ok, JSON.stringify(created)).toBe(true)
    await rt.sync.drain(connectionId)
    expect(rt.outbox.errors(), 'the refused change is kept with what the vendor said').toHaveLength(1)
    const stored = JSON.stringify([
      rt.db.prepare(`SELECT * FROM outbox`).all(),
      rt.db.prepare(`SELECT * FROM audit_log`).all(),
    ])
    expect(stored).toContain('Bad Request')
    expect(stored.includes(SHAPELESS_KEY), 'the database holds the API key').toBe(false)
  })
})

describe('a GraphQL clinic system that answers with part of the data and its reasons for the rest', () => {
  it('never writes its reasons, which may quote a patient, to the log', async () => {
    const server = createServer((req, res) => {
      req.resume()
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json' })
        res.end(
          JSON.stringify({
            data: { appointmentTypes: [] },
            errors: [
              {
                message: 'Not authorised to read contact_number of Zanzibar Quuxley (born 1961-04-12)',
                path: ['appointmentTypes', 0, 'contact_number'],
              },
            ],
          }),
        )
      })
    })
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok))
    cleanups.push(
      () =>
        new Promise<void>((ok) => {
          server.closeAllConnections()
          server.close(() => ok())
        }),
    )
    const { rt, logFile } = await clinic('graphql-partial-log')
    const saved = await rt.dispatch('connections.save', {
      id: 'healthie-partial',
      vendor: 'healthie',
      label: 'Healthie',
      baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
      timeZone: 'Europe/London',
      options: { rateLimitPerMinute: '100000' },
    })
    expect(saved.ok, JSON.stringify(saved)).toBe(true)
    expect(
      (
        await rt.dispatch('credentials.set', {
          connectionId: 'healthie-partial',
          fields: { apiKey: API_KEY },
        })
      ).ok,
    ).toBe(true)

    await rt.dispatch('reference.get', { connectionId: 'healthie-partial' })
    const log = readFileSync(logFile, 'utf8')
    expect(log).toContain('vendor partial data')
    expect(log).toContain('contact_number')
    expect(log.includes('Zanzibar'), 'the log holds the vendor’s words about a patient').toBe(false)
    expect(log.includes('1961-04-12'), 'the log holds a date of birth').toBe(false)
  })
})

describe('connections.save', () => {
  it('refuses an address with a sign-in name and password in it, rather than keeping the password in the database and showing it to the renderer', async () => {
    const { rt } = await clinic('address-userinfo')
    const password = 'Sup3rSecretProxyPass'
    const r = await rt.dispatch('connections.save', {
      vendor: 'heim',
      label: 'Heim',
      baseUrl: `https://frontdesk:${password}@api.heim.health/v1`,
      timeZone: 'Europe/London',
    })
    const listed = await rt.dispatch('connections.list', {})
    const shown = JSON.stringify(listed)
    expect(r.ok).toBe(false)
    if (r.ok) return
    expect(r.error.field).toBe('baseUrl')
    expect(r.error.message).toMatch(/sign-in name and password/)
    expect(shown).not.toContain(password)
  })
})
