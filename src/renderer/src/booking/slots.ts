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

/** How old a slot from the copy is, in words: `just now`, `4 min old`, `2 h old`. */
export function ageLabel(fetchedAt: string | undefined, nowMs: number): string | undefined {
  if (!fetchedAt) return undefined
  const minutes = Math.floor((nowMs - Date.parse(fetchedAt)) / 60_000)
  if (!Number.isFinite(minutes)) return undefined
  if (minutes < 1) return 'just now'
  if (minutes < 60) return `${minutes} min old`
  const hours = Math.floor(minutes / 60)
  return hours < 48 ? `${hours} h old` : `${Math.floor(hours / 24)} days old`
}

/** The label of a slot offered from the copy while the clinic system is unreachable. */
export function copyLabel(slots: SlotView[], nowMs: number): string | undefined {
  const copied = slots.filter((s) => s.fromCopy)
  if (!copied.length) return undefined
  const oldest = copied.reduce((a, s) => (s.fetchedAt && (!a || s.fetchedAt < a) ? s.fetchedAt : a), '')
  const age = ageLabel(oldest || undefined, nowMs)?.replace(/ old$/, '') ?? 'of unknown age'
  return `From Frontdesk's copy, ${age === 'just now' ? 'moments' : age} old — will be checked when sent.`
}

/** What the clinic system's confirmation changed, in a short note (empty when nothing did). */
export function confirmationNote(removed: number, added: number): string {
  const parts: string[] = []
  if (removed > 0) parts.push(`${removed} time${removed === 1 ? '' : 's'} no longer free (taken meanwhile)`)
  if (added > 0) parts.push(`${added} new time${added === 1 ? '' : 's'}`)
  return parts.join('; ')
}
