/** What every Hero route module shares: the options, the context, input reading, paging and write records. */
import { DateTime } from 'luxon'
import {
  type Clock,
  type HandlerContext,
  json,
  matchRoute,
  type Route,
  type SimRequest,
  type SimResponse,
} from '../../core'
import { type SeedClinic } from '../../seed'
import { SlotGrid } from '../slots'
import { buildHeroState, type HeroState, type HeroStateOptions } from '../state'

export interface HeroOptions extends HeroStateOptions {
  port?: number
  clock?: Clock
  /** Hero publishes no limit: HERO_DEFAULT_RATE_LIMIT_PER_MINUTE unless set (0: unlimited). */
  rateLimitPerMinute?: number
  /** [U] How long a reservation holds its slot before it is released. */
  reservationMinutes?: number
  /** [U] The confirm step: `PATCH /v1/appointments/{id}/<bookAction>`. */
  bookAction?: string
  /** [U] Whether the inferred `GET /v1/appointments` list exists at all (the real API may not have one). */
  listAppointments?: boolean
  /** [U] Whether page_index counts from 0 or 1. */
  pageIndexBase?: 0 | 1
  /** [U] The reservation body accepted: a slot id, explicit fields, or (default) either. */
  reserveBody?: 'slot' | 'explicit'
  /** [U] The status a second cancel is refused with (default 409). */
  repeatCancelStatus?: 409 | 410 | 400
  /** [U] How a cancelled appointment reads: 410 Gone (default), or as usual with `cancelled_at` set. */
  cancelledRead?: '410' | 'cancelled_at'
  /** [U] The status a second confirm is refused with (default 409). */
  repeatConfirmStatus?: 409 | 400
  /** Reserve and move onto a practitioner's taken time (tests that must see a duplicate booking). */
  allowOverlaps?: boolean
}

/** One simulator's data and settings, built once and handed to every route module. */
export interface HeroContext {
  clinic: SeedClinic
  state: HeroState
  grid: SlotGrid
  opts: HeroOptions
  zone: string
  reservationMs: number
  bookAction: string
  pageBase: 0 | 1
  /** Every route, in matching order; write records are named by the route a request matched. */
  routes: Route[]
}

export function heroContext(clinic: SeedClinic, opts: HeroOptions): HeroContext {
  const state = buildHeroState(clinic, opts)
  return {
    clinic,
    state,
    grid: new SlotGrid(state),
    opts,
    zone: clinic.timeZone,
    reservationMs: (opts.reservationMinutes ?? 15) * 60_000,
    bookAction: opts.bookAction ?? 'book',
    pageBase: opts.pageIndexBase ?? 0,
    routes: [],
  }
}

export const DAY_MS = 86_400_000

export const err = (status: number, message: string): SimResponse =>
  json(status, { message, statusCode: status })

export const isoDate = (s: unknown): s is string =>
  typeof s === 'string' &&
  /^\d{4}-\d{2}-\d{2}$/.test(s) &&
  !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) &&
  new Date(`${s}T00:00:00Z`).toISOString().startsWith(s)

export const str = (v: unknown): string | undefined =>
  typeof v === 'string' && v.trim().length > 0 ? v.trim() : typeof v === 'number' ? String(v) : undefined

export const obj = (v: unknown): Record<string, unknown> =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {}

/** Helpers answer their value or the error to send; records have an `id`, responses do not. */
export const isResponse = (v: unknown): v is SimResponse =>
  typeof v === 'object' && v !== null && 'status' in v && 'body' in v && !('id' in v)

/** Query dates are plain dates in the clinic's zone (whole days, inclusive) or full ISO instants. */
export function parseRangeBound(
  value: string | null,
  zone: string,
  end: boolean,
): Date | undefined | 'invalid' {
  if (value === null || value === '') return undefined
  if (isoDate(value))
    return DateTime.fromISO(value, { zone })
      .plus({ days: end ? 1 : 0 })
      .toJSDate()
  const t = Date.parse(value)
  return Number.isNaN(t) ? 'invalid' : new Date(t)
}

export function paging(sim: HeroContext, req: SimRequest): { index: number; size: number } | SimResponse {
  const pageBase = sim.pageBase
  const rawIndex = req.query.get('page_index')
  const rawSize = req.query.get('page_size')
  const index = rawIndex === null ? pageBase : Number(rawIndex)
  const size = rawSize === null ? 50 : Number(rawSize)
  if (!Number.isInteger(index) || index < pageBase)
    return err(400, `page_index must be an integer >= ${pageBase}`)
  if (!Number.isInteger(size) || size < 1 || size > 100)
    return err(400, 'page_size must be an integer from 1 to 100')
  return { index: index - pageBase, size }
}

export const page = <T>(items: T[], p: { index: number; size: number }) => ({
  data: items.slice(p.index * p.size, (p.index + 1) * p.size),
  count: items.length,
})

/** The route's pattern, for write records: `POST /v1/appointments/:id/book`. */
export function routeName(sim: HeroContext, req: SimRequest): string {
  const m = matchRoute(sim.routes, req.method, req.path)
  return m.route ? m.route.pattern : req.path
}

/** A write handler's two endings: the answer, recorded as rejected or applied under the route's name. */
export function recorder(sim: HeroContext, ctx: HandlerContext, req: SimRequest) {
  const record = (outcome: 'applied' | 'rejected') => (r: SimResponse) => {
    ctx.recordWrite(`${req.method} ${routeName(sim, req)}`, req.body, outcome, r.body)
    return r
  }
  return { reject: record('rejected'), apply: record('applied') }
}
