/**
 * Per-connection token bucket. Every caller of one connection (outbox worker, interactive reads,
 * reconciliation) takes from the same bucket, first come first served.
 *
 * Sizing: with a burst of B tokens refilled at (limit − B) per minute, no 60-second window can
 * hold more than `limit` requests, whatever algorithm the vendor counts with (fixed window,
 * sliding window or its own bucket). So pacing at the published limit never earns a 429.
 */
export interface LimiterClock {
  now(): number
  sleep(ms: number): Promise<void>
}

export const realClock: LimiterClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
}

export interface LimiterOptions {
  perMinute: number
  /**
   * Requests that may go back to back after a quiet spell; default min(4, perMinute / 30). Small,
   * because every token of burst is one less per minute of sustained pace (a long outbox drain).
   */
  burst?: number
  clock?: LimiterClock
}

export class TokenBucket {
  readonly perMinute: number
  readonly burst: number
  private readonly perMs: number
  private readonly clock: LimiterClock
  private tokens: number
  private last: number
  /** No request leaves before this instant (set by a vendor's Retry-After). */
  private pausedUntil = 0
  private queue: Promise<void> = Promise.resolve()
  private waiting = 0

  constructor(opts: LimiterOptions) {
    if (!(opts.perMinute > 0)) throw new RangeError('perMinute must be positive')
    this.perMinute = opts.perMinute
    this.burst = Math.max(
      1,
      Math.min(opts.burst ?? Math.min(4, Math.floor(opts.perMinute / 30)), opts.perMinute),
    )
    // The refill leaves room for the burst inside any one minute (see the header comment).
    this.perMs = Math.max(opts.perMinute - this.burst, opts.perMinute / 60) / 60_000
    this.clock = opts.clock ?? realClock
    this.tokens = this.burst
    this.last = this.clock.now()
  }

  /** Callers queued behind the limiter right now (for status and tests). */
  get queued(): number {
    return this.waiting
  }

  /** Milliseconds until a token is free (0: take it now), without taking it. */
  private waitMs(): number {
    const now = this.clock.now()
    if (now < this.pausedUntil) return this.pausedUntil - now
    this.tokens = Math.min(this.burst, this.tokens + Math.max(0, now - this.last) * this.perMs)
    this.last = Math.max(this.last, now)
    if (this.tokens >= 1) return 0
    return Math.ceil((1 - this.tokens) / this.perMs)
  }

  /** Takes a token if one is free now; otherwise the ms to wait. Does not queue. */
  tryTake(): number {
    if (this.waiting > 0) return Math.max(1, this.waitMs())
    const wait = this.waitMs()
    if (wait === 0) this.tokens -= 1
    return wait
  }

  /** Resolves when the caller may send; callers are served in arrival order. */
  take(): Promise<void> {
    this.waiting += 1
    const turn = this.queue.then(async () => {
      for (;;) {
        const wait = this.waitMs()
        if (wait === 0) {
          this.tokens -= 1
          return
        }
        await this.clock.sleep(wait)
      }
    })
    this.queue = turn.finally(() => {
      this.waiting -= 1
    })
    return this.queue
  }

  /**
   * A vendor said "slow down": everybody on this connection waits until then. Afterwards one
   * request may go straight away and the rest refill from zero, so the queue does not burst back.
   */
  pause(ms: number): void {
    if (!(ms > 0)) return
    this.pausedUntil = Math.max(this.pausedUntil, this.clock.now() + ms)
    this.tokens = 1
    this.last = this.pausedUntil
  }
}
