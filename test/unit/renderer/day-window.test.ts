import { describe, expect, it } from 'vitest'
import { inOrderWith } from '../../../src/renderer/src/today/useHorizontalWindow'

describe('the lanes the day book renders', () => {
  it('are the lanes in view, in order, with the focused lane in its place wherever it is', () => {
    const range = { start: 4, end: 9 }
    expect(inOrderWith(range, -1)).toEqual([4, 5, 6, 7, 8])
    expect(inOrderWith(range, 6)).toEqual([4, 5, 6, 7, 8])
    // Left of the view it comes first, right of it last: never out of order, so scrolling back to
    // it adds lanes at one end rather than moving every lane in view (and all their cards).
    expect(inOrderWith(range, 0)).toEqual([0, 4, 5, 6, 7, 8])
    expect(inOrderWith(range, 9)).toEqual([4, 5, 6, 7, 8, 9])
    expect(inOrderWith(range, 30)).toEqual([4, 5, 6, 7, 8, 30])
  })

  it('scrolling across, keeps every lane it renders in the same order from frame to frame', () => {
    // A lane on screen in two frames running keeps its place among the others, so React never
    // takes one out of the page to put it back elsewhere.
    const focused = 0
    let before = inOrderWith({ start: 0, end: 5 }, focused)
    for (let start = 1; start <= 35; start++) {
      const now = inOrderWith({ start, end: start + 5 }, focused)
      const kept = now.filter((i) => before.includes(i))
      expect(kept).toEqual(before.filter((i) => now.includes(i)))
      expect([...now].sort((a, b) => a - b)).toEqual(now)
      before = now
    }
  })
})
