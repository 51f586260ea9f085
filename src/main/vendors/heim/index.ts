import type { AdapterFactory } from '../types'
import { HeimAdapter } from './adapter'
import { heimAssumptions } from './assumptions'

/** Heim publishes no limit: the register's `rateLimit` entry. */
export const heimFactory: AdapterFactory = {
  vendor: 'heim',
  rateLimit: (c) => ({
    perMinute: Number(c.options.rateLimitPerMinute) || Number(heimAssumptions.rateLimit.assumed),
  }),
  create: (deps) => new HeimAdapter(deps),
}
