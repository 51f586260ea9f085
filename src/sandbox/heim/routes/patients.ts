/** Patients: create, one by id and the filtered list. Heim publishes no update. */
import { isValidNhsNumber } from '../../../shared/nhs-number'
import { json, type Route, type RouteHandler } from '../../core'
import { type FieldSpec } from '../filter'
import { type HeimAddress, type HeimPatient } from '../state'
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

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/
const TITLES = ['Mr', 'Mrs', 'Ms', 'Miss', 'Mx', 'Dr']
const SEXES = ['male', 'female', 'other', 'unknown']

function patientFields(sim: HeimContext): Record<string, FieldSpec<HeimPatient>> {
  return {
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
    ...(sim.opts.patientFilterFields === 'extended'
      ? {
          dateOfBirth: { kind: 'string', get: (p: HeimPatient) => p.dateOfBirth },
          phone: { kind: 'string', get: (p: HeimPatient) => p.phone },
          nhsNumber: { kind: 'string', get: (p: HeimPatient) => p.nhsNumber },
          email: { kind: 'string', get: (p: HeimPatient) => p.email },
        }
      : {}),
  }
}

/** Checks a create body field by field, in the order the errors are listed, and reads what it can. */
function readPatient(body: Record<string, unknown>, now: Date, errors: FieldErrors) {
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
  else if (Date.parse(dob) > now.getTime())
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
  return { title, sex, nhs, dob, externalReference, note, address }
}

function create(sim: HeimContext): RouteHandler {
  const { state } = sim
  return (req, _p, ctx) => {
    const { reject, apply } = recorder(ctx, 'POST /v1/patients', req)
    const body = obj(req.body)
    if (!body) return reject(err(400, 'Request body must be a JSON object'))
    const errors: FieldErrors = []
    const f = readPatient(body, ctx.clock.now(), errors)
    if (errors.length) return reject(invalid(sim, errors))
    const now = ctx.clock.now().toISOString()
    const patient: HeimPatient = {
      id: state.newId('p_'),
      title: f.title,
      firstName: String(body.firstName).trim(),
      lastName: String(body.lastName).trim(),
      sex: f.sex,
      phone: String(body.phone),
      email: String(body.email),
      nhsNumber: f.nhs,
      externalReference: f.externalReference,
      dateOfBirth: String(f.dob),
      note: f.note,
      address: f.address,
      createdAt: now,
      updatedAt: now,
    }
    state.patients.set(patient.id, patient)
    return apply(json(201, patient))
  }
}

export function patientRoutes(sim: HeimContext): Route[] {
  const { state } = sim
  const fields = patientFields(sim)
  return [
    { method: 'POST', pattern: '/v1/patients', handler: create(sim) },
    {
      method: 'GET',
      pattern: '/v1/patients',
      handler: (req) => list(req, sim.opts, state.patients.values(), fields),
    },
    {
      method: 'GET',
      pattern: '/v1/patients/:id',
      handler: (_req, params) => {
        const p = state.patients.get(params.id ?? '')
        return p ? json(200, p) : err(404, `No such patient: ${params.id}`)
      },
    },
  ]
}
