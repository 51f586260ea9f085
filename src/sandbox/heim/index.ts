import { matchRoute, type SimRequest, type SimulatorHandle, startSimulator } from '../core'
import { type SeedClinic } from '../seed'
import { appointmentRoutes } from './routes/appointments'
import { availabilityRoutes } from './routes/availability'
import { patientRoutes } from './routes/patients'
import { err, heimContext, type HeimOptions } from './routes/shared'
import { taskRoutes } from './routes/tasks'
import { type HeimState } from './state'

export {
  type HeimState,
  type HeimAppointment,
  type HeimPatient,
  type HeimTask,
  type HeimWindow,
} from './state'
export { parseFilter, compileFilters, FilterError, type FilterClause } from './filter'
export { type HeimOptions } from './routes/shared'

/**
 * Heim publishes no rate limit: the same conservative figure the adapter assumes (the `rateLimit`
 * entry of src/main/vendors/heim/assumptions.ts), so a client pacing itself by it never sees a 429.
 */
export const HEIM_DEFAULT_RATE_LIMIT_PER_MINUTE = 60

export function startHeimSimulator(
  clinic: SeedClinic,
  opts: HeimOptions = {},
): Promise<SimulatorHandle<HeimState>> {
  const sim = heimContext(clinic, opts)
  const { state } = sim
  // The first match wins, and the task and availability paths are options that may overlap: order matters.
  const routes = [
    ...patientRoutes(sim),
    ...taskRoutes(sim),
    ...availabilityRoutes(sim),
    ...appointmentRoutes(sim),
  ]
  const routeName = (req: SimRequest) => {
    const m = matchRoute(routes, req.method, req.path)
    return `${req.method} ${m.route ? m.route.pattern : req.path}`
  }
  const rateLimitPerMinute = opts.rateLimitPerMinute ?? HEIM_DEFAULT_RATE_LIMIT_PER_MINUTE

  return startSimulator<HeimState>(
    {
      vendor: 'heim',
      state,
      credentials: { apiKey: state.testKey, liveApiKey: state.liveKey },
      isWrite: (req) => req.method !== 'GET' && req.method !== 'HEAD',
      operationName: routeName,
      rateLimited: () => err(429, 'Too many requests'),
      unavailable: (status) => err(status, status === 500 ? 'Internal server error' : 'Service unavailable'),
      onExpireTokens: () => state.revokedKeys.add(state.testKey),
      onReinstateTokens: () => state.revokedKeys.delete(state.testKey),
      ...(rateLimitPerMinute > 0 ? { rateLimitPerMinute } : {}),
      handle: (req, ctx) => {
        const key = req.headers.authorization
        if (!key) return err(401, 'Provide a header Authorization with the value of your API key')
        if (/^(Bearer|Basic) /i.test(key))
          return err(
            401,
            'Send the API key itself in the Authorization header, without a "Bearer" or "Basic" prefix',
          )
        if (key.startsWith('live_'))
          return err(
            401,
            'Live keys are not accepted here: this is test mode, use a test_ key (test mode never dispatches a practitioner)',
          )
        if (key !== state.testKey) return err(401, 'Invalid API key')
        if (state.revokedKeys.has(key)) return err(401, 'This API key has been revoked')
        if (req.rawBody.length > 0 && req.body === undefined)
          return err(400, 'Request body could not be parsed as JSON')
        const m = matchRoute(routes, req.method, req.path)
        if (!m.route)
          return m.methodMismatch
            ? err(405, 'Method not allowed')
            : err(404, `No route for ${req.method} ${req.path}`)
        return m.route.handler(req, m.params, ctx)
      },
    },
    { ...(opts.port !== undefined ? { port: opts.port } : {}), ...(opts.clock ? { clock: opts.clock } : {}) },
  )
}
