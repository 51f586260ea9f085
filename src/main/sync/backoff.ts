/**
 * Retry timing for the outbox: exponential backoff with full jitter (a random delay between zero
 * and the exponential cap), so many clinics coming back online at once do not stampede a vendor.
 * A vendor's Retry-After is a floor: we never come back sooner than it asked.
 */
export interface BackoffPolicy {
  baseMs: number
  capMs: number
}

export const defaultBackoff: BackoffPolicy = { baseMs: 2_000, capMs: 5 * 60_000 }

export function retryDelayMs(
  attempts: number,
  retryAfterMs: number | undefined,
  random: () => number = Math.random,
  policy: BackoffPolicy = defaultBackoff,
): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, attempts - 1))
  const jittered = Math.floor(random() * ceiling)
  return Math.max(jittered, retryAfterMs ?? 0)
}
