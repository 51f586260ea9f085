import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { connect, type Socket } from 'node:net'
import { createServer as createTlsServer } from 'node:tls'
import { type Clock, systemClock } from './clock'
import { type Fault, FaultQueue } from './faults'
import { LateCommits } from './late-commits'
import { TokenBucket } from './rate-limit'

export interface SimRequest {
  method: string
  path: string
  query: URLSearchParams
  headers: Record<string, string | undefined>
  /** Parsed JSON (or form fields), undefined when there is no body or it does not parse. */
  body: unknown
  rawBody: string
}

export interface SimResponse {
  status: number
  headers?: Record<string, string>
  /** Serialised as JSON; undefined sends no body. */
  body: unknown
}

export interface RecordedWrite {
  seq: number
  at: string
  operation: string
  input: unknown
  outcome: 'applied' | 'rejected'
  result?: unknown
}

/** How many requests a simulator remembers for `recentRequests` (a demo runs for hours). */
const RECENT_REQUESTS = 200

export interface ControlHandle<S> {
  /** The vendor's live in-memory data, for test inspection. */
  readonly state: S
  /** Every write the vendor received, in order. */
  writes(): RecordedWrite[]
  requestCount(): number
  /** The last requests received (method, path, query; at most RECENT_REQUESTS), oldest first: what was asked. */
  recentRequests(): readonly { method: string; path: string; query: URLSearchParams }[]
  /** Requests refused by the simulator's own rate limiter (not injected 429s). */
  rateLimitedCount(): number
  inject(fault: Fault): void
  clearFaults(): void
  /** Every issued auth token or session becomes invalid (the vendor decides what that means). */
  expireTokens(): void
  /** The clinic's own credentials work again after `expireTokens` (as a new key or token issued with the same value would). */
  reinstateTokens(): void
  /** Writes held by a `late-commit` fault and not applied yet. */
  lateCommitsWaiting(): number
  /** Offline: the listener is closed and open connections destroyed; back online listens on the same port. */
  setOffline(offline: boolean): Promise<void>
  isOffline(): boolean
  readonly clock: Clock
}

export type VendorId = 'semble' | 'healthie' | 'hero' | 'heim'

export interface SimulatorHandle<S> {
  vendor: VendorId
  url: string
  port: number
  control: ControlHandle<S>
  credentials: Record<string, string>
  close(): Promise<void>
}

export interface HandlerContext {
  clock: Clock
  recordWrite(operation: string, input: unknown, outcome: 'applied' | 'rejected', result?: unknown): void
}

export interface VendorDefinition<S> {
  vendor: VendorId
  state: S
  credentials: Record<string, string>
  /** GraphQL vendors: the operation is a mutation. */
  isWrite(req: SimRequest): boolean
  /** E.g. 'POST /v1/appointments' or 'createBooking'. */
  operationName(req: SimRequest): string
  handle(req: SimRequest, ctx: HandlerContext): Promise<SimResponse> | SimResponse
  /** Vendor-shaped 429 answer; the core adds the Retry-After header. */
  rateLimited(retryAfterSeconds: number): SimResponse
  /** Vendor-shaped 5xx answer. */
  unavailable(status: number): SimResponse
  onExpireTokens?(): void
  onReinstateTokens?(): void
  /** Enforced by the core with a token bucket on the clock; undefined means unlimited. */
  rateLimitPerMinute?: number
}

const HOST = '127.0.0.1'

// Timers are unref'd so a held request never keeps a finished test process alive.
const sleep = (ms: number) =>
  new Promise<void>((resolve) => {
    if (ms <= 0) return resolve()
    setTimeout(resolve, ms).unref()
  })

function parseBody(raw: string, contentType: string | undefined): unknown {
  if (raw.length === 0) return undefined
  if (contentType?.includes('application/x-www-form-urlencoded')) {
    return Object.fromEntries(new URLSearchParams(raw))
  }
  try {
    return JSON.parse(raw) as unknown
  } catch {
    return undefined
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

function flatHeaders(req: IncomingMessage): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {}
  for (const [k, v] of Object.entries(req.headers)) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v
  return out
}

/** A body cut short mid-stream: what a client sees when a proxy truncates a response. */
function truncate(json: string): string {
  const cut = json.slice(0, Math.max(1, Math.floor(json.length / 2)))
  try {
    JSON.parse(cut)
    return '{"data":['
  } catch {
    return cut
  }
}

function send(res: ServerResponse, r: SimResponse, malformed = false): void {
  const headers: Record<string, string> = { ...(r.headers ?? {}) }
  if (r.body === undefined) {
    res.writeHead(r.status, headers)
    res.end()
    return
  }
  const json = JSON.stringify(r.body)
  const text = malformed ? truncate(json) : json
  headers['content-type'] ??= 'application/json; charset=utf-8'
  headers['content-length'] = String(Buffer.byteLength(text))
  res.writeHead(malformed ? 200 : r.status, headers)
  res.end(text)
}

export async function startSimulator<S>(
  def: VendorDefinition<S>,
  opts: { port?: number; clock?: Clock } = {},
): Promise<SimulatorHandle<S>> {
  const clock = opts.clock ?? systemClock
  const faults = new FaultQueue()
  const bucket = def.rateLimitPerMinute ? new TokenBucket(def.rateLimitPerMinute, clock) : undefined
  const recorded: RecordedWrite[] = []
  const late = new LateCommits(clock)
  const sockets = new Set<Socket>()
  let requests = 0
  const recent: { method: string; path: string; query: URLSearchParams }[] = []
  let limited = 0
  let offline = false
  let closed = false

  const ctx: HandlerContext = {
    clock,
    recordWrite(operation, input, outcome, result) {
      const entry: RecordedWrite = {
        seq: recorded.length + 1,
        at: clock.now().toISOString(),
        operation,
        input,
        outcome,
      }
      if (result !== undefined) entry.result = result
      recorded.push(structuredClone(entry))
    },
  }

  async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    requests += 1
    const rawBody = await readBody(req)
    const url = new URL(req.url ?? '/', `http://${HOST}`)
    const headers = flatHeaders(req)
    const simReq: SimRequest = {
      method: (req.method ?? 'GET').toUpperCase(),
      path: url.pathname,
      query: url.searchParams,
      headers,
      body: parseBody(rawBody, headers['content-type']),
      rawBody,
    }
    recent.push({ method: simReq.method, path: simReq.path, query: new URLSearchParams(url.searchParams) })
    if (recent.length > RECENT_REQUESTS) recent.shift()

    // A slow vendor's held writes land before anything can read past their commit time.
    await late.applyDue()
    // Latency and hangs wait on timers, never on the event loop, so other requests go on meanwhile.
    await sleep(faults.latencyMs())

    if (bucket) {
      const verdict = bucket.take()
      if (!verdict.ok) {
        limited++
        const r = def.rateLimited(verdict.retryAfterSeconds)
        send(res, { ...r, headers: { ...r.headers, 'retry-after': String(verdict.retryAfterSeconds) } })
        return
      }
    }

    let isWrite: boolean
    try {
      isWrite = def.isWrite(simReq)
    } catch {
      isWrite = false
    }
    const fault = faults.take(isWrite)
    let malformed = false
    let resetAfter = false
    let holdAfterMs = 0
    let errorAfter: 500 | 502 | 503 | null = null
    switch (fault?.kind) {
      case 'status':
        send(res, def.unavailable(fault.status))
        return
      case 'rate-limit': {
        const r = def.rateLimited(fault.retryAfterSeconds)
        send(res, { ...r, headers: { ...r.headers, 'retry-after': String(fault.retryAfterSeconds) } })
        return
      }
      case 'reset-before-write':
        req.socket.destroy()
        return
      case 'reset-after-write':
        resetAfter = true
        break
      case 'hang':
        await sleep(fault.ms)
        break
      case 'hold-after-write':
        holdAfterMs = fault.ms
        break
      case 'malformed':
        malformed = true
        break
      case 'error-after-write':
        errorAfter = fault.status
        break
      case 'late-commit':
        late.hold(fault.ms, async () => def.handle(simReq, ctx))
        req.socket.destroy()
        return
      default:
        break
    }

    let response: SimResponse
    try {
      response = await def.handle(simReq, ctx)
    } catch (err) {
      console.error(`[sandbox:${def.vendor}] handler failed`, err)
      response = def.unavailable(500)
    }
    // Applied; the answer waits (a client killed meanwhile never learns the outcome).
    await sleep(holdAfterMs)
    if (resetAfter) {
      // The write is applied; the client only ever sees the connection drop (the ambiguous case).
      req.socket.destroy()
      return
    }
    // Applied, yet answered as a failure: a client that trusts the status would send it again.
    if (errorAfter !== null) response = def.unavailable(errorAfter)
    if (!res.destroyed) send(res, response, malformed)
  }

  const server = createServer((req, res) => {
    onRequest(req, res).catch((err: unknown) => {
      console.error(`[sandbox:${def.vendor}] request failed`, err)
      if (!res.headersSent && !res.destroyed) send(res, def.unavailable(500))
    })
  })
  server.on('connection', (socket: Socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })

  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      const onError = (err: Error) => reject(err)
      server.once('error', onError)
      server.listen(port, HOST, () => {
        server.off('error', onError)
        const address = server.address()
        resolve(typeof address === 'object' && address ? address.port : port)
      })
    })

  const stop = () =>
    new Promise<void>((resolve) => {
      if (!server.listening) return resolve()
      server.close(() => resolve())
      for (const s of sockets) s.destroy()
      sockets.clear()
    })

  const port = await listen(opts.port ?? 0)

  const control: ControlHandle<S> = {
    state: def.state,
    writes: () => recorded.map((w) => structuredClone(w)),
    requestCount: () => requests,
    recentRequests: () => [...recent],
    rateLimitedCount: () => limited,
    inject: (fault) => faults.add(fault),
    clearFaults: () => faults.clear(),
    lateCommitsWaiting: () => late.waiting(),
    expireTokens: () => def.onExpireTokens?.(),
    reinstateTokens: () => def.onReinstateTokens?.(),
    async setOffline(value) {
      if (closed || value === offline) return
      offline = value
      if (value) await stop()
      else await listen(port)
    },
    isOffline: () => offline,
    clock,
  }

  return {
    vendor: def.vendor,
    url: `http://${HOST}:${port}`,
    port,
    control,
    credentials: def.credentials,
    async close() {
      closed = true
      await stop()
    },
  }
}

/** Helpers the vendor handlers share. */
export const json = (status: number, body: unknown, headers?: Record<string, string>): SimResponse =>
  headers ? { status, body, headers } : { status, body }

export interface TlsFront {
  /** `https://127.0.0.1:<port>`: the same simulator, over TLS. */
  url: string
  port: number
  close(): Promise<void>
}

/**
 * Serves a running simulator over HTTPS with the given certificate: TLS ends here and the bytes go
 * on to the simulator's plain port, so faults, offline and resets behave as over HTTP (a dropped
 * inner connection drops the outer one). Tests use it with a throwaway CA.
 */
export async function serveOverTls(
  sim: { port: number },
  tls: { key: string | Buffer; cert: string | Buffer },
  opts: { port?: number } = {},
): Promise<TlsFront> {
  const open = new Set<Socket>()
  const server = createTlsServer({ key: tls.key, cert: tls.cert }, (outer) => {
    const inner = connect(sim.port, HOST)
    open.add(outer).add(inner)
    outer.pipe(inner).pipe(outer)
    const drop = () => {
      outer.destroy()
      inner.destroy()
      open.delete(outer)
      open.delete(inner)
    }
    outer.on('error', drop).on('close', drop)
    inner.on('error', drop).on('close', drop)
  })
  // A client that rejects our certificate ends the handshake; nothing to report.
  server.on('tlsClientError', () => {})
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port ?? 0, HOST, () => {
      const address = server.address()
      resolve(typeof address === 'object' && address ? address.port : 0)
    })
  })
  return {
    url: `https://${HOST}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of open) s.destroy()
        server.close(() => resolve())
      }),
  }
}
