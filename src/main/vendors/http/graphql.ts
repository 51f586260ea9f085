/**
 * GraphQL over the shared HTTP client, for Semble and Healthie. Turns the transport envelope
 * (`errors[]`, HTTP status, rate limiting) into `VendorError`s; business errors inside `data`
 * (Semble `error`, Healthie `messages`) are the adapter's to read.
 */
import { z } from 'zod'
import type { Logger } from '../../log/logger'
import { defaultMessages, kindForGraphqlError, kindForStatus, VendorError } from '../errors'
import { parseVendor } from './boundary'
import type { Vendor } from '../../../shared/model'
import { readJson, type HttpResponse, type HttpTimeouts, type VendorHttp } from './client'

export interface GraphqlCall {
  /** The operation name, for logs and errors. */
  operation: string
  query: string
  variables?: Record<string, unknown>
  write: boolean
  headers: Record<string, string>
  /** Path under the base URL; empty when the base URL is the endpoint itself. */
  path?: string
  timeouts?: Partial<HttpTimeouts>
  /** The answer's `extensions.warnings`, when it has any (Healthie's version sunset notices). */
  onWarnings?: (warnings: unknown[]) => void
}

const graphqlError = z.looseObject({
  message: z.unknown().optional(),
  extensions: z.record(z.string(), z.unknown()).nullish(),
  path: z.array(z.union([z.string(), z.number()])).nullish(),
})

const envelope = z.looseObject({
  data: z.record(z.string(), z.unknown()).nullish(),
  errors: z.array(graphqlError).nullish(),
  extensions: z.record(z.string(), z.unknown()).nullish(),
})

export type GraphqlErrorItem = z.infer<typeof graphqlError>

export class GraphqlRequestError extends VendorError {
  constructor(
    kind: ConstructorParameters<typeof VendorError>[0],
    message: string,
    init: ConstructorParameters<typeof VendorError>[2],
    readonly errors: GraphqlErrorItem[],
  ) {
    super(kind, message, init)
  }
}

const textOf = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v))

export async function graphqlRequest(
  http: VendorHttp,
  call: GraphqlCall,
  log: Logger,
): Promise<Record<string, unknown>> {
  const res = await http.request({
    method: 'POST',
    path: call.path ?? '',
    headers: call.headers,
    json: { query: call.query, variables: call.variables ?? {}, operationName: call.operation },
    write: call.write,
    operation: call.operation,
    ...(call.timeouts ? { timeouts: call.timeouts } : {}),
  })
  return interpretGraphql(
    res,
    { vendor: http.vendor, operation: call.operation, write: call.write },
    log,
    (ms) => http.backOff(ms),
    call.onWarnings,
  )
}

/**
 * The data of a GraphQL answer, or the classified error. Pure apart from logging and `backOff`,
 * so each vendor's real error shapes are unit-tested on plain responses.
 */
/** Vendor warnings already logged by this process (see interpretGraphql). */
const warningsLogged = new Set<string>()

export function interpretGraphql(
  res: HttpResponse,
  facts: { vendor: Vendor; operation: string; write: boolean },
  log: Logger,
  backOff: (ms: number) => void = () => {},
  onWarnings?: (warnings: unknown[]) => void,
): Record<string, unknown> {
  const json = readJson(res, facts)
  const statusError = () => {
    const kind = kindForStatus(res.status)
    return new VendorError(kind, defaultMessages[kind], {
      vendor: facts.vendor,
      operation: facts.operation,
      status: res.status,
      vendorMessage: `HTTP ${res.status}`,
      ...(res.retryAfterMs !== undefined ? { retryAfterMs: res.retryAfterMs } : {}),
    })
  }
  // Some error answers do not follow the GraphQL envelope at all (Healthie's plain 404s).
  if (res.status >= 300 && !envelope.safeParse(json).success) throw statusError()
  const body = parseVendor(envelope, json, facts)

  const warnings = body.extensions?.warnings
  if (Array.isArray(warnings) && warnings.length) {
    // A vendor repeats the same warning on every answer (Healthie's version sunset): logged once
    // per process, or the log fills with it; every answer still goes to `onWarnings`.
    const key = `${facts.vendor}|${JSON.stringify(warnings)}`
    if (!warningsLogged.has(key)) {
      if (warningsLogged.size >= 200) warningsLogged.clear()
      warningsLogged.add(key)
      log.warn('vendor warnings', { vendor: facts.vendor, operation: facts.operation, warnings, once: true })
    }
    onWarnings?.(warnings)
  }

  const errors = body.errors ?? []
  if (errors.length) {
    // Field-level failures (e.g. a permission on one nested field) come with the rest of the data.
    const partial = body.data && errors.every((e) => (e.path?.length ?? 0) > 1)
    if (partial && res.status < 400) {
      log.warn('vendor partial data', {
        vendor: facts.vendor,
        operation: facts.operation,
        // Where and why in codes; the vendor's own words (which may quote a patient) are withheld.
        errors: errors.map((e) => ({ path: e.path, code: e.extensions?.code })),
        vendorMessage: errors.map((e) => textOf(e.message)).join('; '),
      })
      return body.data as Record<string, unknown>
    }
    const first = errors[0]!
    const kind = res.status === 429 ? 'rate-limited' : kindForGraphqlError(first, res.status)
    const vendorCode = typeof first.extensions?.code === 'string' ? first.extensions.code : undefined
    let retryAfterMs = res.retryAfterMs
    if (kind === 'rate-limited') {
      const hinted = Number(first.extensions?.retry_after ?? first.extensions?.retryAfter)
      if (retryAfterMs === undefined && Number.isFinite(hinted) && hinted > 0) retryAfterMs = hinted * 1000
      backOff(retryAfterMs ?? 1_000)
    }
    throw new GraphqlRequestError(
      kind,
      defaultMessages[kind],
      {
        vendor: facts.vendor,
        operation: facts.operation,
        status: res.status,
        vendorMessage: errors.map((e) => textOf(e.message)).join('; '),
        ...(vendorCode ? { vendorCode } : {}),
        ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
      },
      errors,
    )
  }
  if (res.status >= 300) throw statusError()
  if (!body.data) {
    const kind = facts.write ? 'ambiguous' : 'protocol'
    throw new VendorError(kind, defaultMessages[kind], {
      vendor: facts.vendor,
      operation: facts.operation,
      vendorMessage: 'answer without data or errors',
    })
  }
  return body.data
}

/** The GraphQL endpoint under a base URL that may or may not already name it. */
export const graphqlPath = (baseUrl: string) =>
  /\/graphql\/?$/.test(new URL(baseUrl).pathname) ? '' : '/graphql'
