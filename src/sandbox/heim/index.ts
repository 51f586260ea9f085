import { DateTime } from 'luxon'
import { isValidNhsNumber } from '../../shared/nhs-number'
import {
  type Clock,
  type HandlerContext,
  json,
  matchRoute,
  type Route,
  type SimRequest,
  type SimResponse,
  type SimulatorHandle,
  startSimulator,
} from '../core'
import { type SeedClinic } from '../seed'
import { compileFilters, type FieldSpec, FilterError } from './filter'
import {
  buildHeimState,
  decodeWindowId,
  type HeimAddress,
  type HeimAppointment,
  type HeimPatient,
  type HeimState,
  type HeimWindow,
  PERIODS,
  windowId,
} from './state'

export {
  type HeimState,
  type HeimAppointment,
  type HeimPatient,
  type HeimTask,
  type HeimWindow,
} from './state'
export { parseFilter, compileFilters, FilterError, type FilterClause } from './filter'

/**
 * Heim publishes no rate limit: the same conservative figure the adapter assumes (the `rateLimit`
 * entry of src/main/vendors/heim/assumptions.ts), so a client pacing itself by it never sees a 429.
 */
export const HEIM_DEFAULT_RATE_LIMIT_PER_MINUTE = 60

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
}

const DEFAULT_COVERAGE = ['N', 'E', 'SE', 'SW', 'W', 'NW', 'EC', 'WC', 'M', 'B', 'BS']
const POSTCODE = /^([A-Z]{1,2})\d[A-Z\d]? ?\d[A-Z]{2}$/i
const E164 = /^\+[1-9]\d{5,14}$/
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/
const TITLES = ['Mr', 'Mrs', 'Ms', 'Miss', 'Mx', 'Dr']
const SEXES = ['male', 'female', 'other', 'unknown']
const ENTITIES = ['organisation', 'patient', 'heim', 'practitioner']

const err = (status: number, message: string, errors?: { field: string; message: string }[]): SimResponse =>
  json(status, errors ? { message, errors } : { message })

const obj = (v: unknown): Record<string, unknown> | undefined =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined

const isDate = (s: unknown): s is string =>
  typeof s === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(s) && DateTime.fromISO(s, { zone: 'UTC' }).isValid

type FieldErrors = { field: string; message: string }[]

function checkAddress(v: unknown, field: string, errors: FieldErrors): HeimAddress | undefined {
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

function checkPhone(v: unknown, field: string, errors: FieldErrors) {
  if (typeof v !== 'string' || v.length < 7 || v.length > 16 || !E164.test(v))
    errors.push({ field, message: 'must be an E.164 phone number (7–16 characters), e.g. +447700900123' })
}

function optionalString(body: Record<string, unknown>, key: string, errors: FieldErrors): string | null {
  const v = body[key]
  if (v === undefined || v === null) return null
  if (typeof v !== 'string') {
    errors.push({ field: key, message: 'must be a string or null' })
    return null
  }
  return v
}

export function startHeimSimulator(
  clinic: SeedClinic,
  opts: HeimOptions = {},
): Promise<SimulatorHandle<HeimState>> {
  const clock0 = opts.clock?.now() ?? new Date()
  const prefix = opts.appointmentIdPrefix ?? 'apt_'
  const state = buildHeimState(clinic, clock0, prefix)
  const availabilityPath = opts.availabilityPath ?? '/v1/availability'
  const tasksPath = opts.tasksPath ?? '/v1/tasks'
  const validationStatus = opts.validationStatus ?? 400
  const capacity = opts.windowCapacity ?? 4
  const windowDays = opts.windowDays ?? 21
  const planGapDays = opts.planMinimumGapDays ?? 2
  const coverage = opts.coverage ?? DEFAULT_COVERAGE
  const zone = clinic.timeZone

  const invalid = (errors: FieldErrors) => err(validationStatus, 'Validation failed', errors)

  const reject = (ctx: HandlerContext, op: string, req: SimRequest, r: SimResponse) => {
    ctx.recordWrite(op, req.body, 'rejected', r.body)
    return r
  }
  const apply = (ctx: HandlerContext, op: string, req: SimRequest, r: SimResponse) => {
    ctx.recordWrite(op, req.body, 'applied', r.body)
    return r
  }

  const taken = (id: string) =>
    [...state.appointments.values()].filter((a) => a.windowId === id && a.status !== 'cancelled').length

  /** The windows Heim offers for a task: Monday to Saturday, three four-hour periods, until full. */
  const windows = (taskIndex: number, from: DateTime, to: DateTime, now: Date): HeimWindow[] => {
    const out: HeimWindow[] = []
    const horizon = DateTime.fromJSDate(now, { zone })
      .startOf('day')
      .plus({ days: windowDays + 1 })
    for (let day = from.startOf('day'); day <= to && day < horizon; day = day.plus({ days: 1 })) {
      if (day.weekday === 7) continue
      PERIODS.forEach((hour, period) => {
        const start = day.set({ hour })
        if (start.toMillis() <= now.getTime()) return
        const startIso = start.toUTC().toISO() as string
        const id = windowId(startIso, taskIndex, period, zone)
        if (taken(id) >= capacity) return
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
  const bookableWindow = (id: string, taskId: string, now: Date): HeimWindow | string => {
    const w = decodeWindowId(id, state)
    if (!w) return `No such window: ${id}`
    if (w.taskId !== taskId) return `Window ${id} is not for task ${taskId}`
    const start = DateTime.fromISO(w.start, { zone })
    const offered = windows(
      state.tasks.findIndex((t) => t.id === taskId),
      start,
      start,
      now,
    ).some((x) => x.id === id)
    return offered ? w : `Window ${id} is no longer available`
  }

  const patientFields: Record<string, FieldSpec<HeimPatient>> = {
    id: { kind: 'string', get: (p) => p.id },
    'patient.id': { kind: 'string', get: (p) => p.id },
    name: { kind: 'string', get: (p) => `${p.firstName} ${p.lastName}` },
    'patient.name': { kind: 'string', get: (p) => `${p.firstName} ${p.lastName}` },
    firstName: { kind: 'string', get: (p) => p.firstName },
    lastName: { kind: 'string', get: (p) => p.lastName },
    externalReference: { kind: 'string', get: (p) => p.externalReference },
    externalRef: { kind: 'string', get: (p) => p.externalReference },
    createdAt: { kind: 'instant', get: (p) => p.createdAt },
    updatedAt: { kind: 'instant', get: (p) => p.updatedAt },
    ...(opts.patientFilterFields === 'extended'
      ? {
          dateOfBirth: { kind: 'string', get: (p: HeimPatient) => p.dateOfBirth },
          phone: { kind: 'string', get: (p: HeimPatient) => p.phone },
          nhsNumber: { kind: 'string', get: (p: HeimPatient) => p.nhsNumber },
          email: { kind: 'string', get: (p: HeimPatient) => p.email },
        }
      : {}),
  }
  const appointmentFields: Record<string, FieldSpec<HeimAppointment>> = {
    id: { kind: 'string', get: (a) => a.id },
    status: { kind: 'string', get: (a) => a.status },
    'patient.id': { kind: 'string', get: (a) => a.patient.id },
    'patient.name': { kind: 'string', get: (a) => a.patient.name },
    taskId: { kind: 'string', get: (a) => a.taskId },
    externalReference: { kind: 'string', get: (a) => a.externalReference },
    externalRef: { kind: 'string', get: (a) => a.externalReference },
    createdAt: { kind: 'instant', get: (a) => a.createdAt },
    updatedAt: { kind: 'instant', get: (a) => a.updatedAt },
    [opts.appointmentTimeField ?? 'start']: { kind: 'instant', get: (a) => a.window?.start },
  }

  /** [U] Paging: `limit` (1–100, default 50) and an opaque `cursor`; answers `{ data, hasMore, nextCursor }`. */
  const list = <T extends { createdAt: string; id: string }>(
    req: SimRequest,
    items: Iterable<T>,
    fields: Record<string, FieldSpec<T>>,
  ): SimResponse => {
    let predicate: (item: T) => boolean
    try {
      predicate = compileFilters(req.query.getAll('filter'), fields)
    } catch (e) {
      if (e instanceof FilterError) return err(400, e.message)
      throw e
    }
    const limitRaw = req.query.get('limit')
    const limit = limitRaw === null ? 50 : Number(limitRaw)
    if (!Number.isInteger(limit) || limit < 1 || limit > 100)
      return err(400, 'limit must be an integer from 1 to 100')
    const cursor = req.query.get('cursor')
    let offset = 0
    if (cursor) {
      offset = Number(Buffer.from(cursor, 'base64url').toString('utf8').replace(/^o:/, ''))
      if (!Number.isInteger(offset) || offset < 0) return err(400, 'cursor is not valid')
    }
    const all = [...items]
      .filter(predicate)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id))
    const data = all.slice(offset, offset + limit)
    const hasMore = offset + limit < all.length
    return json(200, {
      data,
      hasMore,
      nextCursor: hasMore ? Buffer.from(`o:${offset + limit}`).toString('base64url') : null,
    })
  }

  const routes: Route[] = [
    {
      method: 'POST',
      pattern: '/v1/patients',
      handler: (req, _p, ctx) => {
        const op = 'POST /v1/patients'
        const body = obj(req.body)
        if (!body) return reject(ctx, op, req, err(400, 'Request body must be a JSON object'))
        const errors: FieldErrors = []
        const title = optionalString(body, 'title', errors)
        if (title !== null && !TITLES.includes(title))
          errors.push({ field: 'title', message: `must be one of ${TITLES.join(', ')} or null` })
        for (const k of ['firstName', 'lastName'] as const) {
          const v = body[k]
          if (typeof v !== 'string' || v.trim().length < 2 || v.length > 100)
            errors.push({ field: k, message: 'is required, 2–100 characters' })
        }
        const sex = optionalString(body, 'sex', errors)
        if (sex !== null && !SEXES.includes(sex))
          errors.push({ field: 'sex', message: `must be one of ${SEXES.join(', ')} or null` })
        checkPhone(body.phone, 'phone', errors)
        if (typeof body.email !== 'string' || !EMAIL.test(body.email))
          errors.push({ field: 'email', message: 'must be an email address' })
        const nhs = optionalString(body, 'nhsNumber', errors)
        if (nhs !== null && !/^\d{10}$/.test(nhs))
          errors.push({ field: 'nhsNumber', message: 'must be a 10-digit number without spaces' })
        else if (nhs !== null && !isValidNhsNumber(nhs))
          errors.push({ field: 'nhsNumber', message: 'fails the NHS number check digit' })
        const dob = body.dateOfBirth
        if (!isDate(dob)) errors.push({ field: 'dateOfBirth', message: 'is required, as YYYY-MM-DD' })
        else if (Date.parse(dob) > ctx.clock.now().getTime())
          errors.push({ field: 'dateOfBirth', message: 'cannot be in the future' })
        const externalReference = optionalString(body, 'externalReference', errors)
        const note = optionalString(body, 'note', errors)
        const address: HeimAddress[] = []
        if (body.address !== undefined && body.address !== null) {
          if (!Array.isArray(body.address) || body.address.length > 1)
            errors.push({ field: 'address', message: 'must be an array with at most one address' })
          else if (body.address.length === 1) {
            const a = checkAddress(body.address[0], 'address[0]', errors)
            if (a) address.push(a)
          }
        }
        if (errors.length) return reject(ctx, op, req, invalid(errors))
        const now = ctx.clock.now().toISOString()
        const patient: HeimPatient = {
          id: state.newId('p_'),
          title,
          firstName: String(body.firstName).trim(),
          lastName: String(body.lastName).trim(),
          sex,
          phone: String(body.phone),
          email: String(body.email),
          nhsNumber: nhs,
          externalReference,
          dateOfBirth: String(dob),
          note,
          address,
          createdAt: now,
          updatedAt: now,
        }
        state.patients.set(patient.id, patient)
        return apply(ctx, op, req, json(201, patient))
      },
    },
    {
      method: 'GET',
      pattern: '/v1/patients',
      handler: (req) => list(req, state.patients.values(), patientFields),
    },
    {
      method: 'GET',
      pattern: '/v1/patients/:id',
      handler: (_req, params) => {
        const p = state.patients.get(params.id ?? '')
        return p ? json(200, p) : err(404, `No such patient: ${params.id}`)
      },
    },
    {
      method: 'GET',
      pattern: tasksPath,
      handler: () => json(200, { data: state.tasks, hasMore: false, nextCursor: null }),
    },
    {
      method: 'GET',
      pattern: `${tasksPath}/:id`,
      handler: (_req, params) => {
        const t = state.tasks.find((x) => x.id === params.id)
        return t ? json(200, t) : err(404, `No such task: ${params.id}`)
      },
    },
    {
      method: 'GET',
      pattern: availabilityPath,
      handler: (req, _p, ctx) => {
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
        const to = toRaw ? DateTime.fromISO(toRaw, { zone }) : today.plus({ days: windowDays })
        if (to < from) return err(400, 'to must not be before from')
        const area = pc?.[1]?.toUpperCase()
        const covered = area === undefined || coverage.includes(area)
        return json(200, { data: covered ? windows(taskIndex, from, to, now) : [] })
      },
    },
    {
      method: 'POST',
      pattern: '/v1/appointments',
      handler: (req, _p, ctx) => {
        const op = 'POST /v1/appointments'
        const now = ctx.clock.now()
        const body = obj(req.body)
        if (!body) return reject(ctx, op, req, err(400, 'Request body must be a JSON object'))
        const errors: FieldErrors = []
        if (typeof body.patientId !== 'string' || !body.patientId.startsWith('p_'))
          errors.push({ field: 'patientId', message: 'is required, a patient id (p_…)' })
        if (typeof body.taskId !== 'string' || !body.taskId.startsWith('tsk_'))
          errors.push({ field: 'taskId', message: 'is required, a task id (tsk_…)' })
        if (
          body.windowId !== undefined &&
          body.windowId !== null &&
          (typeof body.windowId !== 'string' || !body.windowId.startsWith('win_'))
        )
          errors.push({ field: 'windowId', message: 'must be a window id (win_…) or null' })
        checkPhone(body.phone, 'phone', errors)
        const location =
          body.location === undefined
            ? (errors.push({ field: 'location', message: 'is required' }), undefined)
            : checkAddress(body.location, 'location', errors)
        const externalReference = optionalString(body, 'externalReference', errors)
        const note = optionalString(body, 'note', errors)
        if (body.metadata !== undefined && body.metadata !== null && !obj(body.metadata))
          errors.push({ field: 'metadata', message: 'must be an object or null' })
        if (
          body.documentIds !== undefined &&
          (!Array.isArray(body.documentIds) || body.documentIds.some((d) => typeof d !== 'string'))
        )
          errors.push({ field: 'documentIds', message: 'must be an array of document ids' })
        const planFrom = body.planFrom ?? null
        const planTo = body.planTo ?? null
        if (planFrom !== null && !isDate(planFrom))
          errors.push({ field: 'planFrom', message: 'must be a date, YYYY-MM-DD, or null' })
        if (planTo !== null && !isDate(planTo))
          errors.push({ field: 'planTo', message: 'must be a date, YYYY-MM-DD, or null' })
        if (errors.length) return reject(ctx, op, req, invalid(errors))

        const patient = state.patients.get(body.patientId as string)
        if (!patient) return reject(ctx, op, req, err(404, `No such patient: ${String(body.patientId)}`))
        const task = state.tasks.find((t) => t.id === body.taskId)
        if (!task) return reject(ctx, op, req, err(404, `No such task: ${String(body.taskId)}`))
        const scheduled = planFrom !== null || planTo !== null
        if (scheduled) {
          if (!task.scheduledEnabled)
            return reject(
              ctx,
              op,
              req,
              err(validationStatus, 'Scheduled appointments are not enabled for this task', [
                { field: 'planFrom', message: 'not allowed for this task' },
              ]),
            )
          if (planFrom === null || planTo === null)
            return reject(
              ctx,
              op,
              req,
              invalid([
                {
                  field: planFrom === null ? 'planFrom' : 'planTo',
                  message: 'planFrom and planTo go together',
                },
              ]),
            )
          if (body.windowId)
            return reject(
              ctx,
              op,
              req,
              invalid([
                { field: 'windowId', message: 'a scheduled appointment takes planFrom/planTo, not a window' },
              ]),
            )
          const gap = (Date.parse(planTo as string) - Date.parse(planFrom as string)) / 86_400_000
          if (gap < planGapDays)
            return reject(
              ctx,
              op,
              req,
              invalid([{ field: 'planTo', message: `must be at least ${planGapDays} days after planFrom` }]),
            )
        }
        let window: HeimWindow | undefined
        if (typeof body.windowId === 'string') {
          const w = bookableWindow(body.windowId, task.id, now)
          if (typeof w === 'string') return reject(ctx, op, req, err(409, w))
          window = w
        }
        const id = state.newId(prefix)
        const at = now.toISOString()
        const appointment: HeimAppointment = {
          id,
          status: window ? 'scheduled' : 'scheduling',
          type: scheduled ? 'scheduled' : 'standard',
          patient: { id: patient.id, name: `${patient.firstName} ${patient.lastName}` },
          patientId: patient.id,
          taskId: task.id,
          windowId: window?.id ?? null,
          window: window ? { start: window.start, end: window.end } : null,
          externalReference,
          note,
          phone: String(body.phone),
          location: location as HeimAddress,
          metadata: (obj(body.metadata) as Record<string, unknown> | undefined) ?? null,
          documentIds: (body.documentIds as string[] | undefined) ?? [],
          planFrom: planFrom as string | null,
          planTo: planTo as string | null,
          estimatedTimeOfArrival: window
            ? new Date(Date.parse(window.start) + 60 * 60_000).toISOString()
            : null,
          data: {},
          cancellation: null,
          createdAt: at,
          updatedAt: at,
        }
        state.appointments.set(id, appointment)
        return apply(ctx, op, req, json(201, appointment))
      },
    },
    {
      method: 'GET',
      pattern: '/v1/appointments',
      handler: (req) => list(req, state.appointments.values(), appointmentFields),
    },
    {
      method: 'GET',
      pattern: '/v1/appointments/:id',
      handler: (_req, params) => {
        const a = state.appointments.get(params.id ?? '')
        return a ? json(200, a) : err(404, `No such appointment: ${params.id}`)
      },
    },
    {
      method: 'POST',
      pattern: '/v1/appointments/:id/cancel',
      handler: (req, params, ctx) => {
        const op = 'POST /v1/appointments/:id/cancel'
        const now = ctx.clock.now()
        const a = state.appointments.get(params.id ?? '')
        if (!a) return reject(ctx, op, req, err(404, `No such appointment: ${params.id}`))
        const body = obj(req.body) ?? {}
        const errors: FieldErrors = []
        for (const k of ['causingEntity', 'cancellingEntity'] as const)
          if (typeof body[k] !== 'string' || !ENTITIES.includes(body[k] as string))
            errors.push({ field: k, message: `is required, one of ${ENTITIES.join(', ')}` })
        if (typeof body.reasonCode !== 'string' || body.reasonCode.trim() === '')
          errors.push({ field: 'reasonCode', message: 'is required, e.g. patient_not_present' })
        const note = optionalString(body, 'note', errors)
        if (errors.length) return reject(ctx, op, req, invalid(errors))
        // Only one cancellation per appointment through the API; Heim Ops amend later ones.
        if (a.status === 'cancelled')
          return reject(
            ctx,
            op,
            req,
            err(opts.repeatCancelStatus ?? 409, 'Appointment has already been cancelled'),
          )
        if (a.status === 'completed')
          return reject(ctx, op, req, err(409, 'A completed appointment cannot be cancelled'))
        const eta = a.estimatedTimeOfArrival ? Date.parse(a.estimatedTimeOfArrival) : null
        a.status = 'cancelled'
        a.cancellation = {
          note,
          causingEntity: String(body.causingEntity),
          cancellingEntity: String(body.cancellingEntity),
          reasonCode: String(body.reasonCode),
          cancelledAt: now.toISOString(),
          chargeable: eta !== null && eta - now.getTime() < 24 * 3_600_000,
        }
        a.updatedAt = now.toISOString()
        return apply(ctx, op, req, json(200, a))
      },
    },
  ]

  const routeName = (req: SimRequest) => {
    const m = matchRoute(routes, req.method, req.path)
    return `${req.method} ${m.route ? m.route.pattern : req.path}`
  }

  return startSimulator<HeimState>(
    {
      vendor: 'heim',
      state,
      credentials: { apiKey: state.testKey, liveApiKey: state.liveKey },
      isWrite: (req) => req.method !== 'GET' && req.method !== 'HEAD',
      operationName: routeName,
      rateLimited: () => err(429, 'Too many requests'),
      unavailable: (status) => err(status, status === 500 ? 'Internal server error' : 'Service unavailable'),
      onExpireTokens: () => state.revokedKeys.add(state.testKey),
      onReinstateTokens: () => state.revokedKeys.delete(state.testKey),
      ...((opts.rateLimitPerMinute ?? HEIM_DEFAULT_RATE_LIMIT_PER_MINUTE) > 0
        ? { rateLimitPerMinute: opts.rateLimitPerMinute ?? HEIM_DEFAULT_RATE_LIMIT_PER_MINUTE }
        : {}),
      handle: (req, ctx) => {
        const key = req.headers.authorization
        if (!key) return err(401, 'Provide a header Authorization with the value of your API key')
        if (/^(Bearer|Basic) /i.test(key))
          return err(
            401,
            'Send the API key itself in the Authorization header, without a "Bearer" or "Basic" prefix',
          )
        if (key.startsWith('live_'))
          return err(
            401,
            'Live keys are not accepted here: this is test mode, use a test_ key (test mode never dispatches a practitioner)',
          )
        if (key !== state.testKey) return err(401, 'Invalid API key')
        if (state.revokedKeys.has(key)) return err(401, 'This API key has been revoked')
        if (req.rawBody.length > 0 && req.body === undefined)
          return err(400, 'Request body could not be parsed as JSON')
        const m = matchRoute(routes, req.method, req.path)
        if (!m.route)
          return m.methodMismatch
            ? err(405, 'Method not allowed')
            : err(404, `No route for ${req.method} ${req.path}`)
        return m.route.handler(req, m.params, ctx)
      },
    },
    { ...(opts.port !== undefined ? { port: opts.port } : {}), ...(opts.clock ? { clock: opts.clock } : {}) },
  )
}
