import { describe, expect, it } from 'vitest'
import { TokenBucket, type LimiterClock } from '../../../src/main/vendors/http/limiter'

/** A clock that only moves when the limiter sleeps: each send is stamped with the time it left. */
function fakeClock(start = 0) {
  let t = start
  const clock: LimiterClock & { advance(ms: number): void } = {
    now: () => t,
    sleep: async (ms) => {
      t += ms
    },
    advance: (ms) => {
      t += ms
    },
  }
  return clock
}

/** The most requests inside any `windowMs`-long window. */
function busiestWindow(times: number[], windowMs: number): number {
  let best = 0
  for (let i = 0; i < times.length; i++) {
    let n = 0
    for (let j = i; j < times.length && times[j]! < times[i]! + windowMs; j++) n++
    best = Math.max(best, n)
  }
  return best
}

describe('token bucket', () => {
  it('lets a burst through at once, then paces', async () => {
    const clock = fakeClock()
    const bucket = new TokenBucket({ perMinute: 120, clock })
    expect(bucket.burst).toBe(4)
    const times: number[] = []
    for (let i = 0; i < 6; i++) {
      await bucket.take()
      times.push(clock.now())
    }
    expect(times.slice(0, 4).every((t) => t === 0)).toBe(true)
    // Refill is (120 - 4) per minute: one token every ~517 ms, so a long drain holds ~97% of the limit.
    expect(times[4]).toBeGreaterThanOrEqual(517)
    expect(times[4]).toBeLessThan(530)
  })

  it('never puts more than the published limit into any 60-second window', async () => {
    const clock = fakeClock()
    const bucket = new TokenBucket({ perMinute: 120, clock })
    const times: number[] = []
    for (let i = 0; i < 400; i++) {
      await bucket.take()
      times.push(clock.now())
      // An idle spell now and then lets the burst build up again.
      if (i % 97 === 0) clock.advance(30_000)
    }
    expect(busiestWindow(times, 60_000)).toBeLessThanOrEqual(120)
  })

  it('serves callers in arrival order and counts the queue', async () => {
    const clock = fakeClock()
    const bucket = new TokenBucket({ perMinute: 6, burst: 1, clock })
    const order: number[] = []
    const all = [1, 2, 3].map((n) => bucket.take().then(() => order.push(n)))
    expect(bucket.queued).toBe(3)
    await Promise.all(all)
    expect(order).toEqual([1, 2, 3])
    expect(bucket.queued).toBe(0)
  })

  it('pauses every caller after a Retry-After and empties the bucket', async () => {
    const clock = fakeClock()
    const bucket = new TokenBucket({ perMinute: 120, clock })
    bucket.pause(5_000)
    await bucket.take()
    expect(clock.now()).toBeGreaterThanOrEqual(5_000)
    // Emptied: the next request waits for a refill rather than bursting straight after the pause.
    const before = clock.now()
    await bucket.take()
    expect(clock.now()).toBeGreaterThan(before)
  })

  it('tryTake reports the wait without queueing', () => {
    const clock = fakeClock()
    const bucket = new TokenBucket({ perMinute: 60, burst: 1, clock })
    expect(bucket.tryTake()).toBe(0)
    const wait = bucket.tryTake()
    expect(wait).toBeGreaterThan(0)
    clock.advance(wait)
    expect(bucket.tryTake()).toBe(0)
  })

  it('rejects a nonsense limit', () => {
    expect(() => new TokenBucket({ perMinute: 0 })).toThrow(RangeError)
  })
})
