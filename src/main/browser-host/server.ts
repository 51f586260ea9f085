/**
 * The browser host: the same router and services as the desktop app, served to a browser over
 * loopback HTTP. The built renderer's files are served to loopback callers; every API call and the
 * event stream need the session token in a header (see guard.ts for how the page gets it). Each
 * request runs inside one error boundary: a malformed request gets a 4xx answer and a log line,
 * never a crash.
 */
import { randomBytes } from 'node:crypto'
import { createReadStream, existsSync, statSync } from 'node:fs'
import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'
import { extname, join } from 'node:path'
import { fail } from '../../shared/result'
import type { EventBus } from '../app/event-bus'
import { CONTENT_SECURITY_POLICY, resolveUnderRoot } from '../electron/security'
import type { Dispatch } from '../ipc/router'
import type { Logger } from '../log/logger'
import { checkRequest, checkSource, isJsonContentType, parseTarget, safeDecode, TOKEN_HEADER } from './guard'

export interface BrowserHostOptions {
  dispatch: Dispatch
  bus: EventBus
  /** The built renderer (out/renderer). */
  rendererDir: string
  /** 0 (default) picks a free port. */
  port?: number
  token?: string
  log: Logger
  /** Limits, smaller in tests; the defaults suit one receptionist's browser. */
  limits?: Partial<HostLimits>
}

export interface HostLimits {
  /** Whole request (headers and body) must arrive within this. */
  requestTimeoutMs: number
  headersTimeoutMs: number
  /** Open sockets at once; more are dropped by Node before any handler runs. */
  maxConnections: number
  maxBodyBytes: number
}

export const defaultLimits: HostLimits = {
  requestTimeoutMs: 30_000,
  headersTimeoutMs: 10_000,
  maxConnections: 64,
  maxBodyBytes: 1024 * 1024,
}

export interface BrowserHost {
  url: string
  origin: string
  port: number
  token: string
  close(): Promise<void>
}

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
}

function baseHeaders(res: ServerResponse) {
  res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY)
  res.setHeader('X-Content-Type-Options', 'nosniff')
  res.setHeader('Referrer-Policy', 'no-referrer')
  res.setHeader('X-Frame-Options', 'DENY')
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin')
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin')
}

function sendJson(res: ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  })
  res.end(text)
}

class TooLarge extends Error {}

function readBody(req: IncomingMessage, max: number): Promise<string> {
  return new Promise((resolveBody, reject) => {
    let size = 0
    const chunks: Buffer[] = []
    const onData = (c: Buffer) => {
      size += c.length
      if (size > max) {
        // Stop keeping it, but let it drain, so the caller can answer 413 rather than reset.
        req.off('data', onData)
        req.resume()
        reject(new TooLarge())
      } else chunks.push(c)
    }
    req.on('data', onData)
    req.on('end', () => resolveBody(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

class HttpRefusal extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(reason)
  }
}

const refuse = (status: number, reason: string, headers?: Record<string, string>) => {
  throw new HttpRefusal(status, reason, headers)
}

/** Static files under the renderer folder only; unknown paths get index.html (one-page app). */
function staticFile(root: string, pathname: string): string | null {
  const target = resolveUnderRoot(root, pathname)
  if (!target) return null
  if (existsSync(target) && statSync(target).isFile()) return target
  return extname(target) ? null : join(root, 'index.html')
}

export async function startBrowserHost(opts: BrowserHostOptions): Promise<BrowserHost> {
  const token = opts.token ?? randomBytes(24).toString('base64url')
  const limits: HostLimits = { ...defaultLimits, ...opts.limits }
  const { log } = opts
  let port = 0
  const streams = new Set<ServerResponse>()
  const unsubscribe = opts.bus.onAny((name, payload) => {
    const frame = `event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`
    for (const s of streams) s.write(frame)
  })

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    baseHeaders(res)
    const target = parseTarget(req.url)
    if (!target) return refuse(400, 'malformed request target')
    const { pathname } = target
    const isApi = pathname === '/api' || pathname.startsWith('/api/')
    const source = {
      host: req.headers.host,
      origin: req.headers.origin,
      fetchSite: req.headers['sec-fetch-site'] as string | undefined,
    }

    if (!isApi) {
      const refusal = checkSource(source, port)
      if (refusal) return refuse(refusal.status, refusal.reason)
      if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(405, 'use GET', { Allow: 'GET, HEAD' })
      const file = staticFile(opts.rendererDir, pathname)
      if (!file || !existsSync(file)) {
        return refuse(
          404,
          existsSync(opts.rendererDir) ? 'not found' : 'the renderer is not built: run `npm run build`',
        )
      }
      res.writeHead(200, {
        'Content-Type': types[extname(file)] ?? 'application/octet-stream',
        'Cache-Control': file.endsWith('index.html') ? 'no-store' : 'public, max-age=3600',
      })
      if (req.method === 'HEAD') return void res.end()
      createReadStream(file)
        .on('error', () => res.destroy())
        .pipe(res)
      return
    }

    const refusal = checkRequest(
      { ...source, tokenHeader: req.headers[TOKEN_HEADER] as string | undefined },
      port,
      token,
    )
    if (refusal) return refuse(refusal.status, refusal.reason)

    if (pathname === '/api/events') {
      if (req.method !== 'GET') return refuse(405, 'use GET', { Allow: 'GET' })
      res.writeHead(200, {
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-store',
        Connection: 'keep-alive',
      })
      res.write(': connected\n\n')
      streams.add(res)
      res.on('close', () => streams.delete(res))
      return
    }

    if (!pathname.startsWith('/api/call/')) return refuse(404, 'no such API path')
    if (req.method !== 'POST') return refuse(405, 'use POST', { Allow: 'POST' })
    const name = safeDecode(pathname.slice('/api/call/'.length))
    if (name === null) return refuse(400, 'the method name is not valid percent-encoding')
    if (!isJsonContentType(req.headers['content-type']))
      return refuse(415, 'send Content-Type: application/json')
    const declared = Number(req.headers['content-length'] ?? 0)
    if (declared > limits.maxBodyBytes) return refuse(413, 'the request body is over the size limit')
    let input: unknown
    try {
      const body = await readBody(req, limits.maxBodyBytes)
      input = body ? JSON.parse(body) : {}
    } catch (err) {
      if (err instanceof TooLarge) return refuse(413, 'the request body is over the size limit')
      return refuse(400, 'the request body was not valid JSON')
    }
    const result = await opts.dispatch(name, input)
    if (!res.destroyed) sendJson(res, 200, result)
  }

  const answerRefusal = (req: IncomingMessage, res: ServerResponse, err: unknown) => {
    const known = err instanceof HttpRefusal
    const status = known ? err.status : 500
    const reason = known ? err.reason : 'internal error'
    // The path without its query, shortened: the query may carry a token, the path is attacker-made.
    const path = (req.url ?? '').split('?')[0]!.slice(0, 200)
    if (known) log.warn('browser host refused a request', { status, reason, method: req.method, path })
    else log.error('browser host request failed', { method: req.method, path, error: String(err) })
    if (res.headersSent || res.destroyed) return void res.destroy()
    // An unread body (413, early refusals) would otherwise keep the connection: answer, then close.
    const close = !req.complete
    const message = `${status === 403 ? 'Forbidden' : 'Refused'}: ${reason}.`
    const text = JSON.stringify(fail(status >= 500 ? 'internal' : 'invalid-input', message))
    res.writeHead(status, {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': Buffer.byteLength(text),
      'Cache-Control': 'no-store',
      ...(close ? { Connection: 'close' } : {}),
      ...(known ? err.headers : {}),
    })
    res.end(text)
  }

  const server: Server = createServer(
    {
      requestTimeout: limits.requestTimeoutMs,
      headersTimeout: limits.headersTimeoutMs,
      // How often Node checks the two timeouts above; the default (30 s) would let them overrun.
      connectionsCheckingInterval: Math.min(1000, limits.headersTimeoutMs),
    },
    (req, res) => {
      // The one error boundary: nothing a request does can reject out of here.
      handle(req, res).catch((err: unknown) => {
        try {
          answerRefusal(req, res, err)
        } catch {
          res.destroy()
        }
      })
    },
  )
  server.maxConnections = limits.maxConnections
  // A client that finished sending (half-close) still gets its answer, rather than a silent close.
  // (Node's own switch, missing from its type definitions.)
  ;(server as Server & { httpAllowHalfOpen: boolean }).httpAllowHalfOpen = true
  // CONNECT and Upgrade (WebSocket) requests bypass the request handler: answered and closed here.
  const refuseTunnel = (req: IncomingMessage, socket: Duplex) => {
    log.warn('browser host refused a request', {
      status: 405,
      reason: 'tunnel or upgrade',
      method: req.method,
    })
    socket.on('error', () => socket.destroy())
    socket.end('HTTP/1.1 405 Method Not Allowed\r\nConnection: close\r\nContent-Length: 0\r\n\r\n')
  }
  server.on('connect', refuseTunnel)
  server.on('upgrade', refuseTunnel)
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    // Requests Node's parser rejects before any handler runs: oversized headers, garbage, timeouts.
    const status =
      err.code === 'HPE_HEADER_OVERFLOW'
        ? 431
        : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? 408
          : err.code === 'ECONNRESET'
            ? 0
            : 400
    if (status) log.warn('browser host refused a request', { status, reason: err.code ?? err.message })
    if (status && socket.writable) {
      socket.end(
        `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`,
      )
    } else socket.destroy()
  })

  await new Promise<void>((ok, ko) => {
    server.once('error', ko)
    server.listen(opts.port ?? 0, '127.0.0.1', () => ok())
  })
  port = (server.address() as AddressInfo).port
  const origin = `http://127.0.0.1:${port}`
  return {
    url: `${origin}/?token=${token}`,
    origin,
    port,
    token,
    close: async () => {
      unsubscribe()
      for (const s of streams) s.end()
      server.closeAllConnections()
      await new Promise<void>((ok) => server.close(() => ok()))
    },
  }
}
