import { DateTime } from 'luxon'

/** Half-open interval of epoch milliseconds. */
export interface Interval {
  start: number
  end: number
}

export interface WorkingPattern {
  timeZone: string
  /** ISO weekdays (1 = Monday) the practitioner works. */
  days: number[]
  open: string
  close: string
  lunch?: { start: string; end: string }
}

const at = (day: DateTime, hhmm: string) => {
  const [h, m] = hhmm.split(':').map(Number)
  return day.set({ hour: h ?? 0, minute: m ?? 0, second: 0, millisecond: 0 }).toMillis()
}

/** The practitioner's working time (lunch excluded) that falls inside [from, to), in local wall-clock hours. */
export function workingIntervals(pattern: WorkingPattern, from: number, to: number): Interval[] {
  const out: Interval[] = []
  let day = DateTime.fromMillis(from, { zone: pattern.timeZone }).startOf('day').minus({ days: 1 })
  const last = DateTime.fromMillis(to, { zone: pattern.timeZone }).endOf('day')
  while (day <= last) {
    if (pattern.days.includes(day.weekday)) {
      const parts: Interval[] = pattern.lunch
        ? [
            { start: at(day, pattern.open), end: at(day, pattern.lunch.start) },
            { start: at(day, pattern.lunch.end), end: at(day, pattern.close) },
          ]
        : [{ start: at(day, pattern.open), end: at(day, pattern.close) }]
      for (const p of parts) {
        const start = Math.max(p.start, from)
        const end = Math.min(p.end, to)
        if (end > start) out.push({ start, end })
      }
    }
    day = day.plus({ days: 1 })
  }
  return out
}

/** `free` minus every busy interval. */
export function subtract(free: Interval[], busy: Interval[]): Interval[] {
  const sorted = [...busy].sort((a, b) => a.start - b.start)
  const out: Interval[] = []
  for (const f of free) {
    let cursor = f.start
    for (const b of sorted) {
      if (b.end <= cursor || b.start >= f.end) continue
      if (b.start > cursor) out.push({ start: cursor, end: b.start })
      cursor = Math.max(cursor, b.end)
      if (cursor >= f.end) break
    }
    if (cursor < f.end) out.push({ start: cursor, end: f.end })
  }
  return out
}

/** Slots of `lengthMs` that fit wholly inside the intervals, starting at each interval's start and every `stepMs`. */
export function slots(intervals: Interval[], lengthMs: number, stepMs: number): Interval[] {
  const out: Interval[] = []
  for (const i of intervals) {
    for (let s = i.start; s + lengthMs <= i.end; s += stepMs) out.push({ start: s, end: s + lengthMs })
  }
  return out
}

export const overlaps = (a: Interval, b: Interval) => a.start < b.end && b.start < a.end

/** Whether [start, end) lies wholly inside one of the intervals. */
export const within = (slot: Interval, intervals: Interval[]) =>
  intervals.some((i) => slot.start >= i.start && slot.end <= i.end)
