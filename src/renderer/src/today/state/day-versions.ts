/**
 * A day read again sends only what changed: the request names the version of each column held
 * (`known`), and a column still at that version comes back `unchanged`, without its lists. A packed
 * day is megabytes; parsing and comparing it on every event was the day book's longest task.
 */
import type { DayColumn } from '../../../../shared/contract'

/**
 * The answer with each `unchanged` column's lists taken from the columns held, or null when one of
 * them is no longer held at that version (the cache changed during the read: read it all again).
 */
export function withHeldLists(answer: DayColumn[], held: DayColumn[] | undefined): DayColumn[] | null {
  const out: DayColumn[] = []
  for (const c of answer) {
    if (!c.unchanged) {
      out.push(c)
      continue
    }
    const own = held?.find((h) => h.connectionId === c.connectionId)
    if (!own || own.version !== c.version) return null
    const { unchanged: _unchanged, ...rest } = c
    out.push({ ...rest, practitioners: own.practitioners, appointments: own.appointments })
  }
  return out
}

/** Each held column's version, so an unchanged day comes back without its lists. */
export const versionsOf = (held: DayColumn[] | undefined) =>
  held?.length
    ? Object.fromEntries(held.filter((c) => c.version).map((c) => [c.connectionId, c.version]))
    : {}
