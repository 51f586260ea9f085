import type { AdapterFactory } from '../types'
import { HeimAdapter } from './adapter'

/** Heim publishes no limit ([U]): 60/min unless `options.rateLimitPerMinute` says. */
export const heimFactory: AdapterFactory = {
  vendor: 'heim',
  rateLimit: (c) => ({ perMinute: Number(c.options.rateLimitPerMinute) || 60 }),
  create: (deps) => new HeimAdapter(deps),
}
