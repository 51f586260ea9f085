/**
 * The one HTTP client every vendor adapter uses: undici with a keep-alive Agent, connect / header /
 * body timeouts, a size cap, and the per-connection limiter in front of every request.
 *
 * Retries: none. A request is sent once; the caller (the outbox for writes, the UI for reads)
 * decides what to do with the classified failure. A silent read retry was considered and left out:
 * `offline` rarely heals within a second and repeating a 5xx only adds load, while one visible
 * failure lets the UI fall back to the cache at once.
 *
 * The request goes through `dispatch` with our own handler so we learn when the whole request has
 * left (`onRequestSent`): a write that fails after that point is `ambiguous`, one that fails before
 * it was never seen by the vendor.
 */
import { Agent, type Dispatcher } from 'undici'
import type { Connection, Vendor } from '../../../shared/model'
import type { Logger } from '../../log/logger'
import { classifyTransport, defaultMessages, kindForStatus, VendorError, type RequestFacts } from '../errors'
import { credentialValues, withoutEchoedCredentials } from '../vendor-text'
import { JsonBodies } from './json-bodies'
import { TokenBucket, type LimiterClock } from './limiter'
import { parseRetryAfter } from './retry-after'

export interface HttpTimeouts {
  /** Opening the TCP/TLS connection. */
  connectMs: number
  /** From the request leaving to the response headers arriving. */
  headersMs: number
  /** Longest silence while the body streams in. */
  bodyMs: number
}

export const defaultTimeouts: HttpTimeouts = { connectMs: 5_000, headersMs: 20_000, bodyMs: 20_000 }

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
export type QueryValue = string | number | boolean | undefined | null | readonly string[]

export interface HttpRequest {
  method: HttpMethod
  /** Appended to the connection's base URL path. */
  path: string
  query?: Record<string, QueryValue>
  headers?: Record<string, string>
  /** Serialised as JSON. */
  json?: unknown
  /** The request changes data at the vendor. */
  write: boolean
  /** For logs and errors, e.g. `createBooking` or `POST /v1/appointments`. */
  operation: string
  timeouts?: Partial<HttpTimeouts>
}

export interface HttpResponse {
  status: number
  /** Lower-case names. */
  headers: Record<string, string>
  text: string
  /** Parsed JSON; undefined when the body is empty or not JSON (see `jsonError`). */
  json: unknown
  jsonError?: string
  /** Milliseconds the vendor asked us to wait (Retry-After), when it said. */
  retryAfterMs?: number
}

/** What adapters get: requests on one connection, paced by that connection's limiter. */
export interface VendorHttp {
  readonly vendor: Vendor
  readonly connectionId: string
  readonly limiter: TokenBucket
  request(req: HttpRequest): Promise<HttpResponse>
  /** The vendor said "too many requests" inside a 200 (GraphQL): hold everyone back. */
  backOff(ms: number): void
}

export interface HttpClientOptions {
  timeouts?: Partial<HttpTimeouts>
  maxResponseBytes?: number
  log?: Logger
  /** Limiter clock for tests. */
  clock?: LimiterClock
  now?: () => Date
  dispatcher?: Dispatcher
  /** Proxies and trusted certificates (src/main/network); without it, one direct Agent. */
  network?: HttpNetwork
}

/** The dispatcher a request takes, and the proxy it goes through (for error messages). */
export interface HttpRoute {
  dispatcher: Dispatcher
  proxy?: string
  proxyToken?: string
}

export type RouteTarget = Pick<Connection, 'id' | 'baseUrl'> & {
  options?: Record<string, string>
  demo?: boolean
}

export interface HttpNetwork {
  route(connection: RouteTarget): Promise<HttpRoute>
  /** A network-caused failure in plain words (certificates, proxies), or undefined. */
  diagnose(
    err: unknown,
    ctx: { target: URL; route: HttpRoute; vendor?: Vendor; operation: string },
  ): Promise<VendorError | undefined>
  close(): Promise<void>
}

export interface LimitOptions {
  perMinute: number
  burst?: number
}

interface RawResponse {
  status: number
  headers: Record<string, string>
  body: Buffer
}

class TransportFailure extends Error {
  constructor(
    readonly error: unknown,
    readonly requestSent: boolean,
  ) {
    super(error instanceof Error ? error.message : String(error))
  }
}

class TooLarge extends Error {
  readonly code = 'FRONTDESK_RESPONSE_TOO_LARGE'
}

function headerRecord(raw: Buffer[] | string[] | null | undefined): Record<string, string> {
  const out: Record<string, string> = {}
  if (!raw) return out
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const k = String(raw[i]).toLowerCase()
    const v = String(raw[i + 1])
    out[k] = out[k] === undefined ? v : `${out[k]}, ${v}`
  }
  return out
}

/**
 * One request through `dispatch`, with a legacy-style handler: it is the only handler shape undici
 * still tells `onRequestSent`.
 */
function dispatchOnce(dispatcher: Dispatcher, opts: Dispatcher.DispatchOptions, maxBytes: number) {
  return new Promise<RawResponse>((resolve, reject) => {
    let requestSent = false
    let status = 0
    let headers: Record<string, string> = {}
    const chunks: Buffer[] = []
    let size = 0
    let abort: ((err: Error) => void) | undefined
    const handler = {
      onConnect(a: (err: Error) => void) {
        abort = a
      },
      onRequestSent() {
        requestSent = true
      },
      onHeaders(statusCode: number, rawHeaders: Buffer[]) {
        // A response can only start after the request left (or the server answered early).
        requestSent = true
        status = statusCode
        headers = headerRecord(rawHeaders)
        return true
      },
      onData(chunk: Buffer) {
        size += chunk.length
        if (size > maxBytes) {
          abort?.(new TooLarge(`response larger than ${maxBytes} bytes`))
          return false
        }
        chunks.push(chunk)
        return true
      },
      onComplete() {
        resolve({ status, headers, body: Buffer.concat(chunks) })
      },
      onError(err: Error) {
        reject(new TransportFailure(err, requestSent))
      },
    }
    try {
      dispatcher.dispatch(opts, handler as unknown as Dispatcher.DispatchHandler)
    } catch (err) {
      reject(new TransportFailure(err, false))
    }
  })
}

function buildPath(base: URL, path: string, query?: Record<string, QueryValue>): string {
  const prefix = base.pathname.replace(/\/+$/, '')
  const suffix = path ? (path.startsWith('/') ? path : `/${path}`) : ''
  const params = new URLSearchParams(base.search)
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v === undefined || v === null) continue
    if (Array.isArray(v)) for (const item of v) params.append(k, item)
    else params.set(k, String(v))
  }
  const qs = params.toString()
  return `${prefix}${suffix}${qs ? `?${qs}` : ''}` || '/'
}

/**
 * App-wide: owns the keep-alive Agent and one limiter per connection id, so every adapter (and
 * every caller of an adapter) on one connection shares one bucket.
 */
export class HttpClient {
  private readonly dispatcher: Dispatcher
  private readonly ownsDispatcher: boolean
  private readonly timeouts: HttpTimeouts
  private readonly maxBytes: number
  private readonly limiters = new Map<string, TokenBucket>()
  private readonly bodies = new JsonBodies()

  constructor(private readonly opts: HttpClientOptions = {}) {
    this.timeouts = { ...defaultTimeouts, ...opts.timeouts }
    this.maxBytes = opts.maxResponseBytes ?? 20 * 1024 * 1024
    this.ownsDispatcher = !opts.dispatcher
    this.dispatcher =
      opts.dispatcher ??
      new Agent({
        connect: { timeout: this.timeouts.connectMs },
        keepAliveTimeout: 10_000,
        keepAliveMaxTimeout: 60_000,
        headersTimeout: this.timeouts.headersMs,
        bodyTimeout: this.timeouts.bodyMs,
        connections: 8,
      })
  }

  /** How many answers the JSON worker has parsed (json-bodies.ts): what the tests look at. */
  get jsonParsedOffThread(): number {
    return this.bodies.offThread
  }

  /** The limiter for a connection, created on first use with the vendor's limit. */
  limiter(connectionId: string, limit: LimitOptions): TokenBucket {
    let bucket = this.limiters.get(connectionId)
    if (!bucket || bucket.perMinute !== limit.perMinute) {
      bucket = new TokenBucket({ perMinute: limit.perMinute, burst: limit.burst, clock: this.opts.clock })
      this.limiters.set(connectionId, bucket)
    }
    return bucket
  }

  forConnection(
    connection: Pick<Connection, 'id' | 'vendor' | 'baseUrl'> & Omit<RouteTarget, 'id' | 'baseUrl'>,
    limit: LimitOptions,
  ): VendorHttp {
    const base = new URL(connection.baseUrl)
    const origin = base.origin
    const limiter = this.limiter(connection.id, limit)
    const route = (): Promise<HttpRoute> =>
      this.opts.network
        ? this.opts.network.route(connection)
        : Promise.resolve({ dispatcher: this.dispatcher })
    const send = (req: HttpRequest) => this.send(connection.vendor, origin, base, limiter, req, route)
    return {
      vendor: connection.vendor,
      connectionId: connection.id,
      limiter,
      request: send,
      backOff: (ms) => limiter.pause(ms),
    }
  }

  private async send(
    vendor: Vendor,
    origin: string,
    base: URL,
    limiter: TokenBucket,
    req: HttpRequest,
    routeFor: () => Promise<HttpRoute>,
  ): Promise<HttpResponse> {
    const facts: RequestFacts = { vendor, operation: req.operation, write: req.write, requestSent: false }
    const t = { ...this.timeouts, ...req.timeouts }
    const headers: Record<string, string> = { accept: 'application/json', ...req.headers }
    let body: string | undefined
    if (req.json !== undefined) {
      body = JSON.stringify(req.json)
      headers['content-type'] = 'application/json'
    }
    await limiter.take()
    const started = Date.now()
    let raw: RawResponse
    let route: HttpRoute | undefined
    try {
      route = await routeFor()
      raw = await dispatchOnce(
        route.dispatcher,
        {
          origin,
          path: buildPath(base, req.path, req.query),
          method: req.method,
          headers,
          body,
          headersTimeout: t.headersMs,
          bodyTimeout: t.bodyMs,
        },
        this.maxBytes,
      )
    } catch (err) {
      const failure = err instanceof TransportFailure ? err : new TransportFailure(err, false)
      if (failure.error instanceof TooLarge) {
        throw new VendorError('protocol', defaultMessages.protocol, {
          vendor,
          operation: req.operation,
          vendorMessage: failure.error.message,
        })
      }
      const diagnosed =
        route && !failure.requestSent
          ? await this.opts.network?.diagnose(failure.error, {
              target: base,
              route,
              vendor,
              operation: req.operation,
            })
          : undefined
      const e = diagnosed ?? classifyTransport(failure.error, { ...facts, requestSent: failure.requestSent })
      this.opts.log?.warn('vendor request failed', { ...e.toLog(), ms: Date.now() - started })
      throw e
    }
    // An answer that echoes the request's own key never carries it further (into an error kept in
    // the database, or anywhere else), whatever the key's shape.
    const answer = withoutEchoedCredentials(raw.body, credentialValues(headers))
    const text = answer.toString('utf8')
    const res: HttpResponse = { status: raw.status, headers: raw.headers, text, json: undefined }
    if (text.trim()) {
      // A page of patients is parsed by a worker (json-bodies.ts says why).
      const parsed = await this.bodies.parse(answer, text)
      if ('json' in parsed) res.json = parsed.json
      else res.jsonError = parsed.error
    }
    const retryAfter = parseRetryAfter(raw.headers['retry-after'], this.opts.now?.() ?? new Date())
    if (retryAfter !== undefined) res.retryAfterMs = retryAfter
    if (raw.status === 429) limiter.pause(retryAfter ?? 1_000)
    this.opts.log?.debug('vendor request', {
      vendor,
      operation: req.operation,
      status: raw.status,
      ms: Date.now() - started,
    })
    return res
  }

  async close(): Promise<void> {
    if (this.ownsDispatcher) await this.dispatcher.close()
    await this.opts.network?.close()
    await this.bodies.close()
  }
}

/**
 * The JSON body of an answer, or the right error: an unreadable success answer to a write may
 * still mean the write was applied (`ambiguous`); to a read it is `protocol`.
 */
export function readJson(
  res: HttpResponse,
  facts: { vendor: Vendor; operation: string; write: boolean },
): unknown {
  if (res.json !== undefined) return res.json
  const detail = res.jsonError ? `unreadable JSON (${res.jsonError})` : 'empty body'
  if (res.status >= 200 && res.status < 300) {
    if (facts.write) {
      throw new VendorError('ambiguous', defaultMessages.ambiguous, {
        vendor: facts.vendor,
        operation: facts.operation,
        status: res.status,
        vendorMessage: `success status with ${detail}`,
      })
    }
    throw new VendorError('protocol', defaultMessages.protocol, {
      vendor: facts.vendor,
      operation: facts.operation,
      status: res.status,
      vendorMessage: detail,
    })
  }
  const kind = kindForStatus(res.status)
  throw new VendorError(kind, defaultMessages[kind], {
    vendor: facts.vendor,
    operation: facts.operation,
    status: res.status,
    vendorMessage: `HTTP ${res.status} with ${detail}`,
    retryAfterMs: res.retryAfterMs,
  })
}
