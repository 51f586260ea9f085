import { request } from 'node:http'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRuntime, type Runtime } from '../../../src/main/app/runtime'
import { startBrowserHost, type BrowserHost } from '../../../src/main/browser-host/server'
import { TOKEN_HEADER } from '../../../src/main/browser-host/guard'
import { silentLogger } from '../../../src/main/log/logger'
import { tempDir, testKeychainService } from '../../support/temp'
import { apiCall, exchange, jsonBody, openSocket } from './raw-socket'

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
const auth = () => ({ [TOKEN_HEADER]: host.token })
const call = (name: string, input: unknown, headers: Record<string, string> = {}) =>
  raw(
    `/api/call/${name}`,
    { host: hostHeader(), 'content-type': 'application/json', ...headers },
    'POST',
    JSON.stringify(input),
  )
const healthy = async () => {
  const r = await apiCall(host.port, host.token, 'app.health')
  return r.status === 200 && (jsonBody(r) as { ok: boolean }).ok
}

describe('the browser host', () => {
  it('listens on loopback only and prints a URL carrying the token', () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/?token=${host.token}`)
    expect(host.token.length).toBeGreaterThanOrEqual(32)
  })

  it('refuses an API call without the token, or with a wrong one, with 403', async () => {
    expect((await call('app.info', {})).status).toBe(403)
    expect((await call('app.info', {}, { [TOKEN_HEADER]: 'wrong' })).status).toBe(403)
    expect((await raw('/api/events', { host: hostHeader() })).status).toBe(403)
  })

  it('takes the token from the header only: not from the query, not from a cookie', async () => {
    expect((await call(`app.info?token=${host.token}`, {})).status).toBe(403)
    const cookie = `frontdesk_session=${host.token}; token=${host.token}`
    expect((await call('app.info', {}, { cookie })).status).toBe(403)
    // Loading the page sets no cookie (cookies ignore ports: one would reach every 127.0.0.1 server).
    const page = await raw(`/?token=${host.token}`, { host: hostHeader() })
    expect(page.status).toBe(200)
    expect(page.headers['set-cookie']).toBeUndefined()
  })

  it('refuses a foreign Host (DNS rebinding) even with the token, for pages and calls', async () => {
    const r = await call('app.info', {}, { host: `attacker.example:${host.port}`, ...auth() })
    expect(r.status).toBe(403)
    expect(r.body).toContain('foreign Host')
    expect((await raw('/', { host: `attacker.example:${host.port}` })).status).toBe(403)
  })

  it('refuses a foreign Origin (cross-site) even with the token', async () => {
    const r = await call('app.info', {}, { origin: 'https://attacker.example', ...auth() })
    expect(r.status).toBe(403)
    expect(r.body).toContain('foreign Origin')
    const site = await call('app.info', {}, { 'sec-fetch-site': 'cross-site', ...auth() })
    expect(site.status).toBe(403)
  })

  it('serves the page with its CSP and answers calls carrying the token header', async () => {
    const page = await raw('/', { host: hostHeader() })
    expect(page.status).toBe(200)
    expect(page.headers['content-security-policy']).toContain("default-src 'self'")
    const r = await call('app.info', {}, { ...auth(), origin: `http://127.0.0.1:${host.port}` })
    expect(r.status).toBe(200)
    expect(JSON.parse(r.body)).toMatchObject({
      ok: true,
      value: { version: '9.9.9', shell: 'browser', demo: true },
    })
  })

  it('answers bad input as data, never as a crash', async () => {
    const bad = await call('app.info', undefined, auth())
    expect(bad.status).toBe(200)
    const notJson = await raw(
      '/api/call/app.info',
      { host: hostHeader(), 'content-type': 'application/json', ...auth() },
      'POST',
      '{not json',
    )
    expect(notJson.status).toBe(400)
    expect(JSON.parse(notJson.body)).toMatchObject({ ok: false, error: { code: 'invalid-input' } })
    const unknown = await call('app.format-disk', {}, auth())
    expect(JSON.parse(unknown.body)).toMatchObject({ ok: false, error: { code: 'invalid-input' } })
  })

  it('accepts only POST with Content-Type: application/json on the API, GET only on events', async () => {
    const get = await raw('/api/call/app.info', { host: hostHeader(), ...auth() })
    expect(get.status).toBe(405)
    expect(get.headers.allow).toBe('POST')
    const text = await raw(
      '/api/call/app.info',
      { host: hostHeader(), 'content-type': 'text/plain', ...auth() },
      'POST',
      '{}',
    )
    expect(text.status).toBe(415)
    const form = await raw(
      '/api/call/app.info',
      { host: hostHeader(), 'content-type': 'application/x-www-form-urlencoded', ...auth() },
      'POST',
      '{}',
    )
    expect(form.status).toBe(415)
    for (const method of ['POST', 'PUT', 'DELETE']) {
      const r = await raw('/api/events', { host: hostHeader(), ...auth() }, method)
      expect(r.status, method).toBe(405)
    }
    expect((await raw('/api/nothing', { host: hostHeader(), ...auth() }, 'POST')).status).toBe(404)
    expect((await raw('/', { host: hostHeader() }, 'DELETE')).status).toBe(405)
  })

  it('survives the probes from the report: `GET //`, `GET ///`, a broken percent-escape', async () => {
    for (const target of ['//', '///', '//evil.example/x', '*', 'http://127.0.0.1/']) {
      const r = await exchange(host.port, `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${host.port}\r\n\r\n`)
      expect(r.hung, target).toBe(false)
      expect([200, 400, 404], target).toContain(r.status)
      expect(await healthy()).toBe(true)
    }
    const broken = await exchange(
      host.port,
      `POST /api/call/%E0%A4%A HTTP/1.1\r\nHost: 127.0.0.1:${host.port}\r\nX-Frontdesk-Token: ${host.token}\r\n` +
        `Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}`,
    )
    expect(broken.status).toBe(400)
    expect(await healthy()).toBe(true)
    const brokenStatic = await exchange(
      host.port,
      `GET /%E0%A4%A HTTP/1.1\r\nHost: 127.0.0.1:${host.port}\r\n\r\n`,
    )
    expect(brokenStatic.status).toBe(404)
    expect(await healthy()).toBe(true)
  })

  it('answers a body over 1 MB with 413, declared or streamed, not a reset', async () => {
    const big = 'x'.repeat(1024 * 1024 + 10)
    const declared = await exchange(
      host.port,
      `POST /api/call/app.info HTTP/1.1\r\nHost: 127.0.0.1:${host.port}\r\nX-Frontdesk-Token: ${host.token}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${big.length}\r\n\r\n${big}`,
    )
    expect(declared.status).toBe(413)
    const chunk = (s: string) => `${s.length.toString(16)}\r\n${s}\r\n`
    const chunked = await exchange(
      host.port,
      `POST /api/call/app.info HTTP/1.1\r\nHost: 127.0.0.1:${host.port}\r\nX-Frontdesk-Token: ${host.token}\r\n` +
        `Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n` +
        chunk(big.slice(0, 600_000)) +
        chunk(big.slice(600_000)) +
        '0\r\n\r\n',
    )
    expect(chunked.status).toBe(413)
    expect(await healthy()).toBe(true)
  })

  it('answers oversized headers with 431', async () => {
    const r = await exchange(
      host.port,
      `GET / HTTP/1.1\r\nHost: 127.0.0.1:${host.port}\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
    )
    expect(r.status).toBe(431)
    expect(await healthy()).toBe(true)
  })

  it('serves only files inside the renderer folder', async () => {
    expect((await raw('/assets/app.js', { host: hostHeader() })).status).toBe(200)
    expect((await raw('/../secret.txt', { host: hostHeader() })).body).not.toContain('outside')
    expect((await raw('/%2e%2e/secret.txt', { host: hostHeader() })).body).not.toContain('outside')
    expect((await raw('/assets/..%2f..%2fsecret.txt', { host: hostHeader() })).status).toBe(404)
  })

  it('streams events to the page as server-sent events', async () => {
    const received = new Promise<string>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: host.port,
          path: '/api/events',
          headers: { host: hostHeader(), ...auth() },
        },
        (res) => {
          let data = ''
          res.on('data', (c) => {
            data += c
            if (data.includes(': connected'))
              runtime.bus.emit('queueChanged', {
                connectionId: 'c1',
                pending: 2,
                needsAttention: 0,
                status: {
                  connectionId: 'c1',
                  online: true,
                  since: '2026-03-30T08:00:00.000Z',
                  lastSuccessAt: null,
                  pending: 2,
                  needsAttention: 0,
                  oldestPendingAt: '2026-03-30T08:00:00.000Z',
                },
              })
            if (data.includes('queueChanged')) {
              resolve(data)
              req.destroy()
            }
          })
        },
      )
      req.on('error', reject)
      req.end()
    })
    const text = await received
    expect(text).toContain('event: queueChanged')
    expect(text).toContain('"pending":2')
  })
})

describe('the browser host under slow or many connections', () => {
  let small: BrowserHost
  beforeAll(async () => {
    small = await startBrowserHost({
      dispatch: runtime.dispatch,
      bus: runtime.bus,
      rendererDir: join(tempDir().dir, 'none'),
      log: silentLogger,
      limits: { requestTimeoutMs: 400, headersTimeoutMs: 300, maxConnections: 3 },
    })
  })
  afterAll(() => small.close())

  it('closes a request whose body trickles in past the request timeout, with 408', async () => {
    const { socket, closed } = await openSocket(small.port)
    socket.write(
      `POST /api/call/app.info HTTP/1.1\r\nHost: 127.0.0.1:${small.port}\r\nX-Frontdesk-Token: ${small.token}\r\n` +
        `Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{`,
    )
    // Without requestTimeout Node would wait 300 s; the test would time out instead.
    expect(await closed).toMatch(/^HTTP\/1\.1 408/)
  })

  it('closes a connection that never finishes its headers', async () => {
    const { socket, closed } = await openSocket(small.port)
    socket.write(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${small.port}\r\n`)
    expect(await closed).toMatch(/^HTTP\/1\.1 408/)
  })

  it('drops connections over the cap, and serves again once they close', async () => {
    const held = await Promise.all([openSocket(small.port), openSocket(small.port), openSocket(small.port)])
    const extra = await openSocket(small.port)
    expect(await extra.closed).toBe('')
    for (const h of held) h.socket.destroy()
    await Promise.all(held.map((h) => h.closed))
    await expect.poll(async () => (await apiCall(small.port, small.token, 'app.health')).status).toBe(200)
  })
})
