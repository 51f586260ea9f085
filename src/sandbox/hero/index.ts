import { matchRoute, type SimulatorHandle, startSimulator } from '../core'
import { type SeedClinic } from '../seed'
import { appointmentRoutes } from './routes/appointments'
import { patientRoutes } from './routes/patients'
import { practiceRoutes } from './routes/practice'
import { err, heroContext, type HeroOptions, routeName } from './routes/shared'
import { slotRoutes } from './routes/slots'
import { type HeroState } from './state'

export { type HeroState, type HeroAppointment, type HeroAppointmentRecord } from './state'
export { type HeroSlot, decodeSlotId, encodeSlotId } from './slots'
export { type HeroOptions } from './routes/shared'

/**
 * Hero publishes no rate limit: the same conservative figure the adapter assumes (the `rateLimit`
 * entry of src/main/vendors/hero/assumptions.ts), so a client pacing itself by it never sees a 429.
 */
export const HERO_DEFAULT_RATE_LIMIT_PER_MINUTE = 120

const BOOKING_PREFIXES = ['/v1/slots', '/v1/appointments', '/v1/appointment_types']

export function startHeroSimulator(
  clinic: SeedClinic,
  opts: HeroOptions = {},
): Promise<SimulatorHandle<HeroState>> {
  const sim = heroContext(clinic, opts)
  const { state, routes } = sim
  routes.push(...practiceRoutes(sim), ...slotRoutes(sim), ...appointmentRoutes(sim), ...patientRoutes(sim))
  const rateLimitPerMinute = opts.rateLimitPerMinute ?? HERO_DEFAULT_RATE_LIMIT_PER_MINUTE

  return startSimulator<HeroState>(
    {
      vendor: 'hero',
      state,
      credentials: {
        apiKey: state.apiKeys[0]?.key ?? '',
        practiceGroupId: state.practiceGroupId,
        messagingOnlyApiKey: state.apiKeys[1]?.key ?? '',
      },
      isWrite: (req) => req.method !== 'GET' && req.method !== 'HEAD',
      operationName: (req) => `${req.method} ${routeName(sim, req)}`,
      rateLimited: () => err(429, 'Too many requests'),
      unavailable: (status) => err(status, status === 500 ? 'Internal server error' : 'Service unavailable'),
      onExpireTokens: () => {
        for (const k of state.apiKeys) state.revokedKeys.add(k.key)
      },
      onReinstateTokens: () => {
        for (const k of state.apiKeys) state.revokedKeys.delete(k.key)
      },
      ...(rateLimitPerMinute > 0 ? { rateLimitPerMinute } : {}),
      handle: (req, ctx) => {
        const key = req.headers['x-api-key']
        const group = req.headers['x-practice-group-id']
        if (!key || !group)
          return err(401, 'Unauthorized: x-api-key and x-practice-group-id headers are required')
        const known = state.apiKeys.find((k) => k.key === key)
        if (!known) return err(401, 'Unauthorized: invalid API key')
        if (state.revokedKeys.has(key)) return err(401, 'Unauthorized: API key has been revoked')
        if (group !== state.practiceGroupId)
          return err(401, 'Unauthorized: practice group not accessible with this key')
        const m = matchRoute(routes, req.method, req.path)
        if (!m.route)
          return m.methodMismatch
            ? err(405, 'Method not allowed')
            : err(404, `Cannot ${req.method} ${req.path}`)
        if (BOOKING_PREFIXES.some((p) => req.path.startsWith(p)) && !known.scopes.includes('booking'))
          return err(403, 'Forbidden: this API key does not have the booking scope')
        return m.route.handler(req, m.params, ctx)
      },
    },
    { ...(opts.port !== undefined ? { port: opts.port } : {}), ...(opts.clock ? { clock: opts.clock } : {}) },
  )
}
