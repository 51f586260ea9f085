import { randomBytes, timingSafeEqual } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { type Socket } from 'node:net'
import { faultSchema, type SimulatorHandle, type VendorId } from '../core'

/**
 * The control handles over HTTP, for tools outside the test process (the demo, a manual session): inspect writes,
 * inject faults, take a vendor offline. Its own port, so it stays up while a vendor is offline, and its own token.
 */
export interface AdminServer {
  url: string
  port: number
  token: string
  close(): Promise<void>
}

export type AdminTargets = Partial<Record<VendorId, SimulatorHandle<unknown>>>

const MAX_BODY = 64 * 1024

function reply(res: ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  })
  res.end(text)
}

function sameToken(given: string | undefined, token: string): boolean {
  if (!given) return false
  const a = Buffer.from(given)
  const b = Buffer.from(token)
  return a.length === b.length && timingSafeEqual(a, b)
}

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (c: Buffer) => {
      size += c.length
      if (size <= MAX_BODY) chunks.push(c)
    })
    req.on('end', () => resolve(size > MAX_BODY ? undefined : Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

/** What a simulator has served: every request, and how many its own rate limiter refused with 429. */
const counts = (c: SimulatorHandle<unknown>['control']) => ({
  requests: c.requestCount(),
  rateLimited: c.rateLimitedCount(),
})

export async function startAdminServer(
  targets: AdminTargets,
  opts: { port?: number; token?: string } = {},
): Promise<AdminServer> {
  const token = opts.token ?? randomBytes(24).toString('base64url')
  const sockets = new Set<Socket>()

  async function handle(req: IncomingMessage, res: ServerResponse) {
    if (!sameToken(req.headers['x-admin-token'] as string | undefined, token)) {
      await readBody(req)
      return reply(res, 403, { message: 'Missing or wrong x-admin-token' })
    }
    const raw = await readBody(req)
    if (raw === undefined) return reply(res, 413, { message: 'Body too large' })
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname.replace(/\/+$/, '')
    const method = req.method ?? 'GET'
    if (path === '' && method === 'GET') {
      const vendors = Object.fromEntries(
        Object.entries(targets).map(([v, h]) => [
          v,
          { url: h.url, offline: h.control.isOffline(), ...counts(h.control) },
        ]),
      )
      return reply(res, 200, { vendors })
    }
    const [, vendor, action] = path.split('/')
    const target = targets[vendor as VendorId]
    if (!target)
      return reply(res, 404, {
        message: `Unknown vendor "${vendor}". Known: ${Object.keys(targets).join(', ')}`,
      })
    const c = target.control
    const route = `${method} ${action ?? ''}`
    switch (route) {
      case 'GET writes':
        return reply(res, 200, { writes: c.writes(), requestCount: c.requestCount() })
      case 'GET counts':
        return reply(res, 200, counts(c))
      case 'POST faults': {
        let body: unknown
        try {
          body = JSON.parse(raw)
        } catch {
          return reply(res, 400, {
            message: 'Body must be a JSON fault, e.g. {"kind":"status","status":503,"count":2}',
          })
        }
        const parsed = faultSchema.safeParse(body)
        if (!parsed.success) {
          const issues = parsed.error.issues.map((i) => `${i.path.join('.') || 'fault'}: ${i.message}`)
          return reply(res, 400, {
            message: `Invalid fault: ${issues.join('; ')}`,
            issues: parsed.error.issues,
          })
        }
        c.inject(parsed.data)
        return reply(res, 200, { ok: true, fault: parsed.data })
      }
      case 'DELETE faults':
        c.clearFaults()
        return reply(res, 200, { ok: true })
      case 'POST offline':
        await c.setOffline(true)
        return reply(res, 200, { ok: true, offline: true })
      case 'POST online':
        await c.setOffline(false)
        return reply(res, 200, { ok: true, offline: false })
      case 'POST expire-tokens':
        c.expireTokens()
        return reply(res, 200, { ok: true })
      default:
        return reply(res, 404, { message: `No admin route ${method} /${vendor}/${action ?? ''}` })
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      console.error('[sandbox:admin] request failed', err)
      if (!res.headersSent) reply(res, 500, { message: 'Admin request failed' })
    })
  })
  server.on('connection', (s: Socket) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      const a = server.address()
      resolve(typeof a === 'object' && a ? a.port : 0)
    })
  })
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        for (const s of sockets) s.destroy()
      }),
  }
}
