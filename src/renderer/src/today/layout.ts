/**
 * Turning the day's columns into lanes (one per practitioner, grouped by connection and location)
 * and appointments into positions: minutes from the clinic's midnight, in the clinic's zone.
 */
import type { DayColumn, ReferenceData } from '../../../shared/contract'
import { type LinkMember, memberKey, type PractitionerLink } from '../../../shared/practitioner-links'
import type { DayAppointment } from './state/today-store'
import { remembered } from '../lib/remembered'
import type { CardWidth } from './card-width'

export const PX_PER_MIN = 2
/** A lane's least width; a lane with overlapping appointments is wider (see MIN_COLUMN_WIDTH). */
export const LANE_WIDTH = 220
/**
 * The least width of one of a lane's side-by-side columns (overlapping appointments): a lane's own
 * width. A lane with more columns than fit is widened and the day book scrolls sideways, rather
 * than squeezing each card until only "10:(" is left.
 */
export const MIN_COLUMN_WIDTH = LANE_WIDTH
/**
 * The most a card's share of its lane is widened for its name (card-width.ts): time, surname and
 * first name whole up to about 40 letters of name. A longer name is cut, surname first (app.css);
 * its card's tooltip, spoken label and drawer have it whole.
 */
export const MAX_COLUMN_WIDTH = 440
export const GUTTER_WIDTH = 72

/** Minutes after midnight as "09:05". */
export const hhmm = (minutes: number) =>
  `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`
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
  /** The practitioner's ref in its clinic system; '' for the "No practitioner" lane. */
  practitionerRef: string
  /** The site's ref, when the lane is one practitioner at one site. */
  locationRef?: string
  locationName?: string
  /**
   * One clinician linked across clinic systems (settings): each system's practitioner in this one
   * lane, whose cards each belong to their own clinic system.
   */
  members?: { connectionId: string; practitionerRef: string; connectionLabel: string }[]
  /** In a practitioner's week, the lane's day (YYYY-MM-DD); its name then says which day. */
  day?: string
  /** First lane of its connection: draws the group label. */
  groupStart: boolean
  items: PlacedAppointment[]
  /** Pixels from the first lane's left edge, and the lane's width (wider for overlaps). */
  left: number
  width: number
}

/** Asks for no more than a lane's least width: where no page measures the cards (unit tests). */
export const NO_CARD_WIDTH: CardWidth = () => 0

/**
 * A lane wide enough for each card to show its whole first line (time, surname, first name; the
 * card's own ask, between MIN_COLUMN_WIDTH and MAX_COLUMN_WIDTH) in its share of the lane: a card
 * beside two others has a third of it. A long name widens its lane only as much as its own card
 * needs, not every column of the day.
 */
export function laneWidth(items: PlacedAppointment[], timeZone: string, cardWidth: CardWidth): number {
  let width = LANE_WIDTH
  for (const p of items) {
    const column = Math.min(Math.max(cardWidth(p.a, timeZone), MIN_COLUMN_WIDTH), MAX_COLUMN_WIDTH)
    width = Math.max(width, p.slots * column)
  }
  return width
}

const partsFormatters = new Map<string, Intl.DateTimeFormat>()
/** Remembered (lib/remembered.ts): a packed day has ten thousand appointments, a few hundred times. */
const minutes = new Map<string, number>()

/** Minutes after local midnight of `iso` in `timeZone` (wall clock, so DST days read naturally). */
export function minutesInZone(iso: string, timeZone: string): number {
  // By zone too: one instant is a different wall clock elsewhere.
  const key = `${timeZone} ${iso}`
  return remembered(minutes, key, () => {
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
  })
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
  cardWidth: CardWidth = NO_CARD_WIDTH,
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
          practitionerRef,
          ...(locationRef ? { locationRef } : {}),
          ...(locationName ? { locationName } : {}),
          groupStart: false,
          items,
          left: 0,
          width: laneWidth(items, c.timeZone, cardWidth),
        })
      }
    }
    for (const p of c.practitioners) add(p.ref, p.name)
    add('', 'No practitioner')
    lanes.push(...own)
  }
  return placeSideBySide(lanes)
}

/** Each lane's left edge, one after the other; the first lane of each clinic system draws its label. */
function placeSideBySide(lanes: Lane[]): Lane[] {
  let left = 0
  let previous: string | null = null
  for (const l of lanes) {
    l.left = left
    left += l.width
    l.groupStart = l.connectionId !== previous
    previous = l.connectionId
  }
  return lanes
}

/** The clinic systems a lane holds appointments of: its own, or each linked one. */
export const laneConnections = (l: Lane): string[] =>
  l.members ? l.members.map((m) => m.connectionId) : [l.connectionId]

/** The practitioner a lane stands for in a clinic system, or null when it has none there. */
export function practitionerIn(l: Lane, connectionId: string): string | null {
  if (l.members) return l.members.find((m) => m.connectionId === connectionId)?.practitionerRef ?? null
  return l.connectionId === connectionId && l.practitionerRef ? l.practitionerRef : null
}

/**
 * Each linked clinician's lanes (one per clinic system and site) become one lane where the first
 * of them was, their appointments laid out together so a clash across clinic systems shows side by
 * side. Unlinked lanes are unchanged.
 */
export function mergeLinkedLanes(
  lanes: Lane[],
  links: PractitionerLink[],
  range: DayRange,
  cardWidth: CardWidth = NO_CARD_WIDTH,
): Lane[] {
  if (!links.length) return lanes
  const linkOf = new Map<string, number>()
  links.forEach((l, i) => l.members.forEach((m) => linkOf.set(memberKey(m), i)))
  const parts = new Map<number, Lane[]>()
  const order: (Lane | number)[] = []
  for (const l of lanes) {
    const at = l.practitionerRef
      ? linkOf.get(memberKey({ connectionId: l.connectionId, practitionerRef: l.practitionerRef }))
      : undefined
    if (at === undefined) {
      order.push(l)
      continue
    }
    if (!parts.has(at)) {
      parts.set(at, [])
      order.push(at)
    }
    parts.get(at)!.push(l)
  }
  const out = order.flatMap((o): Lane[] => {
    if (typeof o !== 'number') return [o]
    const own = parts.get(o)!
    const first = own[0]!
    const members = [
      ...new Map(
        own.map((l) => [
          l.connectionId,
          {
            connectionId: l.connectionId,
            practitionerRef: l.practitionerRef,
            connectionLabel: l.connectionLabel,
          },
        ]),
      ).values(),
    ]
    // Only one of the linked clinic systems has them on this day: nothing to merge.
    if (members.length < 2) return own
    const items = place(
      own.flatMap((l) => l.items.map((p) => p.a)),
      first.timeZone,
      range,
    )
    const sites = new Set(own.map((l) => l.locationName ?? ''))
    const { locationRef: _ref, locationName: _name, ...rest } = first
    const lane: Lane = {
      ...rest,
      key: `link:${members.map((m) => `${m.connectionId}|${m.practitionerRef}`).join('+')}`,
      connectionLabel: members.map((m) => m.connectionLabel).join(' + '),
      ...(sites.size === 1 && first.locationName ? { locationName: first.locationName } : {}),
      members,
      items,
      width: laneWidth(items, first.timeZone, cardWidth),
    }
    return [lane]
  })
  return placeSideBySide(out)
}

/** Two reads of days whose lanes would be laid out the same: the same appointments and practitioners. */
function sameLayout(a: DayColumn[], b: DayColumn[]): boolean {
  return (
    a.length === b.length &&
    a.every((c, i) => {
      const d = b[i]!
      return (
        c.connectionId === d.connectionId &&
        c.label === d.label &&
        c.timeZone === d.timeZone &&
        c.practitioners === d.practitioners &&
        c.appointments === d.appointments
      )
    })
  )
}

interface LaidOut {
  columns: DayColumn[]
  reference: Record<string, ReferenceData>
  links: PractitionerLink[]
  cardWidth: CardWidth
  range: DayRange
  lanes: Lane[]
}
/** The last few days laid out, most recent last. */
const laidOut: LaidOut[] = []
const LAID_OUT_KEPT = 8

/**
 * A day's hours and lanes, linked clinicians merged. Going back to a day already shown, or a re-read
 * that changed only its notices, reuses the lanes: the data layer keeps unchanged appointment lists
 * as the same arrays, and at ten thousand appointments laying a day out again took most of a switch.
 */
export function layoutDay(
  columns: DayColumn[],
  reference: Record<string, ReferenceData>,
  links: PractitionerLink[],
  cardWidth: CardWidth = NO_CARD_WIDTH,
): { range: DayRange; lanes: Lane[] } {
  const held = laidOut.find(
    (d) =>
      d.reference === reference &&
      d.links === links &&
      d.cardWidth === cardWidth &&
      sameLayout(d.columns, columns),
  )
  if (held) return held
  const range = dayRange(columns)
  const lanes = mergeLinkedLanes(buildLanes(columns, reference, range, cardWidth), links, range, cardWidth)
  laidOut.push({ columns, reference, links, cardWidth, range, lanes })
  if (laidOut.length > LAID_OUT_KEPT) laidOut.shift()
  return { range, lanes }
}

/** What the day book shows: a site, a practitioner and an appointment type, each or all (null). */
export interface DayFilter {
  /** `${connectionId}|${locationRef}`; an empty locationRef is the whole clinic system. */
  site: string | null
  /** `${connectionId}|${practitionerRef}`. */
  practitioner: string | null
  /** `${connectionId}:${appointmentTypeRef}`, the key of the type's name and colour. */
  type: string | null
}

export const NO_FILTER: DayFilter = { site: null, practitioner: null, type: null }

export const siteKey = (connectionId: string, locationRef = '') => `${connectionId}|${locationRef}`
export const practitionerKey = (connectionId: string, practitionerRef: string) =>
  `${connectionId}|${practitionerRef}`

/**
 * The lanes a filter leaves, placed side by side again. A site keeps its practitioners' lanes at
 * that site (a whole clinic system keeps all of its lanes); a type keeps every lane, with only that
 * type's appointments, so the free time beside them still shows.
 */
export function filterLanes(lanes: Lane[], filter: DayFilter): Lane[] {
  if (!filter.site && !filter.practitioner && !filter.type) return lanes
  const kept: Lane[] = []
  for (const l of lanes) {
    const systems = laneConnections(l)
    if (filter.site) {
      const [connectionId, locationRef] = splitKey(filter.site)
      if (!systems.includes(connectionId) || (locationRef && l.locationRef !== locationRef)) continue
    }
    if (filter.practitioner) {
      const [connectionId, ref] = splitKey(filter.practitioner)
      if (practitionerIn(l, connectionId) !== ref) continue
    }
    if (filter.type && !systems.some((c) => filter.type!.startsWith(`${c}:`))) continue
    const items = filter.type
      ? l.items.filter((p) => `${p.a.connectionId}:${p.a.appointmentTypeRef ?? ''}` === filter.type)
      : l.items
    // A copy: the unfiltered lanes are memoised and keep their own places.
    kept.push({ ...l, items })
  }
  return placeSideBySide(kept)
}

function splitKey(key: string): [string, string] {
  const at = key.indexOf('|')
  return [key.slice(0, at), key.slice(at + 1)]
}

/** The seven days, Monday first, of the week holding `date` (YYYY-MM-DD, a plain calendar date). */
export function weekDates(date: string): string[] {
  const [y, m, d] = date.split('-').map(Number)
  const at = new Date(Date.UTC(y!, m! - 1, d!))
  const monday = d! - ((at.getUTCDay() + 6) % 7)
  return Array.from({ length: 7 }, (_, i) =>
    new Date(Date.UTC(y!, m! - 1, monday + i)).toISOString().slice(0, 10),
  )
}

/** One practitioner's own part of a day's column: their appointments, named even on a day without any. */
function ownPart(column: DayColumn, practitionerRef: string): DayColumn {
  const named = column.practitioners.filter((p) => p.ref === practitionerRef)
  return {
    ...column,
    practitioners: named.length ? named : [{ ref: practitionerRef, name: practitionerRef }],
    appointments: column.appointments.filter((a) => a.practitionerRef === practitionerRef),
  }
}

/** The columns of a day that hold one of `members`, each cut to that member's own part. */
function memberParts(columns: DayColumn[], members: LinkMember[]): DayColumn[] {
  return members.flatMap((m) => {
    const column = columns.find((c) => c.connectionId === m.connectionId)
    return column ? [ownPart(column, m.practitionerRef)] : []
  })
}

/** The chosen practitioner (`${connectionId}|${ref}`) and whoever they are linked to. */
export function weekMembers(practitioner: string | null, links: PractitionerLink[]): LinkMember[] {
  const at = practitioner ? practitioner.indexOf('|') : -1
  if (!practitioner || at <= 0) return []
  const link = links.find((l) => l.members.some((m) => memberKey(m) === practitioner))
  return link
    ? link.members
    : [{ connectionId: practitioner.slice(0, at), practitionerRef: practitioner.slice(at + 1) }]
}

/**
 * One practitioner's week as lanes, one a day (or one a day and site, when they work at two):
 * each laid out by time of day exactly as the day book lays out a practitioner's lane. A clinician
 * linked across clinic systems (`members`, more than one) has each day's systems in one lane, as
 * the day book shows them.
 */
export function weekLanes(
  days: { date: string; columns: DayColumn[] }[],
  members: LinkMember[],
  reference: Record<string, ReferenceData>,
  range: DayRange,
  dayName: (date: string) => string,
  cardWidth: CardWidth = NO_CARD_WIDTH,
): Lane[] {
  const links = members.length > 1 ? [{ members }] : []
  const lanes: Lane[] = []
  for (const { date, columns } of days) {
    const own = mergeLinkedLanes(
      buildLanes(memberParts(columns, members), reference, range, cardWidth),
      links,
      range,
      cardWidth,
    )
    for (const l of own) lanes.push({ ...l, key: `${date}:${l.key}`, name: dayName(date), day: date })
  }
  return placeSideBySide(lanes)
}

/** The hours a set of days' appointments need, as `dayRange` does for one day. */
export function weekRange(days: { columns: DayColumn[] }[], members: LinkMember[]): DayRange {
  return dayRange(days.flatMap(({ columns }) => memberParts(columns, members)))
}
