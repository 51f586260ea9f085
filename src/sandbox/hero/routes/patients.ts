/** The PDS trace: `POST /v1/patients/register_pds` finds a person on the Spine and registers them. */
import { compactNhsNumber, isValidNhsNumber } from '../../../shared/nhs-number'
import { json, type Route, type RouteHandler } from '../../core'
import { demographicsKey, heroPatientId, toHeroPatient } from '../state'
import { err, type HeroContext, isoDate, obj, recorder, str } from './shared'

function registerPds(sim: HeroContext): RouteHandler {
  const { state } = sim
  return (req, _p, ctx) => {
    const { reject, apply } = recorder(sim, ctx, req)
    const body = obj(req.body)
    const dob = body.dob
    const nhsRaw = body.nhs_number
    let person
    if (nhsRaw !== undefined && nhsRaw !== null && nhsRaw !== '') {
      if (typeof nhsRaw !== 'string' || !isValidNhsNumber(nhsRaw))
        return reject(err(400, 'nhs_number must be a valid 10-digit NHS number'))
      if (!isoDate(dob)) return reject(err(400, 'dob must be a date in the form YYYY-MM-DD'))
      const found = state.pdsByNhs.get(compactNhsNumber(nhsRaw))
      person = found && found.birthDate === dob ? found : undefined
    } else {
      const missing = ['forename', 'surname', 'postcode'].filter((k) => !str(body[k]))
      if (missing.length === 3 && !isoDate(dob))
        return reject(err(400, 'Provide nhs_number and dob, or forename, surname, dob and postcode'))
      if (missing.length) return reject(err(400, `Missing required fields: ${missing.join(', ')}`))
      if (!isoDate(dob)) return reject(err(400, 'dob must be a date in the form YYYY-MM-DD'))
      person = state.pdsByDemographics.get(
        demographicsKey(String(body.forename), String(body.surname), dob, String(body.postcode)),
      )
    }
    if (!person) return reject(err(404, 'No patient found'))
    if (state.identityCheck.has(person.nhsNumber)) {
      const token = Buffer.from(person.nhsNumber).toString('base64url')
      return apply(
        json(200, {
          message: 'Patient must verify their identity before proceeding',
          login_url: `https://patient.herohealth.net/verify/${token}`,
        }),
      )
    }
    const id = heroPatientId(person)
    if (!state.patients.has(id)) state.patients.set(id, toHeroPatient(person))
    return apply(json(200, { patient_id: id }))
  }
}

export function patientRoutes(sim: HeroContext): Route[] {
  return [{ method: 'POST', pattern: '/v1/patients/register_pds', handler: registerPds(sim) }]
}
