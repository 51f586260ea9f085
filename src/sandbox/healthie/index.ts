import {
  type Clock,
  type SimRequest,
  type SimResponse,
  type SimulatorHandle,
  startSimulator,
  systemClock,
} from '../core'
import { limitProblem, measureQuery } from './limits'
import {
  attachResolvers,
  DocumentCache,
  formatErrors,
  peekOperation,
  readGraphqlBody,
  run,
} from '../graphql/graphql-http'
import { buildSchema } from 'graphql'
import { loadSdl } from '../graphql/sdl'
import { baselineSdl } from './baseline'
import { type SeedClinic } from '../seed'
import { type HealthieContext, healthieResolvers } from './resolvers'
import { HealthieState } from './state'

export { HealthieState, type HealthieOptions, defaultHealthieOptions } from './state'

/** The newest API version, whose shapes the simulator serves (Relay connections for list queries). */
export const HEALTHIE_API_VERSION = '2026-01-01'
/** The baseline: what a request without the header gets, and a version that can be named (plain lists). */
export const HEALTHIE_BASELINE_VERSION = '2024-06-01'
/** The versions whose shapes the simulator serves; Healthie serves every published one. */
const SERVED = [HEALTHIE_API_VERSION, HEALTHIE_BASELINE_VERSION]
/** Healthie's published release dates; any other value is unknown to Healthie itself. */
export const HEALTHIE_PUBLISHED_VERSIONS = [
  '2026-01-01',
  '2025-11-30',
  '2025-10-15',
  '2025-07-31',
  '2025-05-15',
  '2025-04-01',
  '2025-01-01',
  '2024-11-01',
  '2024-10-20',
  '2024-10-01',
  '2024-07-01',
  '2024-06-01',
]
/**
 * Healthie's retirement schedule (healthie.md §4.1 [C]): from 2027-01-31 versions before 2026-07-01
 * are refused with UNSUPPORTED_API_VERSION. Until then a version before 2026-07-01 is answered with
 * an API_VERSION_SUNSET_WARNING naming that date; that the warnings start on 2026-07-01 (when the
 * missing-header warnings do) is inferred, not stated. Read from the simulator's clock.
 */
export const HEALTHIE_SUNSET = { warnFrom: '2026-07-01', retiredFrom: '2027-01-31', minimum: '2026-07-01' }

/** Dynamic in the real service; generous here unless a test sets it. */
export const HEALTHIE_DEFAULT_RATE_LIMIT_PER_MINUTE = 600

export interface HealthieSimulatorOptions {
  port?: number
  clock?: Clock
  rateLimitPerMinute?: number
}

const errors = (status: number, message: string, extensions: Record<string, unknown>): SimResponse => ({
  status,
  body: { errors: [{ message, extensions }] },
})

function withWarnings(body: Record<string, unknown>, warnings: unknown[]): Record<string, unknown> {
  if (warnings.length === 0) return body
  const extensions = (body.extensions as Record<string, unknown> | undefined) ?? {}
  return { ...body, extensions: { ...extensions, warnings } }
}

/**
 * The Healthie-GraphQL-API-Version header's check: a refusal, or the warnings every answer to the
 * request carries (a missing header, a version near its sunset).
 */
function checkVersion(
  version: string | undefined,
  clock: Clock,
): { warnings: unknown[]; refusal?: SimResponse } {
  const warnings: unknown[] = []
  const today = clock.now().toISOString().slice(0, 10)
  if (!version && today >= HEALTHIE_SUNSET.retiredFrom) {
    // From the retirement date the header is required (healthie.md §4.1).
    return {
      warnings,
      refusal: errors(400, 'The Healthie-GraphQL-API-Version header is required.', {
        code: 'MISSING_API_VERSION_HEADER',
        minimum_supported_version: HEALTHIE_SUNSET.minimum,
        latest_version: HEALTHIE_API_VERSION,
      }),
    }
  }
  if (!version) {
    // Answered in the baseline's shapes; the warning from the date Healthie started sending it.
    if (today >= HEALTHIE_SUNSET.warnFrom)
      warnings.push({
        code: 'MISSING_API_VERSION_HEADER',
        message: `No Healthie-GraphQL-API-Version header was sent: answered as the ${HEALTHIE_BASELINE_VERSION} baseline.`,
        latest_version: HEALTHIE_API_VERSION,
      })
  } else if (
    version < HEALTHIE_SUNSET.minimum &&
    today >= HEALTHIE_SUNSET.retiredFrom &&
    HEALTHIE_PUBLISHED_VERSIONS.includes(version)
  ) {
    return {
      warnings,
      refusal: errors(400, `API version ${version} is no longer supported.`, {
        code: 'UNSUPPORTED_API_VERSION',
        requested_version: version,
        minimum_supported_version: HEALTHIE_SUNSET.minimum,
        latest_version: HEALTHIE_API_VERSION,
      }),
    }
  } else if (!SERVED.includes(version)) {
    const known = HEALTHIE_PUBLISHED_VERSIONS.includes(version)
    return {
      warnings,
      refusal: errors(
        400,
        known
          ? // Healthie itself still answers it; this simulator knows only one version's shapes.
            `API version ${version} is published by Healthie, but this simulator serves only ${SERVED.join(' and ')} shapes.`
          : `Unknown API version ${version}.`,
        {
          code: 'UNSUPPORTED_API_VERSION',
          requested_version: version,
          minimum_supported_version: HEALTHIE_API_VERSION,
          latest_version: HEALTHIE_API_VERSION,
        },
      ),
    }
  }
  if (version && version < HEALTHIE_SUNSET.minimum && today >= HEALTHIE_SUNSET.warnFrom) {
    warnings.push({
      code: 'API_VERSION_SUNSET_WARNING',
      message: `API version ${version} will stop being supported on ${HEALTHIE_SUNSET.retiredFrom}.`,
      requested_version: version,
      sunset_date: HEALTHIE_SUNSET.retiredFrom,
      latest_version: HEALTHIE_API_VERSION,
    })
  }
  return { warnings }
}

export async function startHealthieSimulator(
  clinic: SeedClinic,
  opts: HealthieSimulatorOptions = {},
): Promise<SimulatorHandle<HealthieState>> {
  const clock = opts.clock ?? systemClock
  const seededAt = new Date(Date.parse(`${clinic.today}T00:00:00Z`) - 365 * 86_400_000)
  const state = new HealthieState(clinic, seededAt)
  // One schema a served version's shapes, each with the same resolvers.
  const sdl = loadSdl('healthie', import.meta.url)
  const versions = {
    connection: buildSchema(sdl),
    plain: buildSchema(baselineSdl(sdl)),
  }
  const resolvers = healthieResolvers()
  for (const schema of Object.values(versions)) attachResolvers(schema, resolvers)
  const documentsFor = {
    connection: new DocumentCache(versions.connection),
    plain: new DocumentCache(versions.plain),
  }
  // Whether a request is a write reads the same either way: the operation's kind and root field.
  const documents = documentsFor.connection
  const listsFor = (req: SimRequest) =>
    req.headers['healthie-graphql-api-version']?.trim() === HEALTHIE_API_VERSION ? 'connection' : 'plain'

  return startSimulator<HealthieState>(
    {
      vendor: 'healthie',
      state,
      credentials: {
        apiKey: state.apiKey,
        authorization: `Basic ${state.apiKey}`,
        authorizationSource: 'API',
        apiVersion: HEALTHIE_API_VERSION,
      },
      rateLimitPerMinute: opts.rateLimitPerMinute ?? HEALTHIE_DEFAULT_RATE_LIMIT_PER_MINUTE,
      isWrite: (req) => peekOperation(documents, req.body)?.kind === 'mutation',
      operationName: (req) => peekOperation(documents, req.body)?.field || `${req.method} ${req.path}`,
      rateLimited: () =>
        errors(state.options.rateLimitHttpStatus, 'Too many requests. Please try again later.', {
          code: 'TOO_MANY_REQUESTS',
        }),
      unavailable: (status) =>
        errors(status, status === 503 ? 'Service Unavailable' : 'Internal server error', {
          code: 'INTERNAL_SERVER_ERROR',
        }),
      onExpireTokens: () => {
        state.apiKeyRevoked = true
      },
      onReinstateTokens: () => state.reinstateApiKey(),
      async handle(req: SimRequest, ctx): Promise<SimResponse> {
        // Like Healthie's "some 404s do not follow the GraphQL spec": no errors envelope off /graphql.
        if (req.path !== '/graphql') return { status: 404, body: { status: 404, error: 'Not Found' } }
        if (req.method !== 'POST')
          return errors(405, 'Only POST is supported', { code: 'METHOD_NOT_ALLOWED' })

        const version = req.headers['healthie-graphql-api-version']?.trim()
        const { warnings, refusal } = checkVersion(version, clock)
        if (refusal) return refusal

        const auth = req.headers.authorization?.trim() ?? ''
        const match = /^Basic\s+(\S+)$/i.exec(auth)
        const source = req.headers.authorizationsource?.trim()
        if (!match || match[1] !== state.apiKey || state.apiKeyRevoked || source !== 'API') {
          const message = !auth
            ? 'Authorization header is missing'
            : source !== 'API'
              ? 'AuthorizationSource header must be API'
              : 'API key is invalid or has been revoked'
          return {
            status: state.options.authFailureHttpStatus,
            body: withWarnings(
              { data: null, errors: [{ message, extensions: { code: 'UNAUTHENTICATED' } }] },
              warnings,
            ),
          }
        }

        const body = readGraphqlBody(req.body)
        if (!body) return errors(400, 'No query string was present', { code: 'BAD_REQUEST' })
        const lists = listsFor(req)
        const schema = versions[lists]
        const documents = documentsFor[lists]
        const prepared = documents.prepare(body)
        if (!prepared.ok)
          return { status: 400, body: withWarnings({ errors: formatErrors(prepared.errors) }, warnings) }
        const invalid = documents.validate(body.query, prepared.op.document)
        if (invalid.length > 0)
          return { status: 400, body: withWarnings({ errors: formatErrors(invalid) }, warnings) }
        const tooBig = limitProblem(
          measureQuery(schema, prepared.op.document, prepared.op.operation, body.variables ?? {}),
        )
        if (tooBig)
          return { status: 200, body: withWarnings({ data: null, errors: formatErrors(tooBig) }, warnings) }
        const context: HealthieContext = { state, clock: ctx.clock, recordWrite: ctx.recordWrite, lists }
        const result = await run(schema, prepared.op, body, context)
        return { status: 200, body: withWarnings({ ...result }, warnings) }
      },
    },
    { port: opts.port, clock },
  )
}
