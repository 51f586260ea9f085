import { useEffect, useState, type RefObject } from 'react'

export interface WindowRange {
  start: number
  /** Exclusive. */
  end: number
}

/**
 * Which of `count` equally wide items (after a fixed `offset`) are in view in a horizontally
 * scrolling element, plus `overscan` either side. Re-renders only when the range changes.
 */
export function useHorizontalWindow(
  ref: RefObject<HTMLElement | null>,
  count: number,
  itemWidth: number,
  offset: number,
  overscan = 2,
): WindowRange {
  const [range, setRange] = useState<WindowRange>(() => ({
    start: 0,
    end: Math.min(count, Math.ceil(window.innerWidth / itemWidth) + overscan),
  }))

  useEffect(() => {
    const el = ref.current
    if (!el) return
    let frame = 0
    const measure = () => {
      frame = 0
      const left = Math.max(0, el.scrollLeft - offset)
      const first = Math.floor(left / itemWidth)
      const visible = Math.ceil((el.clientWidth || window.innerWidth) / itemWidth) + 1
      const start = Math.max(0, first - overscan)
      const end = Math.min(count, first + visible + overscan)
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
  }, [ref, count, itemWidth, offset, overscan])

  return { start: Math.min(range.start, count), end: Math.min(range.end, count) }
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
