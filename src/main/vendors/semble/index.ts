import type { AdapterFactory } from '../types'
import { SembleAdapter } from './adapter'

/** Semble's published limit is 240/min, announced to halve: design for 120 (vendors/README.md). */
export const sembleFactory: AdapterFactory = {
  vendor: 'semble',
  rateLimit: (c) => ({ perMinute: Math.min(Number(c.options.rateLimitPerMinute) || 120, 120) }),
  create: (deps) => new SembleAdapter(deps),
}
