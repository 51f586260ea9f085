import type { AdapterFactory } from '../types'
import { HeroAdapter } from './adapter'

/** Hero's limits are in the partner agreement, not published: 120/min unless `options.rateLimitPerMinute` says. */
export const heroFactory: AdapterFactory = {
  vendor: 'hero',
  rateLimit: (c) => ({ perMinute: Number(c.options.rateLimitPerMinute) || 120 }),
  create: (deps) => new HeroAdapter(deps),
}
