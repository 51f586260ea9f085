import type { SlotView } from '../../../shared/contract'
import { formatDay, formatTime, todayIn } from '../lib/format'

export interface SlotDay {
  /** YYYY-MM-DD in the clinic's zone. */
  date: string
  label: string
  slots: SlotView[]
}

/** Slots grouped by their day in the clinic's zone, soonest first. */
export function groupByDay(slots: SlotView[], timeZone: string): SlotDay[] {
  const days = new Map<string, SlotView[]>()
  for (const s of [...slots].sort((a, b) => a.start.localeCompare(b.start))) {
    const date = todayIn(timeZone, new Date(s.start))
    const list = days.get(date) ?? []
    list.push(s)
    days.set(date, list)
  }
  return [...days].map(([date, list]) => ({ date, label: formatDay(date), slots: list }))
}

/** `Thursday 12 March 2026, 09:30–09:45` in the clinic's zone. */
export function slotWhen(slot: { start: string; end: string }, timeZone: string): string {
  return `${formatDay(todayIn(timeZone, new Date(slot.start)))}, ${formatTime(slot.start, timeZone)}–${formatTime(slot.end, timeZone)}`
}

/**
 * A wall-clock date and time in a zone to a UTC instant: `2026-03-12`, `09:30`, Europe/London →
 * `2026-03-12T09:30:00.000Z`. Done by correcting a first guess with the zone's offset at that
 * moment (twice, so the hour either side of a clock change comes out right).
 */
export function zonedToUtc(date: string, time: string, timeZone: string): string | null {
  const [y, m, d] = date.split('-').map(Number)
  const [hh, mm] = time.split(':').map(Number)
  if (!y || !m || !d || hh === undefined || mm === undefined || Number.isNaN(hh) || Number.isNaN(mm))
    return null
  const wanted = Date.UTC(y, m - 1, d, hh, mm)
  let guess = wanted
  for (let i = 0; i < 2; i++) guess = wanted - offsetAt(guess, timeZone)
  return new Date(guess).toISOString()
}

function offsetAt(instant: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).formatToParts(new Date(instant))
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value)
  const local = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'))
  return local - Math.floor(instant / 60_000) * 60_000
}
