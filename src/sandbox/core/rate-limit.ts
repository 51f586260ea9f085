import { type Clock } from './clock'

/**
 * Token bucket on the simulator's clock. The bucket holds a full minute's allowance and refills
 * continuously, so a client pacing itself at the published limit never sees a 429, while one that
 * sends more than the limit within a minute does.
 */
export class TokenBucket {
  private tokens: number
  private last: number
  private readonly perMs: number

  constructor(
    readonly perMinute: number,
    private readonly clock: Clock,
    readonly burst: number = perMinute,
  ) {
    this.tokens = burst
    this.last = clock.now().getTime()
    this.perMs = perMinute / 60_000
  }

  /** Takes a token; when none is left, returns the whole seconds until one will be. */
  take(): { ok: true } | { ok: false; retryAfterSeconds: number } {
    this.refill()
    // The epsilon absorbs float drift for a client pacing exactly at the limit.
    if (this.tokens >= 1 - 1e-9) {
      this.tokens -= 1
      return { ok: true }
    }
    const waitMs = (1 - this.tokens) / this.perMs
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) }
  }

  private refill(): void {
    const now = this.clock.now().getTime()
    const elapsed = Math.max(0, now - this.last)
    this.last = Math.max(this.last, now)
    this.tokens = Math.min(this.burst, this.tokens + elapsed * this.perMs)
  }
}
