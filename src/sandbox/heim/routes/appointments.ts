/** Appointments (home visits): create in a window or to be scheduled, cancel, one by id, the list. */
import { json, type Route, type RouteHandler, type SimResponse } from '../../core'
import { type FieldSpec } from '../filter'
import { type HeimAddress, type HeimAppointment, type HeimTask, type HeimWindow } from '../state'
import { bookableWindow } from './availability'
import {
  checkAddress,
  checkPhone,
  err,
  type FieldErrors,
  type HeimContext,
  invalid,
  isDate,
  list,
  obj,
  optionalString,
  recorder,
} from './shared'

const ENTITIES = ['organisation', 'patient', 'heim', 'practitioner']

function appointmentFields(sim: HeimContext): Record<string, FieldSpec<HeimAppointment>> {
  return {
    id: { kind: 'string', get: (a) => a.id },
    status: { kind: 'string', get: (a) => a.status },
    'patient.id': { kind: 'string', get: (a) => a.patient.id },
    'patient.name': { kind: 'string', get: (a) => a.patient.name },
    taskId: { kind: 'string', get: (a) => a.taskId },
    externalReference: { kind: 'string', get: (a) => a.externalReference },
    externalRef: { kind: 'string', get: (a) => a.externalReference },
    createdAt: { kind: 'instant', get: (a) => a.createdAt },
    updatedAt: { kind: 'instant', get: (a) => a.updatedAt },
    [sim.opts.appointmentTimeField ?? 'start']: { kind: 'instant', get: (a) => a.window?.start },
  }
}

/** Checks a create body field by field, in the order the errors are listed, and reads what it can. */
function readAppointment(body: Record<string, unknown>, errors: FieldErrors) {
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
  return { location, externalReference, note, planFrom, planTo }
}

/** A scheduled visit (planFrom/planTo instead of a window): the task must allow it and the plan must hold. */
function checkPlan(
  sim: HeimContext,
  task: HeimTask,
  body: Record<string, unknown>,
  planFrom: unknown,
  planTo: unknown,
): SimResponse | undefined {
  if (!task.scheduledEnabled)
    return err(sim.validationStatus, 'Scheduled appointments are not enabled for this task', [
      { field: 'planFrom', message: 'not allowed for this task' },
    ])
  if (planFrom === null || planTo === null)
    return invalid(sim, [
      { field: planFrom === null ? 'planFrom' : 'planTo', message: 'planFrom and planTo go together' },
    ])
  if (body.windowId)
    return invalid(sim, [
      { field: 'windowId', message: 'a scheduled appointment takes planFrom/planTo, not a window' },
    ])
  const gap = (Date.parse(planTo as string) - Date.parse(planFrom as string)) / 86_400_000
  if (gap < sim.planGapDays)
    return invalid(sim, [
      { field: 'planTo', message: `must be at least ${sim.planGapDays} days after planFrom` },
    ])
  return undefined
}

function create(sim: HeimContext): RouteHandler {
  const { state } = sim
  return (req, _p, ctx) => {
    const { reject, apply } = recorder(ctx, 'POST /v1/appointments', req)
    const now = ctx.clock.now()
    const body = obj(req.body)
    if (!body) return reject(err(400, 'Request body must be a JSON object'))
    const errors: FieldErrors = []
    const f = readAppointment(body, errors)
    if (errors.length) return reject(invalid(sim, errors))

    const patient = state.patients.get(body.patientId as string)
    if (!patient) return reject(err(404, `No such patient: ${String(body.patientId)}`))
    const task = state.tasks.find((t) => t.id === body.taskId)
    if (!task) return reject(err(404, `No such task: ${String(body.taskId)}`))
    const scheduled = f.planFrom !== null || f.planTo !== null
    if (scheduled) {
      const bad = checkPlan(sim, task, body, f.planFrom, f.planTo)
      if (bad) return reject(bad)
    }
    let window: HeimWindow | undefined
    if (typeof body.windowId === 'string') {
      const w = bookableWindow(sim, body.windowId, task.id, now)
      if (typeof w === 'string') return reject(err(409, w))
      window = w
    }
    const id = state.newId(sim.prefix)
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
      externalReference: f.externalReference,
      note: f.note,
      phone: String(body.phone),
      location: f.location as HeimAddress,
      metadata: (obj(body.metadata) as Record<string, unknown> | undefined) ?? null,
      documentIds: (body.documentIds as string[] | undefined) ?? [],
      planFrom: f.planFrom as string | null,
      planTo: f.planTo as string | null,
      estimatedTimeOfArrival: window ? new Date(Date.parse(window.start) + 60 * 60_000).toISOString() : null,
      data: {},
      cancellation: null,
      createdAt: at,
      updatedAt: at,
    }
    state.appointments.set(id, appointment)
    return apply(json(201, appointment))
  }
}

function cancel(sim: HeimContext): RouteHandler {
  const { state, opts } = sim
  return (req, params, ctx) => {
    const { reject, apply } = recorder(ctx, 'POST /v1/appointments/:id/cancel', req)
    const now = ctx.clock.now()
    const a = state.appointments.get(params.id ?? '')
    if (!a) return reject(err(404, `No such appointment: ${params.id}`))
    const body = obj(req.body) ?? {}
    const errors: FieldErrors = []
    for (const k of ['causingEntity', 'cancellingEntity'] as const)
      if (typeof body[k] !== 'string' || !ENTITIES.includes(body[k] as string))
        errors.push({ field: k, message: `is required, one of ${ENTITIES.join(', ')}` })
    if (typeof body.reasonCode !== 'string' || body.reasonCode.trim() === '')
      errors.push({ field: 'reasonCode', message: 'is required, e.g. patient_not_present' })
    else if (opts.cancelReasonCodes && !opts.cancelReasonCodes.includes(body.reasonCode))
      errors.push({ field: 'reasonCode', message: `is not one of ${opts.cancelReasonCodes.join(', ')}` })
    const note = optionalString(body, 'note', errors)
    if (errors.length) return reject(invalid(sim, errors))
    // Only one cancellation per appointment through the API; Heim Ops amend later ones.
    if (a.status === 'cancelled')
      return reject(err(opts.repeatCancelStatus ?? 409, 'Appointment has already been cancelled'))
    if (a.status === 'completed') return reject(err(409, 'A completed appointment cannot be cancelled'))
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
    return apply(json(200, a))
  }
}

export function appointmentRoutes(sim: HeimContext): Route[] {
  const { state } = sim
  const fields = appointmentFields(sim)
  return [
    { method: 'POST', pattern: '/v1/appointments', handler: create(sim) },
    {
      method: 'GET',
      pattern: '/v1/appointments',
      handler: (req) => list(req, sim.opts, state.appointments.values(), fields),
    },
    {
      method: 'GET',
      pattern: '/v1/appointments/:id',
      handler: (_req, params) => {
        const a = state.appointments.get(params.id ?? '')
        return a ? json(200, a) : err(404, `No such appointment: ${params.id}`)
      },
    },
    { method: 'POST', pattern: '/v1/appointments/:id/cancel', handler: cancel(sim) },
  ]
}
