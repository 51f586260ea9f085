import type { AdapterFactory } from '../types'
import { HealthieAdapter } from './adapter'

/** Healthie's limits are dynamic (healthie.md §4.4); 300/min is a polite default, `options.rateLimitPerMinute` overrides. */
export const healthieFactory: AdapterFactory = {
  vendor: 'healthie',
  rateLimit: (c) => ({ perMinute: Number(c.options.rateLimitPerMinute) || 300 }),
  create: (deps) => new HealthieAdapter(deps),
}
