/**
 * Every vendor failure becomes one `VendorError` whose `kind` comes from a closed set, so the outbox
 * and the UI decide on the kind alone and never parse vendor text. The generic rules (transport,
 * HTTP status, GraphQL error codes) live here; each vendor folder adds its own business-error shapes.
 */
import type { Vendor } from '../../shared/model'
import { redactSecrets, vendorReason } from './vendor-text'

export const vendorErrorKinds = [
  'offline',
  'timeout',
  'rate-limited',
  'unavailable',
  'auth',
  'invalid',
  'conflict',
  'not-found',
  'ambiguous',
  'protocol',
] as const
export type VendorErrorKind = (typeof vendorErrorKinds)[number]

export interface FieldMessage {
  /** The vendor's field name when it gave one. */
  field?: string
  message: string
}

export interface VendorErrorInit {
  vendor?: Vendor
  operation?: string
  vendorMessage?: string
  fields?: FieldMessage[]
  retryAfterMs?: number
  status?: number
  /** The vendor's machine code when it gave one (GraphQL `extensions.code`). */
  vendorCode?: string
  cause?: unknown
}

export class VendorError extends Error {
  readonly vendor?: Vendor
  readonly operation?: string
  /** What the vendor said, secret shapes redacted: kept in the encrypted store only (vendor-text.ts). */
  readonly vendorMessage?: string
  readonly fields?: FieldMessage[]
  readonly retryAfterMs?: number
  readonly status?: number
  readonly vendorCode?: string

  constructor(
    readonly kind: VendorErrorKind,
    /** Written for a receptionist. */
    message: string,
    init: VendorErrorInit = {},
  ) {
    // Last line of defence: whatever words an adapter built in, no credential shape leaves here.
    super(redactSecrets(message), init.cause === undefined ? undefined : { cause: init.cause })
    this.name = 'VendorError'
    if (init.vendor) this.vendor = init.vendor
    if (init.operation) this.operation = init.operation
    if (init.vendorMessage) this.vendorMessage = redactSecrets(init.vendorMessage)
    if (init.fields?.length) this.fields = init.fields
    if (init.retryAfterMs !== undefined) this.retryAfterMs = init.retryAfterMs
    if (init.status !== undefined) this.status = init.status
    if (init.vendorCode) this.vendorCode = init.vendorCode
  }

  /** Trying the same request later may succeed (ambiguous needs a look-up first, so it is not). */
  get retryable(): boolean {
    return (
      this.kind === 'offline' ||
      this.kind === 'timeout' ||
      this.kind === 'rate-limited' ||
      this.kind === 'unavailable'
    )
  }

  /** Loggable summary: never includes request bodies or secrets. */
  toLog(): Record<string, unknown> {
    return {
      kind: this.kind,
      vendor: this.vendor,
      operation: this.operation,
      status: this.status,
      vendorCode: this.vendorCode,
      message: this.message,
      // A classified reason, never the vendor's own text.
      reason: vendorReason(this),
      fields: this.fields?.length,
      retryAfterMs: this.retryAfterMs,
    }
  }
}

export const isVendorError = (e: unknown): e is VendorError => e instanceof VendorError

/** Receptionist-readable defaults per kind; adapters may say something more specific. */
export const defaultMessages: Record<VendorErrorKind, string> = {
  offline:
    'Cannot reach the practice system. Check the internet connection; the change is kept and will be sent.',
  timeout: 'The practice system took too long to answer.',
  'rate-limited': 'The practice system asked Frontdesk to slow down; it will try again shortly.',
  unavailable: 'The practice system is having problems right now.',
  auth: 'The practice system did not accept the saved credentials. Check them in Settings.',
  invalid: 'The practice system did not accept the details.',
  conflict: 'That time is no longer free.',
  'not-found': 'The practice system could not find that record.',
  ambiguous:
    'The practice system may or may not have saved this change; Frontdesk will check before sending it again.',
  protocol: 'The practice system sent an answer Frontdesk could not understand.',
}

export interface RequestFacts {
  vendor?: Vendor
  operation: string
  /** The request changes data at the vendor (decides `ambiguous`). */
  write: boolean
  /** The whole request, body included, left this process before the failure. */
  requestSent: boolean
}

const OFFLINE_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EADDRNOTAVAIL',
  // undici could not open a socket in time: nothing was sent.
  'UND_ERR_CONNECT_TIMEOUT',
])
const TIMEOUT_CODES = new Set([
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'ETIMEDOUT',
  'UND_ERR_ABORTED',
])
const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'ECONNABORTED', 'UND_ERR_CLOSED'])

/** The error code of an undici/Node network error, looking through `cause` chains. */
export function networkCode(err: unknown): string | undefined {
  let e: unknown = err
  for (let i = 0; i < 5 && e && typeof e === 'object'; i++) {
    const code = (e as { code?: unknown }).code
    if (typeof code === 'string') return code
    e = (e as { cause?: unknown }).cause
  }
  return undefined
}

/**
 * A request that got no HTTP answer. A write whose body had left before the failure may have been
 * applied (`ambiguous`): a reset or a timeout after sending says nothing about what the vendor did.
 */
export function classifyTransport(err: unknown, facts: RequestFacts): VendorError {
  const code = networkCode(err) ?? 'UNKNOWN'
  const detail = `${code}: ${err instanceof Error ? err.message : String(err)}`
  const init = { vendor: facts.vendor, operation: facts.operation, vendorMessage: detail, cause: err }
  if (OFFLINE_CODES.has(code)) return new VendorError('offline', defaultMessages.offline, init)
  if (facts.write && facts.requestSent) return new VendorError('ambiguous', defaultMessages.ambiguous, init)
  if (TIMEOUT_CODES.has(code)) return new VendorError('timeout', defaultMessages.timeout, init)
  if (RESET_CODES.has(code)) {
    // Dropped before our request was out: the same as not reaching the vendor at all.
    return facts.requestSent
      ? new VendorError('unavailable', 'The practice system dropped the connection.', init)
      : new VendorError('offline', defaultMessages.offline, init)
  }
  return new VendorError(facts.requestSent ? 'unavailable' : 'offline', defaultMessages.unavailable, init)
}

/**
 * An HTTP answer that is not a success, by status alone. Vendors refine this with their bodies
 * (field messages, conflict wording) but never contradict the status family.
 */
export function kindForStatus(status: number): VendorErrorKind {
  if (status === 401 || status === 403) return 'auth'
  if (status === 404 || status === 410) return 'not-found'
  if (status === 409) return 'conflict'
  if (status === 429) return 'rate-limited'
  if (status === 408) return 'timeout'
  if (status === 400 || status === 422) return 'invalid'
  if (status >= 500) return status === 504 ? 'timeout' : 'unavailable'
  return 'protocol'
}

/** Wording vendors use for a taken slot or an overlap, in business-error text. */
const CONFLICT_WORDS =
  /not available|unavailable|no longer available|already booked|already taken|already has (a|an) (booking|appointment)|double.?book|overlap|conflict|clash|fully booked|slot.*taken/i
const NOT_FOUND_WORDS =
  /not found|could not find|couldn't find|doesn't exist|does not exist|no such|unknown (id|booking|appointment|patient)/i
const AUTH_WORDS =
  /unauthori[sz]ed|unauthenticated|forbidden|permission|not allowed to|missing token|invalid token/i

/**
 * A business error carried in a 200 answer as text (Semble `error`, Healthie `messages`): the
 * vendors give no code, so the kind is read from the wording, defaulting to `invalid`.
 */
export function kindForBusinessMessage(text: string): VendorErrorKind {
  if (CONFLICT_WORDS.test(text)) return 'conflict'
  if (NOT_FOUND_WORDS.test(text)) return 'not-found'
  if (AUTH_WORDS.test(text)) return 'auth'
  return 'invalid'
}

export interface GraphqlErrorShape {
  message?: unknown
  extensions?: { code?: unknown; [k: string]: unknown } | null
  path?: unknown
}

/** GraphQL `errors[]` codes shared by Semble and Healthie, plus the HTTP status they came with. */
export function kindForGraphqlError(e: GraphqlErrorShape, status: number): VendorErrorKind {
  const code = typeof e.extensions?.code === 'string' ? e.extensions.code.toUpperCase() : ''
  const message = typeof e.message === 'string' ? e.message : ''
  switch (code) {
    case 'UNAUTHENTICATED':
    case 'FORBIDDEN':
    case 'PERMISSION_DENIED':
    case 'UNAUTHORIZED':
      return 'auth'
    case 'TOO_MANY_REQUESTS':
    case 'RATE_LIMITED':
      return 'rate-limited'
    case 'NOT_FOUND':
      return 'not-found'
    case 'BAD_USER_INPUT':
    case 'VALIDATION_ERROR':
      return 'invalid'
    case 'CONFLICT':
      return 'conflict'
    case 'GRAPHQL_PARSE_FAILED':
    case 'GRAPHQL_VALIDATION_FAILED':
    case 'UNSUPPORTED_API_VERSION':
    case 'MISSING_API_VERSION_HEADER':
      // Our document or version does not match the vendor's schema: a bug or a configuration issue.
      return 'protocol'
    case 'INTERNAL_SERVER_ERROR':
      return 'unavailable'
  }
  if (status >= 400 && status !== 400) return kindForStatus(status)
  if (/too many requests|rate limit/i.test(message)) return 'rate-limited'
  if (/exceeds max (complexity|depth)|cannot query field|unknown argument|syntax error/i.test(message))
    return 'protocol'
  if (/missing token|unauthenticated|not authorized|unauthori[sz]ed/i.test(message)) return 'auth'
  return kindForBusinessMessage(message)
}

/**
 * A list that goes on past the pages an adapter reads: an error, never a short list passed off as
 * whole (the copy would drop every appointment the list did not reach).
 */
export function listTooLong(vendor: Vendor, operation: string, pages: number): VendorError {
  return new VendorError(
    'protocol',
    `The clinic system's list is longer than Frontdesk reads at once (${pages} pages), so it is not shown as complete.`,
    { vendor, operation, vendorMessage: `more than ${pages} pages` },
  )
}
