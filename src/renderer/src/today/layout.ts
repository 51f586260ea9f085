/**
 * Turning the day's columns into lanes (one per practitioner, grouped by connection and location)
 * and appointments into positions: minutes from the clinic's midnight, in the clinic's zone.
 */
import type { DayColumn, ReferenceData } from '../../../shared/contract'
import type { DayAppointment } from './state/today-store'

export const PX_PER_MIN = 2
/** A lane's least width; a lane with overlapping appointments is wider (see MIN_COLUMN_WIDTH). */
export const LANE_WIDTH = 220
/**
 * The least width of one of a lane's side-by-side columns (overlapping appointments): room for
 * "09:30 SURNAME, First". A lane with more columns than fit is widened and the day book scrolls
 * sideways, rather than squeezing each card until only "10:(" is left.
 */
export const MIN_COLUMN_WIDTH = 180
export const GUTTER_WIDTH = 72
export const HEADER_HEIGHT = 64

export interface PlacedAppointment {
  a: DayAppointment
  id: string
  top: number
  height: number
  /** Side-by-side placement when appointments overlap (double bookings). */
  slot: number
  slots: number
}

export interface Lane {
  key: string
  connectionId: string
  connectionLabel: string
  timeZone: string
  name: string
  locationName?: string
  /** First lane of its connection: draws the group label. */
  groupStart: boolean
  items: PlacedAppointment[]
  /** Pixels from the first lane's left edge, and the lane's width (wider for overlaps). */
  left: number
  width: number
}

/** A lane wide enough for its most side-by-side appointments, each at least MIN_COLUMN_WIDTH. */
export function laneWidth(items: PlacedAppointment[]): number {
  const columns = items.reduce((n, p) => Math.max(n, p.slots), 1)
  return Math.max(LANE_WIDTH, columns * MIN_COLUMN_WIDTH)
}

const partsFormatters = new Map<string, Intl.DateTimeFormat>()

/** Minutes after local midnight of `iso` in `timeZone` (wall clock, so DST days read naturally). */
export function minutesInZone(iso: string, timeZone: string): number {
  let f = partsFormatters.get(timeZone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
    partsFormatters.set(timeZone, f)
  }
  let h = 0
  let m = 0
  for (const p of f.formatToParts(new Date(iso))) {
    if (p.type === 'hour') h = Number(p.value)
    if (p.type === 'minute') m = Number(p.value)
  }
  return h * 60 + m
}

export interface DayRange {
  startMin: number
  endMin: number
}

/** 08:00–18:00, widened to the day's earliest and latest appointment, on whole hours. */
export function dayRange(columns: DayColumn[]): DayRange {
  let lo = 8 * 60
  let hi = 18 * 60
  for (const c of columns)
    for (const a of c.appointments) {
      if (!a.start) continue
      const s = minutesInZone(a.start, c.timeZone)
      const e = a.end ? s + Math.max(5, (Date.parse(a.end) - Date.parse(a.start)) / 60_000) : s + 15
      lo = Math.min(lo, s)
      hi = Math.max(hi, Math.min(24 * 60, e))
    }
  return { startMin: Math.floor(lo / 60) * 60, endMin: Math.ceil(hi / 60) * 60 }
}

function place(list: DayAppointment[], timeZone: string, range: DayRange): PlacedAppointment[] {
  const sorted = list
    .filter((a): a is DayAppointment & { start: string; id: string } => !!a.start && !!a.id)
    .sort((x, y) => x.start.localeCompare(y.start))
  const placed: PlacedAppointment[] = []
  let cluster: PlacedAppointment[] = []
  let clusterEnd = -1
  const ends: number[] = []
  const close = () => {
    const n = Math.max(1, ...cluster.map((p) => p.slot + 1))
    for (const p of cluster) p.slots = n
    cluster = []
    ends.length = 0
  }
  for (const a of sorted) {
    const s = minutesInZone(a.start, timeZone)
    const mins = a.end ? Math.max(5, (Date.parse(a.end) - Date.parse(a.start)) / 60_000) : 15
    // A card is drawn at least 14 minutes tall: it takes that room from the next card, which
    // moves beside it rather than under it.
    const e = s + Math.max(14, mins)
    if (s >= clusterEnd) close()
    let slot = ends.findIndex((end) => end <= s)
    if (slot < 0) slot = ends.length
    ends[slot] = e
    const p: PlacedAppointment = {
      a,
      id: a.id,
      top: (s - range.startMin) * PX_PER_MIN,
      height: Math.max(14, mins) * PX_PER_MIN,
      slot,
      slots: 1,
    }
    cluster.push(p)
    placed.push(p)
    clusterEnd = Math.max(clusterEnd, e)
  }
  close()
  return placed
}

export function buildLanes(
  columns: DayColumn[],
  reference: Record<string, ReferenceData>,
  range: DayRange,
): Lane[] {
  const lanes: Lane[] = []
  for (const c of columns) {
    const locations = new Map((reference[c.connectionId]?.locations ?? []).map((l) => [l.ref, l.name]))
    const known = new Set(c.practitioners.map((p) => p.ref))
    const byKey = new Map<string, DayAppointment[]>()
    const keyOf = (practitionerRef: string, locationRef?: string) => `${practitionerRef}|${locationRef ?? ''}`
    for (const a of c.appointments) {
      const pr = a.practitionerRef && known.has(a.practitionerRef) ? a.practitionerRef : ''
      const k = keyOf(pr, a.locationRef)
      const list = byKey.get(k) ?? []
      list.push(a)
      byKey.set(k, list)
    }
    const own: Lane[] = []
    const add = (practitionerRef: string, name: string) => {
      const keys = [...byKey.keys()].filter((k) => k.startsWith(`${practitionerRef}|`)).sort()
      if (keys.length === 0 && practitionerRef) keys.push(keyOf(practitionerRef))
      for (const k of keys) {
        const locationRef = k.slice(k.indexOf('|') + 1)
        const locationName = locationRef ? (locations.get(locationRef) ?? locationRef) : undefined
        const items = place(byKey.get(k) ?? [], c.timeZone, range)
        own.push({
          key: `${c.connectionId}:${k}`,
          connectionId: c.connectionId,
          connectionLabel: c.label,
          timeZone: c.timeZone,
          name,
          ...(locationName ? { locationName } : {}),
          groupStart: false,
          items,
          left: 0,
          width: laneWidth(items),
        })
      }
    }
    for (const p of c.practitioners) add(p.ref, p.name)
    add('', 'No practitioner')
    if (own[0]) own[0].groupStart = true
    lanes.push(...own)
  }
  let left = 0
  for (const l of lanes) {
    l.left = left
    left += l.width
  }
  return lanes
}
