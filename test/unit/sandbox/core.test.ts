import { describe, expect, it } from 'vitest'
import { FaultQueue, faultSchema, ManualClock, TokenBucket } from '../../../src/sandbox/core'

describe('TokenBucket', () => {
  it('never refuses a client pacing itself at the limit', () => {
    const clock = new ManualClock()
    const bucket = new TokenBucket(30, clock)
    for (let i = 0; i < 600; i++) {
      expect(bucket.take().ok).toBe(true)
      clock.advance(2000)
    }
  })

  it('refuses the request past a minute’s allowance and says when to retry', () => {
    const clock = new ManualClock()
    const bucket = new TokenBucket(30, clock)
    for (let i = 0; i < 30; i++) expect(bucket.take().ok).toBe(true)
    expect(bucket.take()).toEqual({ ok: false, retryAfterSeconds: 2 })
    clock.advance(2000)
    expect(bucket.take().ok).toBe(true)
    expect(bucket.take().ok).toBe(false)
  })
})

describe('FaultQueue', () => {
  it('counts faults down per matching request and respects scope', () => {
    const q = new FaultQueue()
    q.add({ kind: 'status', status: 503, count: 2, scope: 'writes' })
    q.add({ kind: 'reset-after-write', count: 1 })
    q.add({ kind: 'latency', ms: 20 })
    expect(q.take(false)).toBeUndefined()
    expect(q.take(true)?.kind).toBe('status')
    expect(q.take(true)?.kind).toBe('status')
    expect(q.take(true)?.kind).toBe('reset-after-write')
    expect(q.take(true)).toBeUndefined()
    expect(q.latencyMs()).toBe(20)
    q.clear()
    expect(q.list()).toEqual([])
  })

  it('validates fault JSON', () => {
    expect(faultSchema.safeParse({ kind: 'status', status: 503, count: 1 }).success).toBe(true)
    expect(faultSchema.safeParse({ kind: 'status', status: 404, count: 1 }).success).toBe(false)
    expect(faultSchema.safeParse({ kind: 'hang', ms: 10, count: 0 }).success).toBe(false)
    expect(faultSchema.safeParse({ kind: 'latency', ms: 5, extra: 1 }).success).toBe(false)
    expect(faultSchema.safeParse({ kind: 'teleport' }).success).toBe(false)
  })
})
