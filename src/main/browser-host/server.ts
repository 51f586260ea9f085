/**
 * The browser host: the same router and services as the desktop app, served to a browser over
 * loopback HTTP. Every request needs the session token (printed once in the URL, then kept in an
 * HttpOnly cookie); events stream as server-sent events.
 */
import { randomBytes } from 'node:crypto'
import { createReadStream, existsSync, statSync } from 'node:fs'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname, join } from 'node:path'
import { fail } from '../../shared/result'
import type { EventBus } from '../app/event-bus'
import { CONTENT_SECURITY_POLICY, resolveUnderRoot } from '../electron/security'
import type { Dispatch } from '../ipc/router'
import type { Logger } from '../log/logger'
import { checkRequest, SESSION_COOKIE, TOKEN_HEADER } from './guard'

export interface BrowserHostOptions {
  dispatch: Dispatch
  bus: EventBus
  /** The built renderer (out/renderer). */
  rendererDir: string
  /** 0 (default) picks a free port. */
  port?: number
  token?: string
  log: Logger
}

export interface BrowserHost {
  url: string
  origin: string
  port: number
  token: string
  close(): Promise<void>
}

const MAX_BODY = 1024 * 1024
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
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' })
  res.end(JSON.stringify(body))
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolveBody, reject) => {
    let size = 0
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => {
      size += c.length
      if (size > MAX_BODY) {
        reject(new Error('too large'))
        req.destroy()
      } else chunks.push(c)
    })
    req.on('end', () => resolveBody(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
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
  const { log } = opts
  let port = 0
  const streams = new Set<ServerResponse>()
  const unsubscribe = opts.bus.onAny((name, payload) => {
    const frame = `event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`
    for (const s of streams) s.write(frame)
  })

  const server = createServer(async (req, res) => {
    baseHeaders(res)
    const url = new URL(req.url ?? '/', 'http://placeholder')
    const refusal = checkRequest(
      {
        host: req.headers.host,
        origin: req.headers.origin,
        fetchSite: req.headers['sec-fetch-site'] as string | undefined,
        cookie: req.headers.cookie,
        tokenHeader: req.headers[TOKEN_HEADER] as string | undefined,
        tokenQuery: url.searchParams.get('token') ?? undefined,
      },
      port,
      token,
    )
    if (refusal) {
      log.warn('browser host refused a request', { reason: refusal.reason, path: url.pathname })
      res.writeHead(403, { 'Content-Type': 'text/plain; charset=utf-8' })
      res.end(`Forbidden: ${refusal.reason}.`)
      return
    }

    if (url.searchParams.has('token') && req.method === 'GET') {
      // Trade the token in the URL for a cookie, then drop it from the address bar and history.
      res.setHeader('Set-Cookie', `${SESSION_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`)
      url.searchParams.delete('token')
      res.writeHead(303, { Location: url.pathname + (url.search || '') })
      res.end()
      return
    }

    if (url.pathname.startsWith('/api/call/')) {
      if (req.method !== 'POST') return sendJson(res, 405, fail('invalid-input', 'Use POST.'))
      let input: unknown
      try {
        const body = await readBody(req)
        input = body ? JSON.parse(body) : {}
      } catch {
        return sendJson(
          res,
          400,
          fail('invalid-input', 'The request body was not valid JSON (or was over 1 MB).'),
        )
      }
      const name = decodeURIComponent(url.pathname.slice('/api/call/'.length))
      return sendJson(res, 200, await opts.dispatch(name, input))
    }

    if (url.pathname === '/api/events') {
      res.writeHead(200, {
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-store',
        Connection: 'keep-alive',
      })
      res.write(': connected\n\n')
      streams.add(res)
      req.on('close', () => streams.delete(res))
      return
    }

    if (req.method !== 'GET' && req.method !== 'HEAD')
      return sendJson(res, 405, fail('invalid-input', 'Use GET.'))
    const file = staticFile(opts.rendererDir, url.pathname)
    if (!file || !existsSync(file)) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' })
      res.end(existsSync(opts.rendererDir) ? 'Not found.' : 'The renderer is not built: run `npm run build`.')
      return
    }
    res.writeHead(200, {
      'Content-Type': types[extname(file)] ?? 'application/octet-stream',
      'Cache-Control': file.endsWith('index.html') ? 'no-store' : 'public, max-age=3600',
    })
    if (req.method === 'HEAD') return res.end()
    createReadStream(file).pipe(res)
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
