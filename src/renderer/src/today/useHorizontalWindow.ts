import { useEffect, useState, type RefObject } from 'react'

export interface WindowRange {
  start: number
  /** Exclusive. */
  end: number
}

/**
 * Which items of a horizontally scrolling element are in view, plus `overscan` either side. Item
 * `i` spans `edges[i]`…`edges[i + 1]` pixels after a fixed `offset` (items may differ in width:
 * a lane with overlapping appointments is wider). Re-renders only when the range changes.
 */
export function useHorizontalWindow(
  ref: RefObject<HTMLElement | null>,
  edges: readonly number[],
  offset: number,
  overscan = 2,
): WindowRange {
  const count = Math.max(0, edges.length - 1)
  const [range, setRange] = useState<WindowRange>(() => ({
    start: 0,
    end: Math.min(count, firstAtOrAfter(edges, window.innerWidth) + overscan),
  }))

  useEffect(() => {
    const el = ref.current
    if (!el) return
    let frame = 0
    const measure = () => {
      frame = 0
      const left = Math.max(0, el.scrollLeft - offset)
      const right = left + (el.clientWidth || window.innerWidth)
      // The item holding the left edge, and the first one starting at or after the right edge.
      const first = Math.max(0, Math.min(count - 1, firstAtOrAfter(edges, left + 1) - 1))
      const last = firstAtOrAfter(edges, right)
      const start = Math.max(0, first - overscan)
      const end = Math.min(count, last + overscan)
      setRange((r) => (r.start === start && r.end === end ? r : { start, end }))
    }
    const schedule = () => {
      if (!frame) frame = requestAnimationFrame(measure)
    }
    const observer = new ResizeObserver(schedule)
    observer.observe(el)
    el.addEventListener('scroll', schedule, { passive: true })
    schedule()
    return () => {
      cancelAnimationFrame(frame)
      observer.disconnect()
      el.removeEventListener('scroll', schedule)
    }
  }, [ref, edges, count, offset, overscan])

  return { start: Math.min(range.start, count), end: Math.min(range.end, count) }
}

/**
 * The items to render: those in `range`, and `keep` (the one holding keyboard focus) wherever it is,
 * always in ascending order. The order is what keeps scrolling cheap: React moves an element whose
 * place among its siblings changed by taking it out of the page and putting it back, and a lane so
 * moved takes every card in it along. Were `keep` put after the range whatever its place, scrolling
 * back to it would move every lane in view behind it, a frame that restyles and lays out the whole
 * page (143 ms at 40 practitioners). In order, lanes are only ever added or removed at either end.
 * It is also the order lanes are read and tabbed through, as they are drawn.
 */
export function inOrderWith(range: WindowRange, keep: number): number[] {
  const out: number[] = []
  if (keep >= 0 && keep < range.start) out.push(keep)
  for (let i = range.start; i < range.end; i++) out.push(i)
  if (keep >= range.end) out.push(keep)
  return out
}

/** The first index whose edge is at or after `x` (edges ascending); `edges.length` if none. */
function firstAtOrAfter(edges: readonly number[], x: number): number {
  let lo = 0
  let hi = edges.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (edges[mid]! < x) lo = mid + 1
    else hi = mid
  }
  return lo
}

export interface Band {
  /** Content pixels from the top of the scrolling element. */
  top: number
  bottom: number
}

/**
 * The vertical band of a scrolling element in view, widened by `overscan` pixels either way and
 * rounded out to whole `block`s, so scrolling re-renders only when a block boundary is crossed.
 */
export function useVerticalBand(ref: RefObject<HTMLElement | null>, block = 100, overscan = 100): Band {
  const [band, setBand] = useState<Band>(() => ({
    top: 0,
    bottom: Math.ceil((window.innerHeight + overscan) / block) * block,
  }))

  useEffect(() => {
    const el = ref.current
    if (!el) return
    let frame = 0
    const measure = () => {
      frame = 0
      const top = Math.max(0, Math.floor((el.scrollTop - overscan) / block) * block)
      const seen = el.clientHeight || window.innerHeight
      const bottom = Math.ceil((el.scrollTop + seen + overscan) / block) * block
      setBand((b) => (b.top === top && b.bottom === bottom ? b : { top, bottom }))
    }
    const schedule = () => {
      if (!frame) frame = requestAnimationFrame(measure)
    }
    const observer = new ResizeObserver(schedule)
    observer.observe(el)
    el.addEventListener('scroll', schedule, { passive: true })
    schedule()
    return () => {
      cancelAnimationFrame(frame)
      observer.disconnect()
      el.removeEventListener('scroll', schedule)
    }
  }, [ref, block, overscan])

  return band
}
