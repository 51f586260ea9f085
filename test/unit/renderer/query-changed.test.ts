/**
 * `changed` (src/renderer/src/data/query-client.ts): a change that arrives while a query is being
 * read neither cancels that read nor is lost: the read's answer is shown, then the query is read
 * again. (Cancelling instead would let a stream of queue events starve a slow day read.)
 */
import { QueryObserver } from '@tanstack/react-query'
import { describe, expect, it } from 'vitest'
import { changed, queryClient } from '../../../src/renderer/src/data/query-client'

/** Waits for a condition (the renderer's tests are type-checked apart from test/support). */
async function until(what: string, ok: () => boolean): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    if (ok()) return
    await new Promise((r) => setTimeout(r, 10))
  }
  throw new Error(`timed out waiting for ${what}`)
}

describe('a change during a read', () => {
  it('lets the read finish and show its answer, then reads again', async () => {
    const releases: ((v: number) => void)[] = []
    const key = ['test.read', { n: 1 }] as const
    const observer = new QueryObserver<number>(queryClient, {
      queryKey: key,
      queryFn: () => new Promise<number>((resolve) => releases.push(resolve)),
    })
    const shown: number[] = []
    const off = observer.subscribe((r) => {
      if (r.data !== undefined && shown.at(-1) !== r.data) shown.push(r.data)
    })
    try {
      await until('first read asked', () => releases.length === 1)
      changed(['test.read'])
      releases[0]!(1)
      await until('read again', () => releases.length === 2)
      releases[1]!(2)
      await until('second answer shown', () => shown.at(-1) === 2)
      expect(shown).toEqual([1, 2])
    } finally {
      off()
    }
  })

  it('reads at once a query that is not being read', async () => {
    let reads = 0
    const key = ['test.read', { n: 2 }] as const
    const observer = new QueryObserver<number>(queryClient, { queryKey: key, queryFn: async () => ++reads })
    const off = observer.subscribe(() => {})
    try {
      await until('first read', () => observer.getCurrentResult().data === 1)
      changed(['test.read', { n: 2 }])
      await until('read again', () => observer.getCurrentResult().data === 2)
      expect(reads).toBe(2)
    } finally {
      off()
    }
  })
})
