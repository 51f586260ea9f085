/** The Availability API: the windows Heim offers a task, and whether a chosen one can still be booked. */
import { DateTime } from 'luxon'
import { json, type Route, type RouteHandler } from '../../core'
import { decodeWindowId, type HeimWindow, PERIODS, windowId } from '../state'
import { err, type HeimContext, isDate, POSTCODE } from './shared'

const taken = ({ state }: HeimContext, id: string) =>
  [...state.appointments.values()].filter((a) => a.windowId === id && a.status !== 'cancelled').length

/** The windows Heim offers for a task: Monday to Saturday, three four-hour periods, until full. */
function windows(sim: HeimContext, taskIndex: number, from: DateTime, to: DateTime, now: Date): HeimWindow[] {
  const { state, zone } = sim
  const out: HeimWindow[] = []
  const horizon = DateTime.fromJSDate(now, { zone })
    .startOf('day')
    .plus({ days: sim.windowDays + 1 })
  for (let day = from.startOf('day'); day <= to && day < horizon; day = day.plus({ days: 1 })) {
    if (day.weekday === 7) continue
    PERIODS.forEach((hour, period) => {
      const start = day.set({ hour })
      if (start.toMillis() <= now.getTime()) return
      const startIso = start.toUTC().toISO() as string
      const id = windowId(startIso, taskIndex, period, zone)
      if (taken(sim, id) >= sim.capacity) return
      out.push({
        id,
        taskId: state.tasks[taskIndex]?.id ?? '',
        start: startIso,
        end: start.plus({ hours: 4 }).toUTC().toISO() as string,
      })
    })
  }
  return out
}

/** A window id is bookable if it decodes, belongs to the task, is offered now and has room. */
export function bookableWindow(sim: HeimContext, id: string, taskId: string, now: Date): HeimWindow | string {
  const { state, zone } = sim
  const w = decodeWindowId(id, state)
  if (!w) return `No such window: ${id}`
  if (w.taskId !== taskId) return `Window ${id} is not for task ${taskId}`
  const start = DateTime.fromISO(w.start, { zone })
  const offered = windows(
    sim,
    state.tasks.findIndex((t) => t.id === taskId),
    start,
    start,
    now,
  ).some((x) => x.id === id)
  return offered ? w : `Window ${id} is no longer available`
}

function availability(sim: HeimContext): RouteHandler {
  const { state, opts, zone } = sim
  return (req, _p, ctx) => {
    const now = ctx.clock.now()
    const snake = opts.availabilityQuery === 'snake'
    const [taskName, fromName, toName] = snake
      ? ['task_id', 'start_date', 'end_date']
      : ['taskId', 'from', 'to']
    const taskId = req.query.get(taskName)
    if (!taskId) return err(400, `${taskName} is required`)
    const taskIndex = state.tasks.findIndex((t) => t.id === taskId)
    if (taskIndex < 0) return err(404, `No such task: ${taskId}`)
    const postcode = req.query.get('postcode')
    const pc = postcode ? POSTCODE.exec(postcode.trim()) : null
    if (postcode !== null && !pc) return err(400, 'postcode must be a UK postcode')
    const fromRaw = req.query.get(fromName)
    const toRaw = req.query.get(toName)
    if (fromRaw !== null && !isDate(fromRaw)) return err(400, `${fromName} must be a date, YYYY-MM-DD`)
    if (toRaw !== null && !isDate(toRaw)) return err(400, `${toName} must be a date, YYYY-MM-DD`)
    const today = DateTime.fromJSDate(now, { zone }).startOf('day')
    const from = fromRaw ? DateTime.fromISO(fromRaw, { zone }) : today
    const to = toRaw ? DateTime.fromISO(toRaw, { zone }) : today.plus({ days: sim.windowDays })
    if (to < from) return err(400, 'to must not be before from')
    const area = pc?.[1]?.toUpperCase()
    const covered = area === undefined || sim.coverage.includes(area)
    return json(200, { data: covered ? windows(sim, taskIndex, from, to, now) : [] })
  }
}

export function availabilityRoutes(sim: HeimContext): Route[] {
  return [{ method: 'GET', pattern: sim.availabilityPath, handler: availability(sim) }]
}
