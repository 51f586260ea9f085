/**
 * Who is waiting: today's arrived appointments grouped by site (each clinic system's location),
 * oldest arrival first, those whose arrival time nobody recorded last.
 */
import type { DayColumn, ReferenceData } from '../../../shared/contract'

export type WaitingAppointment = DayColumn['appointments'][number] & { id: string }

export interface WaitingRow {
  appointment: WaitingAppointment
  connectionId: string
  connectionLabel: string
  timeZone: string
}

export interface WaitingSite {
  /** `${connectionId}:${locationRef}`, or `${connectionId}:` for appointments with no site. */
  key: string
  name: string
  connectionLabel: string
  rows: WaitingRow[]
}

export const NO_SITE = 'No site'

/** A time to sort by: an instant's milliseconds, or past every real one when unknown. */
const sortable = (iso: string | undefined) => {
  const t = iso ? Date.parse(iso) : NaN
  return Number.isFinite(t) ? t : Number.MAX_SAFE_INTEGER
}

/** Oldest arrival first; an unknown arrival time after every known one, then by appointment time. */
export function byArrival(a: WaitingRow, b: WaitingRow): number {
  return (
    sortable(a.appointment.arrivedAt) - sortable(b.appointment.arrivedAt) ||
    sortable(a.appointment.start) - sortable(b.appointment.start)
  )
}

/**
 * The sites with someone waiting: in the columns' order (one per clinic system), then by site
 * name, "No site" last within its clinic system.
 */
export function waitingSites(
  columns: DayColumn[],
  reference: Record<string, ReferenceData | undefined>,
): WaitingSite[] {
  const sites: WaitingSite[] = []
  for (const c of columns) {
    const mine = new Map<string, WaitingSite>()
    for (const a of c.appointments) {
      if (a.status !== 'arrived' || !a.id) continue
      const ref = a.locationRef ?? ''
      const key = `${c.connectionId}:${ref}`
      let site = mine.get(key)
      if (!site) {
        const known = ref ? reference[c.connectionId]?.locations.find((l) => l.ref === ref) : undefined
        site = {
          key,
          name: ref ? (known?.name ?? `Site ${ref}`) : NO_SITE,
          connectionLabel: c.label,
          rows: [],
        }
        mine.set(key, site)
      }
      site.rows.push({
        appointment: { ...a, id: a.id },
        connectionId: c.connectionId,
        connectionLabel: c.label,
        timeZone: c.timeZone,
      })
    }
    const ordered = [...mine.values()].sort(
      (x, y) =>
        Number(x.name === NO_SITE) - Number(y.name === NO_SITE) || x.name.localeCompare(y.name, 'en-GB'),
    )
    for (const s of ordered) s.rows.sort(byArrival)
    sites.push(...ordered)
  }
  return sites
}

/** "under 1 min", "12 min", "1 h 5 min". */
export function waitedWords(arrivedAt: string, nowMs: number): string {
  const mins = Math.max(0, Math.floor((nowMs - Date.parse(arrivedAt)) / 60_000))
  if (mins < 1) return 'under 1 min'
  if (mins < 60) return `${mins} min`
  return `${Math.floor(mins / 60)} h ${mins % 60} min`
}

/** Whether the appointment's time has come: "due in 5 min", "due now", "time passed 10 min ago". */
export function dueWords(start: string | undefined, nowMs: number): { passed: boolean; words: string } {
  if (!start) return { passed: false, words: 'time not set' }
  const mins = Math.round((Date.parse(start) - nowMs) / 60_000)
  if (mins > 0) return { passed: false, words: `due in ${mins} min` }
  if (mins === 0) return { passed: false, words: 'due now' }
  return { passed: true, words: `time passed ${-mins} min ago` }
}
