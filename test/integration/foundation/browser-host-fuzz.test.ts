/**
 * Random raw requests over a real socket, with and without the token: after every batch the host
 * still answers `app.health`, and no request left the socket hanging or got a 5xx.
 */
import fc from 'fast-check'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRuntime, type Runtime } from '../../../src/main/app/runtime'
import { startBrowserHost, type BrowserHost } from '../../../src/main/browser-host/server'
import { silentLogger } from '../../../src/main/log/logger'
import { tempDir, testKeychainService } from '../../support/temp'
import { apiCall, exchange, jsonBody } from './raw-socket'

let runtime: Runtime
let host: BrowserHost
let cleanup: () => void

beforeAll(async () => {
  const t = tempDir()
  runtime = await createRuntime({
    shell: 'browser',
    version: '9.9.9',
    dataDir: join(t.dir, 'data'),
    profile: 'demo',
    demoPatients: 10,
    log: silentLogger,
    keychainService: testKeychainService('fuzz'),
  })
  // No renderer folder: static answers are 404, which keeps the fuzz on the request handling.
  host = await startBrowserHost({
    dispatch: runtime.dispatch,
    bus: runtime.bus,
    rendererDir: join(t.dir, 'renderer'),
    log: silentLogger,
    limits: { requestTimeoutMs: 2000, headersTimeoutMs: 1500 },
  })
  cleanup = t.cleanup
})

afterAll(async () => {
  await host.close()
  await runtime.close()
  cleanup()
})

const anyText = (max: number) => fc.string({ unit: 'binary', maxLength: max })
const pathPiece = fc.oneof(
  fc.constantFrom('/', '//', '///', '/api', '/api/', '/api/call/', '/api/events', '/api/call/app.health'),
  fc.constantFrom('%', '%E0%A4%A', '%00', '%2e%2e', '..', '?token=', '#', '\\', '@', ':', '*', ' ', '%ff'),
  anyText(12),
  fc.stringMatching(/^[a-z.%0-9A-F/?=&]{0,16}$/),
)
const path = fc.array(pathPiece, { maxLength: 6 }).map((parts) => parts.join(''))
const method = fc.oneof(
  fc.constantFrom('GET', 'POST', 'HEAD', 'PUT', 'DELETE', 'OPTIONS', 'PATCH', 'CONNECT', 'TRACE'),
  fc.stringMatching(/^[A-Za-z]{0,10}$/),
)
const headerName = fc.oneof(
  fc.constantFrom(
    'Content-Type',
    'Content-Length',
    'Transfer-Encoding',
    'Origin',
    'Sec-Fetch-Site',
    'Cookie',
  ),
  fc.constantFrom('Host', 'X-Frontdesk-Token', 'Connection', 'Expect', 'Upgrade'),
  fc.stringMatching(/^[A-Za-z-]{1,20}$/),
)
const headerValue = fc.oneof(
  fc.constantFrom(
    'application/json',
    'text/plain',
    'chunked',
    'close',
    '100-continue',
    'null',
    '-1',
    '99999999',
  ),
  fc.nat({ max: 3_000_000 }).map(String),
  anyText(40),
)
const body = fc.oneof(
  fc.constant(''),
  fc.constantFrom('{}', '{"a":1}', 'null', '[]', '{', '0\r\n\r\n', '5\r\nhello\r\n0\r\n\r\n'),
  fc.json({ maxDepth: 3 }),
  anyText(200),
)

/** A well-formed call (with or without the token) that may name any method with any JSON. */
const wellFormed = (token: string, port: number) =>
  fc
    .record({
      name: fc.oneof(
        fc.constantFrom('app.health', 'app.info', 'queue.list', 'patients.search', 'connections.list'),
        fc.constantFrom('%E0%A4%A', '%', 'app.%00', '..%2f..', ''),
        fc.stringMatching(/^[a-z.]{0,20}$/),
      ),
      withToken: fc.boolean(),
      input: fc.json({ maxDepth: 3 }),
    })
    .map(({ name, withToken, input }) => {
      const token_ = withToken ? `X-Frontdesk-Token: ${token}\r\n` : ''
      return (
        `POST /api/call/${name} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n${token_}` +
        `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(input)}\r\n\r\n${input}`
      )
    })

/** One raw request: sometimes well-formed, sometimes anything at all. */
const request = (token: string, port: number) =>
  fc.oneof({ arbitrary: wellFormed(token, port), weight: 1 }, { arbitrary: anything(token, port), weight: 3 })

const anything = (token: string, port: number) =>
  fc
    .record({
      method,
      path,
      version: fc.constantFrom('HTTP/1.1', 'HTTP/1.0', 'HTTP/2', 'HTTP/1.1', 'XYZ'),
      withHost: fc.boolean(),
      withToken: fc.boolean(),
      headers: fc.array(fc.tuple(headerName, headerValue), { maxLength: 5 }),
      body,
      lineEnd: fc.constantFrom('\r\n', '\r\n', '\n', '\r'),
      truncate: fc.option(fc.nat({ max: 300 }), { freq: 4 }),
    })
    .map((r) => {
      const lines = [`${r.method} ${r.path} ${r.version}`]
      if (r.withHost) lines.push(`Host: 127.0.0.1:${port}`)
      if (r.withToken) lines.push(`X-Frontdesk-Token: ${token}`)
      for (const [k, v] of r.headers) lines.push(`${k}: ${v}`)
      const text = lines.join(r.lineEnd) + r.lineEnd + r.lineEnd + r.body
      return r.truncate === null ? text : text.slice(0, r.truncate)
    })

describe('the browser host under random requests', () => {
  it('keeps answering app.health after every batch of random raw requests', async () => {
    let sent = 0
    const statuses = new Map<number, number>()
    await fc.assert(
      fc.asyncProperty(
        fc.array(request(host.token, host.port), { minLength: 20, maxLength: 20 }),
        async (batch) => {
          const replies = await Promise.all(
            batch.map((bytes) => exchange(host.port, Buffer.from(bytes, 'latin1'))),
          )
          sent += batch.length
          replies.forEach((r, i) => {
            statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1)
            expect(r.hung, JSON.stringify(batch[i])).toBe(false)
            expect(r.status, JSON.stringify(batch[i])).toBeLessThan(500)
          })
          const health = await apiCall(host.port, host.token, 'app.health')
          expect(health.status).toBe(200)
          expect(jsonBody(health)).toMatchObject({ ok: true })
        },
      ),
      // One fixed run (FRONTDESK_FUZZ_SEED for another), so the coverage check below is the same
      // every time rather than at the mercy of one unlucky draw.
      { numRuns: 150, seed: Number(process.env.FRONTDESK_FUZZ_SEED ?? 20261202) },
    )
    expect(sent).toBe(3000)
    // The generator reached the handler's answers, not just the parser's.
    for (const s of [200, 400, 403, 404, 405]) expect(statuses.get(s) ?? 0, `status ${s}`).toBeGreaterThan(0)
  }, 240_000)
})
