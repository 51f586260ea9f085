import { request } from 'node:http'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRuntime, type Runtime } from '../../../src/main/app/runtime'
import { startBrowserHost, type BrowserHost } from '../../../src/main/browser-host/server'
import { SESSION_COOKIE } from '../../../src/main/browser-host/guard'
import { silentLogger } from '../../../src/main/log/logger'
import { tempDir, testKeychainService } from '../../support/temp'

let runtime: Runtime
let host: BrowserHost
let cleanup: () => void

/** Raw HTTP so the test controls Host and Origin exactly, as an attacker's browser would. */
function raw(path: string, headers: Record<string, string>, method = 'GET', body?: string) {
  return new Promise<{ status: number; body: string; headers: Record<string, unknown> }>(
    (resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: host.port, path, method, headers }, (res) => {
        let data = ''
        res.on('data', (c) => (data += c))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: data, headers: res.headers }))
      })
      req.on('error', reject)
      if (body) req.write(body)
      req.end()
    },
  )
}

beforeAll(async () => {
  const t = tempDir()
  const renderer = join(t.dir, 'renderer')
  mkdirSync(join(renderer, 'assets'), { recursive: true })
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>Frontdesk</title>')
  writeFileSync(join(renderer, 'assets', 'app.js'), 'console.log(1)')
  writeFileSync(join(t.dir, 'secret.txt'), 'outside the renderer')
  runtime = await createRuntime({
    shell: 'browser',
    version: '9.9.9',
    dataDir: join(t.dir, 'data'),
    profile: 'demo',
    demoPatients: 30,
    log: silentLogger,
    keychainService: testKeychainService('host'),
  })
  host = await startBrowserHost({
    dispatch: runtime.dispatch,
    bus: runtime.bus,
    rendererDir: renderer,
    log: silentLogger,
  })
  cleanup = t.cleanup
})

afterAll(async () => {
  await host.close()
  await runtime.close()
  cleanup()
})

const hostHeader = () => `127.0.0.1:${host.port}`
const cookie = () => `${SESSION_COOKIE}=${host.token}`
const call = (name: string, input: unknown, headers: Record<string, string> = {}) =>
  raw(
    `/api/call/${name}`,
    { host: hostHeader(), 'content-type': 'application/json', ...headers },
    'POST',
    JSON.stringify(input),
  )

describe('the browser host', () => {
  it('listens on loopback only and prints a URL carrying the token', () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/?token=${host.token}`)
    expect(host.token.length).toBeGreaterThanOrEqual(32)
  })

  it('refuses a request without the token with 403', async () => {
    expect((await raw('/', { host: hostHeader() })).status).toBe(403)
    expect((await call('app.info', {})).status).toBe(403)
    expect((await call('app.info', {}, { cookie: `${SESSION_COOKIE}=wrong` })).status).toBe(403)
  })

  it('refuses a foreign Host (DNS rebinding) even with the token', async () => {
    const r = await call('app.info', {}, { host: `attacker.example:${host.port}`, cookie: cookie() })
    expect(r.status).toBe(403)
    expect(r.body).toContain('foreign Host')
  })

  it('refuses a foreign Origin (cross-site) even with the token', async () => {
    const r = await call('app.info', {}, { origin: 'https://attacker.example', cookie: cookie() })
    expect(r.status).toBe(403)
    expect(r.body).toContain('foreign Origin')
    const site = await call('app.info', {}, { 'sec-fetch-site': 'cross-site', cookie: cookie() })
    expect(site.status).toBe(403)
  })

  it('trades the URL token for an HttpOnly SameSite cookie and answers calls with it', async () => {
    const first = await raw(`/?token=${host.token}`, { host: hostHeader() })
    expect(first.status).toBe(303)
    expect(first.headers.location).toBe('/')
    expect(String(first.headers['set-cookie'])).toMatch(/HttpOnly; SameSite=Strict/)
    const page = await raw('/', { host: hostHeader(), cookie: cookie() })
    expect(page.status).toBe(200)
    expect(page.headers['content-security-policy']).toContain("default-src 'self'")
    const r = await call('app.info', {}, { cookie: cookie(), origin: `http://127.0.0.1:${host.port}` })
    expect(r.status).toBe(200)
    expect(JSON.parse(r.body)).toMatchObject({
      ok: true,
      value: { version: '9.9.9', shell: 'browser', demo: true },
    })
  })

  it('answers bad input as data, never as a crash', async () => {
    const bad = await raw('/api/call/app.info', { host: hostHeader(), cookie: cookie() }, 'POST', '{not json')
    expect(bad.status).toBe(400)
    expect(JSON.parse(bad.body)).toMatchObject({ ok: false, error: { code: 'invalid-input' } })
    const unknown = await call('app.format-disk', {}, { cookie: cookie() })
    expect(JSON.parse(unknown.body)).toMatchObject({ ok: false, error: { code: 'invalid-input' } })
  })

  it('serves only files inside the renderer folder', async () => {
    expect((await raw('/assets/app.js', { host: hostHeader(), cookie: cookie() })).status).toBe(200)
    expect((await raw('/../secret.txt', { host: hostHeader(), cookie: cookie() })).body).not.toContain(
      'outside',
    )
    expect((await raw('/%2e%2e/secret.txt', { host: hostHeader(), cookie: cookie() })).body).not.toContain(
      'outside',
    )
    expect((await raw('/assets/..%2f..%2fsecret.txt', { host: hostHeader(), cookie: cookie() })).status).toBe(
      404,
    )
  })

  it('streams events to the page as server-sent events', async () => {
    const received = new Promise<string>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: host.port,
          path: '/api/events',
          headers: { host: hostHeader(), cookie: cookie() },
        },
        (res) => {
          let data = ''
          res.on('data', (c) => {
            data += c
            if (data.includes('queueChanged')) {
              resolve(data)
              req.destroy()
            }
          })
        },
      )
      req.on('error', reject)
      req.end()
      setTimeout(
        () => runtime.bus.emit('queueChanged', { connectionId: 'c1', pending: 2, needsAttention: 0 }),
        200,
      )
    })
    const text = await received
    expect(text).toContain('event: queueChanged')
    expect(text).toContain('"pending":2')
  })
})
