/**
 * Dragging a card in the day book to another time or practitioner's lane. Nothing moves here: the
 * drop is handed to `onMove`, which opens the appointment's reschedule step with that time chosen,
 * the same confirmation as choosing it there. A press that does not travel stays a click.
 */
import { useRef, useState, type MouseEvent, type PointerEvent, type RefObject } from 'react'
import {
  HEADER_HEIGHT,
  laneConnections,
  practitionerIn,
  PX_PER_MIN,
  type DayRange,
  type Lane,
  type PlacedAppointment,
} from './layout'

/** How far (px) a press travels before it is a drag rather than a click. */
const DRAG_AFTER_PX = 6
/** Drops land on whole five minutes. */
const SNAP_MIN = 5

export interface Drop {
  /** The dragged appointment and the lane it started in. */
  placed: PlacedAppointment
  from: Lane
  /** Where it was dropped: a lane and minutes after the clinic's midnight (wall clock). */
  to: Lane
  minutes: number
}

export interface Ghost {
  left: number
  width: number
  top: number
  height: number
  minutes: number
  /** The drop would be refused (another clinic system, or the "No practitioner" lane). */
  refused: string | null
  /** In the week view, the other day it would move to ("Tue 1 Dec"), said with the time. */
  otherDay?: string
}

interface Press {
  pointerId: number
  x: number
  y: number
  /** The pointer's distance below the card's top, kept while dragging. */
  grab: number
  placed: PlacedAppointment
  from: Lane
  dragging: boolean
}

/** Why a card may not be dropped in a lane, or null. */
export function dropRefusal(placed: PlacedAppointment, from: Lane, to: Lane): string | null {
  if (practitionerIn(to, placed.a.connectionId)) return null
  if (!laneConnections(to).includes(placed.a.connectionId)) {
    const own = from.members?.find((m) => m.connectionId === placed.a.connectionId)?.connectionLabel
    return `An appointment moves within its own clinic system (${own ?? from.connectionLabel}).`
  }
  return 'Drop it in a practitioner’s lane.'
}

export function useDragToMove(opts: {
  scroller: RefObject<HTMLDivElement | null>
  lanes: Lane[]
  range: DayRange
  where: Map<string, { lane: number; row: number }>
  onMove?: (drop: Drop) => void
}) {
  const press = useRef<Press | null>(null)
  /** A drag just ended: the click the browser sends after it must not open the card. */
  const swallowClick = useRef(false)
  const [ghost, setGhost] = useState<Ghost | null>(null)

  /** The lane and minutes under the pointer, in the lanes' own coordinates. */
  const target = (e: PointerEvent, p: Press) => {
    const canvas = opts.scroller.current?.querySelector('.day-lanes')
    if (!canvas) return null
    const box = canvas.getBoundingClientRect()
    const x = e.clientX - box.left
    const lane = opts.lanes.find((l) => x >= l.left && x < l.left + l.width)
    if (!lane) return null
    const top = e.clientY - box.top - HEADER_HEIGHT - p.grab
    const raw = opts.range.startMin + top / PX_PER_MIN
    const minutes = Math.min(
      opts.range.endMin - SNAP_MIN,
      Math.max(opts.range.startMin, Math.round(raw / SNAP_MIN) * SNAP_MIN),
    )
    return { lane, minutes }
  }

  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    swallowClick.current = false
    if (!opts.onMove || e.button !== 0 || e.pointerType === 'touch') return
    const el = e.target instanceof HTMLElement ? e.target.closest<HTMLElement>('[data-appointment-id]') : null
    const id = el?.dataset.appointmentId
    const at = id ? opts.where.get(id) : undefined
    if (!el || !at) return
    const from = opts.lanes[at.lane]!
    press.current = {
      pointerId: e.pointerId,
      x: e.clientX,
      y: e.clientY,
      grab: e.clientY - el.getBoundingClientRect().top,
      placed: from.items[at.row]!,
      from,
      dragging: false,
    }
  }

  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    const p = press.current
    if (!p || e.pointerId !== p.pointerId) return
    if (!p.dragging) {
      if (Math.hypot(e.clientX - p.x, e.clientY - p.y) < DRAG_AFTER_PX) return
      p.dragging = true
      opts.scroller.current?.setPointerCapture(e.pointerId)
    }
    const t = target(e, p)
    if (!t) return setGhost(null)
    setGhost({
      left: t.lane.left,
      width: t.lane.width,
      top: HEADER_HEIGHT + (t.minutes - opts.range.startMin) * PX_PER_MIN,
      height: p.placed.height,
      minutes: t.minutes,
      refused: dropRefusal(p.placed, p.from, t.lane),
      ...(t.lane.day && t.lane.day !== p.from.day ? { otherDay: t.lane.name } : {}),
    })
  }

  const end = (e: PointerEvent<HTMLDivElement>, dropped: boolean) => {
    const p = press.current
    if (!p || e.pointerId !== p.pointerId) return
    press.current = null
    setGhost(null)
    if (!p.dragging) return
    swallowClick.current = true
    const t = dropped ? target(e, p) : null
    if (t) opts.onMove?.({ placed: p.placed, from: p.from, to: t.lane, minutes: t.minutes })
  }

  const onClickCapture = (e: MouseEvent<HTMLDivElement>) => {
    if (!swallowClick.current) return
    swallowClick.current = false
    e.stopPropagation()
    e.preventDefault()
  }

  return {
    ghost,
    handlers: {
      onPointerDown,
      onPointerMove,
      onPointerUp: (e: PointerEvent<HTMLDivElement>) => end(e, true),
      onPointerCancel: (e: PointerEvent<HTMLDivElement>) => end(e, false),
      onClickCapture,
    },
  }
}
