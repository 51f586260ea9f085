import {
  type Clock,
  type SimRequest,
  type SimResponse,
  type SimulatorHandle,
  startSimulator,
  systemClock,
} from '../core'
import {
  attachResolvers,
  DocumentCache,
  formatErrors,
  peekOperation,
  readGraphqlBody,
  run,
} from '../graphql/graphql-http'
import { loadSchema } from '../graphql/sdl'
import { type SeedClinic } from '../seed'
import { type SembleContext, sembleResolvers } from './resolvers'
import { SembleState } from './state'

export { SembleState, type SembleOptions, defaultSembleOptions } from './state'

export const SEMBLE_DEFAULT_RATE_LIMIT_PER_MINUTE = 120

export interface SembleSimulatorOptions {
  port?: number
  clock?: Clock
  /** Token bucket per minute; Semble publishes 240 and has announced 120 (default). */
  rateLimitPerMinute?: number
}

const gqlError = (status: number, message: string, code: string): SimResponse => ({
  status,
  body: { errors: [{ message, extensions: { code } }] },
})

/** Only `signIn` may be sent without an `x-token`. */
const SIGN_IN = 'signIn'

export async function startSembleSimulator(
  clinic: SeedClinic,
  opts: SembleSimulatorOptions = {},
): Promise<SimulatorHandle<SembleState>> {
  const clock = opts.clock ?? systemClock
  // Seeded records are dated a year before the clinic's "today", so ids and timestamps do not depend on the clock.
  const seededAt = new Date(Date.parse(`${clinic.today}T00:00:00Z`) - 365 * 86_400_000)
  const state = new SembleState(clinic, seededAt)
  const schema = loadSchema('semble', import.meta.url)
  attachResolvers(schema, sembleResolvers())
  const documents = new DocumentCache(schema)

  return startSimulator<SembleState>(
    {
      vendor: 'semble',
      state,
      credentials: {
        apiToken: state.apiToken,
        signInEmail: state.signIn.email,
        signInPassword: state.signIn.password,
        nhsNumberTypeId: state.nhsNumberTypeId,
      },
      rateLimitPerMinute: opts.rateLimitPerMinute ?? SEMBLE_DEFAULT_RATE_LIMIT_PER_MINUTE,
      isWrite: (req) => peekOperation(documents, req.body)?.kind === 'mutation',
      operationName: (req) => peekOperation(documents, req.body)?.field || `${req.method} ${req.path}`,
      rateLimited: () => gqlError(429, 'Too many requests', 'RATE_LIMITED'),
      unavailable: (status) =>
        gqlError(
          status,
          status === 503 ? 'Service Unavailable' : 'Internal Server Error',
          'INTERNAL_SERVER_ERROR',
        ),
      onExpireTokens: () => state.expireAllTokens(),
      onReinstateTokens: () => state.reinstateApiToken(),
      async handle(req: SimRequest, ctx): Promise<SimResponse> {
        if (req.path !== '/graphql') return gqlError(404, `Cannot ${req.method} ${req.path}`, 'NOT_FOUND')
        if (req.method !== 'POST') return gqlError(405, 'Only POST is supported', 'METHOD_NOT_ALLOWED')
        const body = readGraphqlBody(req.body)
        const prepared = body ? documents.prepare(body) : undefined
        const signInOnly =
          prepared?.ok === true &&
          prepared.op.kind === 'mutation' &&
          prepared.op.rootFields.every((f) => f === SIGN_IN)
        if (!signInOnly) {
          const token = req.headers['x-token']?.trim()
          const known = token ? state.tokens.get(token) : undefined
          if (!known) return gqlError(401, 'Missing token.', 'UNAUTHENTICATED')
          if (known.expired || (known.expiresAt !== null && known.expiresAt <= clock.now().getTime()))
            return gqlError(401, 'Token expired.', 'UNAUTHENTICATED')
        }
        if (!body || !prepared) return gqlError(400, 'Must provide query string.', 'BAD_REQUEST')
        if (!prepared.ok) return { status: 400, body: { errors: formatErrors(prepared.errors) } }
        const invalid = documents.validate(body.query, prepared.op.document)
        if (invalid.length > 0) {
          const errors = formatErrors(invalid).map((e) => ({
            ...e,
            extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
          }))
          return { status: 400, body: { errors } }
        }
        const context: SembleContext = { state, clock: ctx.clock, recordWrite: ctx.recordWrite }
        const result = await run(schema, prepared.op, body, context)
        return { status: 200, body: result }
      },
    },
    { port: opts.port, clock },
  )
}
