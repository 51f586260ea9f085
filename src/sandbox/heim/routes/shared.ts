/** What every Heim route module shares: the options, the context, field checks, paging and write records. */
import { DateTime } from 'luxon'
import { type Clock, type HandlerContext, json, type SimRequest, type SimResponse } from '../../core'
import { type SeedClinic } from '../../seed'
import { compileFilters, type FieldSpec, FilterError } from '../filter'
import { buildHeimState, type HeimAddress, type HeimState } from '../state'

export interface HeimOptions {
  port?: number
  clock?: Clock
  /** Heim publishes no limit: HEIM_DEFAULT_RATE_LIMIT_PER_MINUTE unless set (0: unlimited). */
  rateLimitPerMinute?: number
  /** [U] Path of the Availability API. */
  availabilityPath?: string
  /** [U] Path of the task list. */
  tasksPath?: string
  /** [U] Prefix of appointment ids. */
  appointmentIdPrefix?: string
  /** [U] Status for field validation errors. */
  validationStatus?: 400 | 422
  /** [U] 'documented' allows only the filter fields the docs name; 'extended' adds DOB, phone, NHS number, email. */
  patientFilterFields?: 'documented' | 'extended'
  /** [U] How many appointments one window takes before it stops being offered. */
  windowCapacity?: number
  /** [U] How many days ahead windows are offered (the docs say "about 3 weeks"). */
  windowDays?: number
  /** [U] Minimum days between planFrom and planTo. */
  planMinimumGapDays?: number
  /** Outward-code areas Heim covers; postcodes elsewhere get no windows [I]. */
  coverage?: string[]
  /** [U] Availability query names: camel (taskId, from, to) or snake (task_id, start_date, end_date). */
  availabilityQuery?: 'camel' | 'snake'
  /** [U] The appointment filter field for a visit's time. */
  appointmentTimeField?: 'start' | 'window.start'
  /** [U] The status a second cancel is refused with. */
  repeatCancelStatus?: 409 | 400 | 422
  /** [U] The cancellation reason codes accepted (any non-empty code when unset; the list is not published). */
  cancelReasonCodes?: string[]
  /** [U] Paging: an opaque `cursor` (default), or `page` counted from 1. */
  paging?: 'cursor' | 'page'
  /** [U] Several filters: repeated `filter` parameters (default), or one `filter` joined by commas. */
  filterCombine?: 'repeat' | 'comma'
}

/** One simulator's data and settings, built once and handed to every route module. */
export interface HeimContext {
  state: HeimState
  opts: HeimOptions
  zone: string
  prefix: string
  availabilityPath: string
  tasksPath: string
  validationStatus: 400 | 422
  capacity: number
  windowDays: number
  planGapDays: number
  coverage: string[]
}

const DEFAULT_COVERAGE = ['N', 'E', 'SE', 'SW', 'W', 'NW', 'EC', 'WC', 'M', 'B', 'BS']

export function heimContext(clinic: SeedClinic, opts: HeimOptions): HeimContext {
  const clock0 = opts.clock?.now() ?? new Date()
  const prefix = opts.appointmentIdPrefix ?? 'apt_'
  return {
    state: buildHeimState(clinic, clock0, prefix),
    opts,
    zone: clinic.timeZone,
    prefix,
    availabilityPath: opts.availabilityPath ?? '/v1/availability',
    tasksPath: opts.tasksPath ?? '/v1/tasks',
    validationStatus: opts.validationStatus ?? 400,
    capacity: opts.windowCapacity ?? 4,
    windowDays: opts.windowDays ?? 21,
    planGapDays: opts.planMinimumGapDays ?? 2,
    coverage: opts.coverage ?? DEFAULT_COVERAGE,
  }
}

export const POSTCODE = /^([A-Z]{1,2})\d[A-Z\d]? ?\d[A-Z]{2}$/i
const E164 = /^\+[1-9]\d{5,14}$/

export type FieldErrors = { field: string; message: string }[]

export const err = (status: number, message: string, errors?: FieldErrors): SimResponse =>
  json(status, errors ? { message, errors } : { message })

export const invalid = (sim: HeimContext, errors: FieldErrors) =>
  err(sim.validationStatus, 'Validation failed', errors)

export const obj = (v: unknown): Record<string, unknown> | undefined =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined

export const isDate = (s: unknown): s is string =>
  typeof s === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(s) && DateTime.fromISO(s, { zone: 'UTC' }).isValid

export function checkAddress(v: unknown, field: string, errors: FieldErrors): HeimAddress | undefined {
  const a = obj(v)
  if (!a) {
    errors.push({ field, message: 'must be an address object' })
    return undefined
  }
  if (typeof a.line1 !== 'string' || a.line1.trim() === '')
    errors.push({ field: `${field}.line1`, message: 'is required' })
  if (typeof a.postcode !== 'string' || !POSTCODE.test(a.postcode.trim()))
    errors.push({ field: `${field}.postcode`, message: 'must be a UK postcode' })
  const address: HeimAddress = {
    line1: String(a.line1 ?? ''),
    postcode: String(a.postcode ?? '')
      .trim()
      .toUpperCase(),
  }
  for (const k of ['line2', 'city', 'country'] as const)
    if (typeof a[k] === 'string') address[k] = a[k] as string
  return address
}

export function checkPhone(v: unknown, field: string, errors: FieldErrors) {
  if (typeof v !== 'string' || v.length < 7 || v.length > 16 || !E164.test(v))
    errors.push({ field, message: 'must be an E.164 phone number (7–16 characters), e.g. +447700900123' })
}

export function optionalString(
  body: Record<string, unknown>,
  key: string,
  errors: FieldErrors,
): string | null {
  const v = body[key]
  if (v === undefined || v === null) return null
  if (typeof v !== 'string') {
    errors.push({ field: key, message: 'must be a string or null' })
    return null
  }
  return v
}

/** A write handler's two endings: the answer, recorded as rejected or applied under `op`. */
export function recorder(ctx: HandlerContext, op: string, req: SimRequest) {
  const record = (outcome: 'applied' | 'rejected') => (r: SimResponse) => {
    ctx.recordWrite(op, req.body, outcome, r.body)
    return r
  }
  return { reject: record('rejected'), apply: record('applied') }
}

/**
 * [U] Paging: `limit` (1–100, default 50) and an opaque `cursor`, answering `{ data, hasMore, nextCursor }`;
 * with `paging: 'page'`, `page` from 1 instead, answering `{ data, hasMore }`. Several filters are repeated
 * `filter` parameters, ANDed; with `filterCombine: 'comma'` one `filter` holds them, and only the first
 * `filter` parameter counts (as many servers read a repeated parameter).
 */
export function list<T extends { createdAt: string; id: string }>(
  req: SimRequest,
  opts: HeimOptions,
  items: Iterable<T>,
  fields: Record<string, FieldSpec<T>>,
): SimResponse {
  let predicate: (item: T) => boolean
  try {
    predicate = compileFilters(filtersOf(req, opts), fields)
  } catch (e) {
    if (e instanceof FilterError) return err(400, e.message)
    throw e
  }
  const limitRaw = req.query.get('limit')
  const limit = limitRaw === null ? 50 : Number(limitRaw)
  if (!Number.isInteger(limit) || limit < 1 || limit > 100)
    return err(400, 'limit must be an integer from 1 to 100')
  const offset = pageOffset(req, opts, limit)
  if (offset === undefined)
    return err(400, opts.paging === 'page' ? 'page must be an integer from 1' : 'cursor is not valid')
  const all = [...items]
    .filter(predicate)
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id))
  const data = all.slice(offset, offset + limit)
  const hasMore = offset + limit < all.length
  if (opts.paging === 'page') return json(200, { data, hasMore })
  return json(200, {
    data,
    hasMore,
    nextCursor: hasMore ? Buffer.from(`o:${offset + limit}`).toString('base64url') : null,
  })
}

function filtersOf(req: SimRequest, opts: HeimOptions): string[] {
  if (opts.filterCombine !== 'comma') return req.query.getAll('filter')
  const one = req.query.get('filter')
  // Commas outside quoted values separate filters.
  return one ? one.split(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/) : []
}

/** The first row of the page asked for, or undefined when the page or cursor is not valid. */
function pageOffset(req: SimRequest, opts: HeimOptions, limit: number): number | undefined {
  if (opts.paging === 'page') {
    const raw = req.query.get('page')
    const page = raw === null ? 1 : Number(raw)
    return Number.isInteger(page) && page >= 1 ? (page - 1) * limit : undefined
  }
  const cursor = req.query.get('cursor')
  if (!cursor) return 0
  const offset = Number(Buffer.from(cursor, 'base64url').toString('utf8').replace(/^o:/, ''))
  return Number.isInteger(offset) && offset >= 0 ? offset : undefined
}
