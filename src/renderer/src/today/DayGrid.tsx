/**
 * The day book grid: a time gutter and one lane per practitioner, only the lanes in view rendered
 * (plus overscan and the lane holding keyboard focus), and in each lane only the cards in the
 * vertical band in view (plus overscan and the card holding keyboard focus). Cards are memoised on
 * their appointment, which the store keeps identical across refreshes when unchanged.
 */
import { now as clockNow } from '../lib/clock'
import { memo, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react'
import { formatBirthDate, formatTime, todayIn } from '../lib/format'
import {
  GUTTER_WIDTH,
  HEADER_HEIGHT,
  hhmm,
  minutesInZone,
  PX_PER_MIN,
  type DayRange,
  type Lane,
  type PlacedAppointment,
} from './layout'
import { cardName } from './card-width'
import { cardLabel, shownSync, statusIcon, statusLabel, syncIcon, syncLabel } from './labels'
import { useDragToMove, type Drop } from './useDragToMove'
import { inOrderWith, useHorizontalWindow, useVerticalBand, type Band } from './useHorizontalWindow'

interface CardProps {
  p: PlacedAppointment
  lane: Lane
  typeName: string | undefined
  /** The type's colour (settings, or its default), drawn as a stripe inside the status edge. */
  typeColour: string | undefined
  offline: boolean
  tabbable: boolean
  onOpen(id: string): void
  onFocusId(id: string): void
}

/** A surname this short ("LI", "NG") is never cut; the first name gives way instead. */
const SHORT_SURNAME = 5

const AppointmentCard = memo(function AppointmentCard({
  p,
  lane,
  typeName,
  typeColour,
  offline,
  tabbable,
  onOpen,
  onFocusId,
}: CardProps) {
  const a = p.a
  const state = shownSync(a.sync, !offline)
  const sync = syncLabel[state]
  const width = `calc(${100 / p.slots}% - 6px)`
  const left = `calc(${(100 / p.slots) * p.slot}% + 3px)`
  const short = p.height < 44
  const time = a.start ? formatTime(a.start, lane.timeZone) : ''
  const surname = a.patient ? a.patient.familyName.toUpperCase() : ''
  const name = cardName(a)
  const status = statusLabel[a.status]
  // One spoken name for the whole card rather than hidden spans between the visible words: each
  // hidden span is a positioned box, and a day's worth of them made scrolling slow.
  const label = cardLabel({
    time,
    name,
    typeName,
    status,
    sync,
    until: a.end ? formatTime(a.end, lane.timeZone) : undefined,
    born: a.patient ? formatBirthDate(a.patient.birthDate) : undefined,
    practitioner: lane.name,
    short,
  })
  // After the status; on a short card's one line, a mark only, so the first name keeps its room.
  const badge = sync ? (
    <span className={`sync-badge sync-badge-${state}`} aria-hidden={short ? true : undefined}>
      {short ? syncIcon[state] : sync}
    </span>
  ) : null
  const icon = (
    <span className="day-card-icon" aria-hidden="true">
      {statusIcon[a.status]}
    </span>
  )
  // Everything a card may have no room for, on hover: type, status, sync and the notes.
  const tooltip = [
    `${time}${a.end ? `–${formatTime(a.end, lane.timeZone)}` : ''} ${name}`,
    [typeName, status, sync].filter(Boolean).join(' · '),
    a.note ? `Notes: ${a.note}` : null,
  ]
    .filter(Boolean)
    .join('\n')
  return (
    <li className="day-card-slot" style={{ top: p.top, height: p.height, width, left }}>
      <button
        type="button"
        className={`day-card status-${a.status} sync-${state}${short ? ' is-short' : ''}`}
        data-appointment-id={p.id}
        tabIndex={tabbable ? 0 : -1}
        data-status={a.status}
        data-sync={state}
        aria-label={label}
        title={tooltip}
        data-type-colour={typeColour}
        style={typeColour ? ({ '--type-colour': typeColour } as React.CSSProperties) : undefined}
        onClick={() => onOpen(p.id)}
        onFocus={() => onFocusId(p.id)}
      >
        {/* The spaces between pieces are not drawn (flex lines) but keep the words apart as text. */}
        <span className="day-card-line">
          <span className="day-card-time">{time}</span>{' '}
          <strong
            className={`day-card-name${a.patient && surname.length <= SHORT_SURNAME ? ' has-short-surname' : ''}`}
          >
            {a.patient ? (
              // Two parts, so a line too short for both cuts the surname first and the first name
              // stays: two patients of one surname are told apart at a glance.
              <>
                <span className="day-card-surname">{surname}</span>
                {/* The comma goes with the first name: a cut surname reads "MAC GIOLL…, Chidi". */}
                <span className="day-card-given">{`, ${a.patient.givenName}`}</span>
              </>
            ) : (
              <span className="day-card-surname">{name}</span>
            )}
          </strong>{' '}
          {/* Stacked in a narrow column at the end, so the name keeps the line's room. */}
          {short ? (
            <span className="day-card-marks">
              {icon} {badge}
            </span>
          ) : null}
        </span>{' '}
        {short ? null : (
          <span className="day-card-line day-card-meta">
            {typeName ? <span className="day-card-type">{typeName}</span> : null}{' '}
            <span className="day-card-status">
              {icon} {status}
            </span>{' '}
            {badge}
          </span>
        )}
      </button>
    </li>
  )
})

/**
 * New cards all the lanes shown may add in one frame, shared between them. A packed day has a few
 * hundred cards in view; creating, styling and laying them out in one go took 100–300 ms on a clinic
 * PC, so a day appears as a first frame of the cards nearest the middle of the view and the rest
 * over the next few frames. At 48 a frame the day switch at 40 practitioners still had a task over
 * 50 ms in most bench runs (the old day's cards going and the new day's first ones in one frame).
 */
const CARDS_PER_FRAME = 24

/**
 * How many cards a lane may render now: its share of CARDS_PER_FRAME, growing by that share each
 * frame until all it wants are in. A lane starts again with each day: it is keyed by the day.
 */
function useGrowingBudget(wanted: number, lanesShown: number): number {
  const step = Math.ceil(CARDS_PER_FRAME / Math.max(1, lanesShown))
  const [budget, setBudget] = useState(step)
  useEffect(() => {
    if (budget >= wanted) return
    const frame = requestAnimationFrame(() => setBudget((b) => b + step))
    return () => cancelAnimationFrame(frame)
  }, [budget, wanted, step])
  return budget
}

/** The `count` cards nearest the middle of the band (and the focusable one), kept in time order. */
function nearestFirst(items: PlacedAppointment[], band: Band, count: number, keep: string | null) {
  const middle = (band.top + band.bottom) / 2
  const chosen = new Set(
    [...items]
      .sort((x, y) => Math.abs(x.top - middle) - Math.abs(y.top - middle))
      .slice(0, count)
      .map((p) => p.id),
  )
  return items.filter((p) => chosen.has(p.id) || p.id === keep)
}

interface LaneProps {
  lane: Lane
  /** How many lanes are rendered, which share each frame's new cards. */
  lanesShown: number
  height: number
  /** The lane body's pixels in view (plus overscan): only cards touching them are rendered. */
  band: Band
  tabbableId: string | null
  /** Clinic systems offline now (a linked clinician's lane holds more than one). */
  offline: ReadonlySet<string>
  typeNames: Record<string, string>
  typeColours: Record<string, string>
  onOpen(id: string): void
  onFocusId(id: string): void
}

const LaneView = memo(function LaneView({
  lane,
  lanesShown,
  height,
  band,
  tabbableId,
  offline,
  typeNames,
  typeColours,
  onOpen,
  onFocusId,
}: LaneProps) {
  const inBand = lane.items.filter(
    (p) => (p.top + p.height >= band.top && p.top <= band.bottom) || p.id === tabbableId,
  )
  const budget = useGrowingBudget(inBand.length, lanesShown)
  const shown = budget >= inBand.length ? inBand : nearestFirst(inBand, band, budget, tabbableId)
  const label = `${lane.name}${lane.locationName ? `, ${lane.locationName}` : ''}, ${lane.connectionLabel}`
  return (
    <section
      className={`day-lane${lane.groupStart ? ' is-group-start' : ''}`}
      style={{ left: lane.left, width: lane.width, height: height + HEADER_HEIGHT }}
      aria-label={label}
    >
      <header className="day-lane-head" style={{ height: HEADER_HEIGHT }}>
        <span className="day-lane-group">{lane.connectionLabel}</span>
        <strong className="day-lane-name">{lane.name}</strong>
        {lane.locationName ? <span className="day-lane-location">{lane.locationName}</span> : null}
      </header>
      <ul
        className="day-lane-body"
        style={{ height }}
        aria-label={lane.day ? `Appointments on ${lane.name}` : `Appointments with ${lane.name}`}
      >
        {shown.map((p) => (
          <AppointmentCard
            key={p.id}
            p={p}
            lane={lane}
            typeName={
              p.a.appointmentTypeRef ? typeNames[`${p.a.connectionId}:${p.a.appointmentTypeRef}`] : undefined
            }
            typeColour={
              p.a.appointmentTypeRef
                ? typeColours[`${p.a.connectionId}:${p.a.appointmentTypeRef}`]
                : undefined
            }
            offline={offline.has(p.a.connectionId)}
            tabbable={p.id === tabbableId}
            onOpen={onOpen}
            onFocusId={onFocusId}
          />
        ))}
        {lane.items.length === 0 ? <li className="visually-hidden">No appointments</li> : null}
      </ul>
    </section>
  )
})

/** A line at the current time, redrawn every 30 seconds; only on the clinic's today. */
function NowLine({
  date,
  timeZone,
  range,
  width,
}: {
  date: string
  timeZone: string
  range: DayRange
  width: number
}) {
  const [now, setNow] = useState(() => clockNow())
  useEffect(() => {
    const t = setInterval(() => setNow(clockNow()), 30_000)
    return () => clearInterval(t)
  }, [])
  if (todayIn(timeZone, now) !== date) return null
  const m = minutesInZone(now.toISOString(), timeZone)
  if (m < range.startMin || m > range.endMin) return null
  const top = HEADER_HEIGHT + (m - range.startMin) * PX_PER_MIN
  return (
    <div className="day-now" style={{ top, width: width + GUTTER_WIDTH }} data-testid="now-line">
      <span className="day-now-label">Now {formatTime(now.toISOString(), timeZone)}</span>
    </div>
  )
}

export interface DayGridProps {
  lanes: Lane[]
  range: DayRange
  date: string
  timeZone: string
  typeNames: Record<string, string>
  /** Each type's colour, by the same key as its name. */
  typeColours: Record<string, string>
  focusedId: string | null
  /** Connections that are offline now. */
  offline: ReadonlySet<string>
  onFocusId(id: string): void
  onOpen(id: string): void
  /** A card dragged to another time or lane (the day book then asks to confirm the move). */
  onMove?(drop: Drop): void
}

const indexed = new WeakMap<Lane[], Map<string, { lane: number; row: number }>>()

/**
 * Where each appointment sits: lane index and position in the lane (sorted by time). Kept per lanes
 * array: a day gone back to has the same lanes (layoutDay), and indexing ten thousand again is slow.
 */
function indexLanes(lanes: Lane[]) {
  let where = indexed.get(lanes)
  if (where) return where
  where = new Map()
  for (const [i, l] of lanes.entries())
    for (const [r, p] of l.items.entries()) where.set(p.id, { lane: i, row: r })
  indexed.set(lanes, where)
  return where
}

export function DayGrid({
  lanes,
  range,
  date,
  timeZone,
  typeNames,
  typeColours,
  focusedId,
  offline,
  onFocusId,
  onOpen,
  onMove,
}: DayGridProps) {
  const scroller = useRef<HTMLDivElement>(null)
  const pendingFocus = useRef<string | null>(null)
  // Lane edges: each lane's left, then the right of the last.
  const edges = useMemo(
    () => [...lanes.map((l) => l.left), lanes.length ? lanes.at(-1)!.left + lanes.at(-1)!.width : 0],
    [lanes],
  )
  const window_ = useHorizontalWindow(scroller, edges, GUTTER_WIDTH)
  const inView = useVerticalBand(scroller)
  // In the lane body's coordinates, below the sticky lane headers.
  const band = useMemo(
    () => ({ top: inView.top - HEADER_HEIGHT, bottom: inView.bottom - HEADER_HEIGHT }),
    [inView],
  )
  const where = useMemo(() => indexLanes(lanes), [lanes])
  const height = (range.endMin - range.startMin) * PX_PER_MIN
  const width = edges.at(-1)!

  const drag = useDragToMove({ scroller, lanes, range, where, ...(onMove ? { onMove } : {}) })

  const tabbableId =
    focusedId && where.has(focusedId) ? focusedId : (lanes.find((l) => l.items.length)?.items[0]?.id ?? null)
  const tabLane = tabbableId ? where.get(tabbableId)!.lane : -1

  useEffect(() => {
    const id = pendingFocus.current
    if (!id) return
    pendingFocus.current = null
    scroller.current?.querySelector<HTMLElement>(`[data-appointment-id="${CSS.escape(id)}"]`)?.focus()
  })

  const move = (id: string) => {
    pendingFocus.current = id
    onFocusId(id)
  }

  // A card taken away while it holds focus (its appointment moved off this day at a re-read, or
  // a move drawn a frame late) would leave focus on the page, where the arrow keys do nothing and
  // the receptionist is not told: the card now tabbable takes focus instead. (A native listener:
  // React does not pass on the focusout of an element it is removing.)
  useEffect(() => {
    const el = scroller.current
    if (!el) return
    const onFocusOut = (e: globalThis.FocusEvent) => {
      const lost = e.target
      if (e.relatedTarget || !(lost instanceof HTMLElement) || !lost.dataset.appointmentId) return
      requestAnimationFrame(() => {
        if (lost.isConnected || (document.activeElement && document.activeElement !== document.body)) return
        scroller.current?.querySelector<HTMLElement>('[data-appointment-id][tabindex="0"]')?.focus()
      })
    }
    el.addEventListener('focusout', onFocusOut)
    return () => el.removeEventListener('focusout', onFocusOut)
  }, [])

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const target =
      e.target instanceof HTMLElement ? e.target.closest<HTMLElement>('[data-appointment-id]') : null
    const id = target?.dataset.appointmentId
    if (!id) return
    const at = where.get(id)
    if (!at) return
    const lane = lanes[at.lane]!
    let next: string | undefined
    if (e.key === 'ArrowDown') next = lane.items[at.row + 1]?.id
    else if (e.key === 'ArrowUp') next = lane.items[at.row - 1]?.id
    else if (e.key === 'Home') next = lane.items[0]?.id
    else if (e.key === 'End') next = lane.items[lane.items.length - 1]?.id
    else if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
      const step = e.key === 'ArrowLeft' ? -1 : 1
      const top = lane.items[at.row]!.top
      for (let i = at.lane + step; i >= 0 && i < lanes.length; i += step) {
        const items = lanes[i]!.items
        if (items.length === 0) continue
        // The appointment nearest in time in the neighbouring lane.
        next = items.reduce((best, p) => (Math.abs(p.top - top) < Math.abs(best.top - top) ? p : best)).id
        break
      }
    } else if (e.key === 'Enter') {
      e.preventDefault()
      onOpen(id)
      return
    } else return
    e.preventDefault()
    if (next) move(next)
  }

  const hours: number[] = []
  for (let m = range.startMin; m < range.endMin; m += 60) hours.push(m)
  const visible = inOrderWith(window_, tabLane)

  return (
    <div
      ref={scroller}
      className="day-scroller"
      onKeyDown={onKeyDown}
      {...drag.handlers}
      role="region"
      aria-label="Day book: arrow keys move between appointments, Enter opens one"
      data-testid="day-grid"
    >
      <div className="day-canvas" style={{ width: width + GUTTER_WIDTH, height: height + HEADER_HEIGHT }}>
        <div
          className="day-gutter"
          style={{ width: GUTTER_WIDTH, height: height + HEADER_HEIGHT }}
          aria-hidden="true"
        >
          <div className="day-gutter-head" style={{ height: HEADER_HEIGHT }} />
          {hours.map((m) => (
            <div
              key={m}
              className="day-hour"
              style={{ top: HEADER_HEIGHT + (m - range.startMin) * PX_PER_MIN }}
            >
              {String(Math.floor(m / 60)).padStart(2, '0')}:00
            </div>
          ))}
        </div>
        <div
          className="day-lanes"
          style={{
            left: GUTTER_WIDTH,
            width,
            height: height + HEADER_HEIGHT,
            // Hour lines only: lanes differ in width, so each draws its own edge.
            backgroundSize: `100% ${60 * PX_PER_MIN}px`,
            backgroundPositionY: HEADER_HEIGHT,
          }}
        >
          {visible.map((i) => (
            <LaneView
              // A new lane for a new day (the same practitioner's included): it starts with a
              // frame's share of cards, and the old day's cards go with their lane in one removal.
              key={`${date}|${lanes[i]!.key}`}
              lane={lanes[i]!}
              lanesShown={visible.length}
              height={height}
              band={band}
              tabbableId={i === tabLane ? tabbableId : null}
              typeNames={typeNames}
              typeColours={typeColours}
              offline={offline}
              onOpen={onOpen}
              onFocusId={onFocusId}
            />
          ))}
          {drag.ghost ? (
            <div
              className={`day-drop${drag.ghost.refused ? ' is-refused' : ''}`}
              style={{
                left: drag.ghost.left,
                width: drag.ghost.width,
                top: drag.ghost.top,
                height: drag.ghost.height,
              }}
              data-testid="drop-ghost"
              aria-hidden="true"
            >
              {drag.ghost.refused ??
                `Move to ${drag.ghost.otherDay ? `${drag.ghost.otherDay} ` : ''}${hhmm(drag.ghost.minutes)}`}
            </div>
          ) : null}
        </div>
        <NowLine date={date} timeZone={timeZone} range={range} width={width} />
      </div>
    </div>
  )
}
