import type { AdapterFactory } from '../types'
import { HeroAdapter } from './adapter'
import { heroAssumptions } from './assumptions'

/** Hero's limits are in the partner agreement, not published: the register's `rateLimit` entry. */
export const heroFactory: AdapterFactory = {
  vendor: 'hero',
  rateLimit: (c) => ({
    perMinute: Number(c.options.rateLimitPerMinute) || Number(heroAssumptions.rateLimit.assumed),
  }),
  create: (deps) => new HeroAdapter(deps),
}
