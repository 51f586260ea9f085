/**
 * `setAnswered` (src/renderer/src/data/query-client.ts): an action's answer put into the cache is
 * not taken back by a read that was under way when the action was taken (that read was answered
 * before the action, so it holds the old value), and a change that arrived during that read is
 * still read.
 */
import { QueryObserver } from '@tanstack/react-query'
import { describe, expect, it } from 'vitest'
import { changed, queryClient, setAnswered } from '../../../src/renderer/src/data/query-client'

/** Waits for a condition (the renderer's tests are type-checked apart from test/support). */
async function until(what: string, ok: () => boolean): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    if (ok()) return
    await new Promise((r) => setTimeout(r, 10))
  }
  throw new Error(`timed out waiting for ${what}`)
}

/** A query on screen whose reads answer only when the test says. */
function slowQuery(n: number) {
  const releases: ((v: string) => void)[] = []
  const key = ['test.answered', { n }] as const
  const observer = new QueryObserver<string>(queryClient, {
    queryKey: key,
    queryFn: () => new Promise<string>((resolve) => releases.push(resolve)),
  })
  const shown: string[] = []
  const off = observer.subscribe((r) => {
    if (r.data !== undefined && shown.at(-1) !== r.data) shown.push(r.data)
  })
  return { key, releases, shown, off, observer }
}

describe('an answer set while a read is under way', () => {
  it('stays: the read answered before the action does not put the old value back', async () => {
    const q = slowQuery(1)
    try {
      await until('first read asked', () => q.releases.length === 1)
      q.releases[0]!('booked')
      await until('first answer shown', () => q.shown.at(-1) === 'booked')
      // Read again (a queue event), and while that read is out the action's answer comes.
      changed(['test.answered', { n: 1 }])
      await until('second read asked', () => q.releases.length === 2)
      setAnswered<string>(['test.answered'], () => 'arrived')
      expect(q.observer.getCurrentResult().data).toBe('arrived')
      // The read under way, answered before the action, ends now with the old value.
      q.releases[1]!('booked')
      await new Promise((r) => setTimeout(r, 50))
      expect(q.observer.getCurrentResult().data).toBe('arrived')
      expect(q.shown).toEqual(['booked', 'arrived'])
    } finally {
      q.off()
    }
  })

  it('reads again a query that a change arrived for during the read it let go', async () => {
    const q = slowQuery(2)
    try {
      await until('first read asked', () => q.releases.length === 1)
      q.releases[0]!('booked')
      await until('first answer shown', () => q.shown.at(-1) === 'booked')
      changed(['test.answered', { n: 2 }])
      await until('second read asked', () => q.releases.length === 2)
      // Another change comes while that read is out: it is owed a read of its own.
      changed(['test.answered', { n: 2 }])
      setAnswered<string>(['test.answered', { n: 2 }], () => 'arrived', { exact: true })
      await until('read again for the change', () => q.releases.length === 3)
      q.releases[2]!('arrived, then noted')
      await until('the later read shown', () => q.shown.at(-1) === 'arrived, then noted')
    } finally {
      q.off()
    }
  })

  it('sets one query exactly even if nothing holds it yet', () => {
    setAnswered<string>(['test.answered', { n: 3 }], () => 'saved', { exact: true })
    expect(queryClient.getQueryData(['test.answered', { n: 3 }])).toBe('saved')
  })
})
