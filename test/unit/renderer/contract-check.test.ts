import { describe, expect, it } from 'vitest'
import type { MethodInput } from '../../../src/shared/contract'
import { checkRequest } from '../../../src/shared/request-check'
import { contractCheck, fieldMessage } from '../../../src/renderer/src/forms/contract-check'

const update = (changes: MethodInput<'patients.update'>['changes']): MethodInput<'patients.update'> => ({
  patientId: 'p1',
  changes,
})
const create = (
  patient: Partial<MethodInput<'patients.create'>['patient']>,
): MethodInput<'patients.create'> => ({
  connectionId: 'riverside',
  patient: { givenName: 'Ada', familyName: 'Lovelace', birthDate: '1815-12-10', ...patient },
})

describe('a form’s contract check', () => {
  it('puts each message at the field it is about', () => {
    expect(contractCheck('patients.update', update({ email: 'ann@clinic' }))).toEqual({
      'changes.email': 'This is not an email address.',
    })
    expect(contractCheck('patients.update', update({ nhsNumber: '9434765918' }))).toEqual({
      'changes.nhsNumber':
        'This is not a valid NHS number: its check digit is wrong. Check each digit with the patient.',
    })
    expect(contractCheck('patients.update', update({ nhsNumber: '943 476 59' }))).toEqual({
      'changes.nhsNumber': 'An NHS number has 10 digits: there are 8 here.',
    })
    expect(contractCheck('patients.create', create({ givenName: ' ', nhsNumber: '943-476-59x9' }))).toEqual({
      'patient.givenName': 'Enter the first name.',
      'patient.nhsNumber': 'An NHS number has digits only.',
    })
  })

  it('says the address changes as one, at the address', () => {
    expect(contractCheck('patients.update', update({ address: { line: '', postcode: 'BS1 4DJ' } }))).toEqual({
      'changes.address': 'The address changes as one: enter its first line too.',
    })
    expect(
      contractCheck(
        'patients.update',
        update({ address: { line: '1 Quay St', city: 'Bristol', postcode: '' } }),
      ),
    ).toEqual({ 'changes.address': 'The address changes as one: enter its postcode too.' })
  })

  it('says nothing changed for the request as a whole', () => {
    expect(contractCheck('patients.update', update({}))).toEqual({
      changes: 'Nothing has been changed yet: change at least one detail.',
    })
  })

  it('finds nothing wrong with a good request', () => {
    expect(
      contractCheck(
        'patients.update',
        update({
          phone: '+447700900123',
          email: 'ann@example.org',
          nhsNumber: '9434765919',
          address: { line: '1 Quay St', postcode: 'BS1 4DJ' },
        }),
      ),
    ).toEqual({})
    expect(
      contractCheck('patients.create', create({ nhsNumber: '943 476 5919', postcode: 'SW1A 1AA' })),
    ).toEqual({})
  })

  it('says beside the field what the service answers for the same value', () => {
    const bad: [string, MethodInput<'patients.update'> | MethodInput<'patients.create'>][] = [
      ['patients.update', update({ email: 'ann@clinic.c' })],
      ['patients.update', update({ nhsNumber: '9434765918' })],
      ['patients.update', update({ address: { line: '', postcode: 'BS1 4DJ' } })],
      ['patients.create', create({ familyName: '' })],
      ['patients.create', create({ nhsNumber: '12345678901' })],
    ]
    for (const [name, request] of bad) {
      // What the router runs and answers (src/main/ipc/router.ts).
      const service = checkRequest(name as 'patients.update', request)
      if (service.ok) throw new Error(`${name} took ${JSON.stringify(request)}`)
      const form = contractCheck(name as 'patients.update', request as MethodInput<'patients.update'>)
      expect(Object.keys(form)).toEqual([service.field])
      expect(form[service.field!]).toBe(fieldMessage(service))
      // The same words: the service's only put the field path before them (and a bare
      // predicate, "is not an email address", becomes a sentence beside the field).
      const words = form[service.field!]!
      expect([words, words.replace(/^This (.*)\.$/, '$1')].map((w) => `${service.field}: ${w}`)).toContain(
        service.message,
      )
    }
  })
})

describe('a refusal’s words beside its field', () => {
  it('drops the field path and makes a sentence of a bare predicate', () => {
    expect(fieldMessage({ field: 'changes.email', message: 'changes.email: is not an email address' })).toBe(
      'This is not an email address.',
    )
    expect(
      fieldMessage({ field: 'changes.phone', message: 'That is not a phone number Frontdesk can dial.' }),
    ).toBe('That is not a phone number Frontdesk can dial.')
  })
})
