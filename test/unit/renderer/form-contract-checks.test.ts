/**
 * The appointment note, the cancel reason and a new person's PIN are checked in their forms by the
 * contract's own schemas: what a form says before sending is what the router answers for the same
 * request, at the same field, in the same words (less the field path it puts before them).
 */
import { describe, expect, it } from 'vitest'
import type { MethodInput, MethodName } from '../../../src/shared/contract'
import { checkRequest, describeIssue } from '../../../src/shared/request-check'
import {
  checkCancelReason,
  checkNewPerson,
  checkNote,
  contractCheck,
  pinMismatch,
} from '../../../src/renderer/src/forms/contract-check'

/** The router's answer to a request (src/main/ipc/router.ts): its field and its words. */
function routerSays(name: MethodName, request: unknown): { field?: string; message: string } {
  const checked = checkRequest(name, request)
  if (checked.ok) throw new Error(`${name} took ${JSON.stringify(request)}`)
  // The router words the first issue; describeIssue is how (the same function the forms use).
  expect(describeIssue(checked.issues[0]!)).toEqual({
    message: checked.message,
    ...(checked.field ? { field: checked.field } : {}),
  })
  return { message: checked.message, ...(checked.field ? { field: checked.field } : {}) }
}

/** The form's words, as the router says them: the field path before them, a bare predicate's "This … ." off. */
function asTheRouterSays(field: string, words: string): string[] {
  return [words, words.replace(/^This (.*)\.$/, '$1')].map((w) => `${field}: ${w}`)
}

describe('the appointment note (today/NoteEditor.tsx)', () => {
  const note = (text: string): MethodInput<'appointments.updateNote'> => ({
    appointmentId: 'a1',
    note: text.trim(),
  })

  it('says a note too long as it is typed, as the service would', () => {
    for (const text of ['x'.repeat(2001), `${'Interpreter needed (Polish). '.repeat(80)}`]) {
      const request = note(text)
      const service = routerSays('appointments.updateNote', request)
      expect(service.field).toBe('note')
      const form = checkNote(request)
      expect(form).toBe('This is too long: 2,000 characters at most.')
      expect(asTheRouterSays('note', form!)).toContain(service.message)
    }
  })

  it('takes what the service takes: a note of 2,000 characters, spaces around it, or none', () => {
    for (const text of ['x'.repeat(2000), `  ${'x'.repeat(2000)}  `, '', 'Interpreter needed (Polish)']) {
      expect(checkNote(note(text))).toBeUndefined()
      expect(checkRequest('appointments.updateNote', note(text)).ok).toBe(true)
    }
  })
})

describe('the cancel reason (today/AppointmentDrawer.tsx)', () => {
  it('says an empty or too long reason as the service would, for Cancel and for Cancel and rebook', () => {
    const booking: MethodInput<'appointments.rebook'>['booking'] = {
      appointmentTypeRef: 't1',
      start: '2026-03-12T09:30:00Z',
      end: '2026-03-12T09:45:00Z',
    }
    for (const [reason, words] of [
      ['   ', 'This is required: say why.'],
      ['', 'This is required: say why.'],
      ['Patient unwell. '.repeat(40), 'This is too long: 500 characters at most.'],
    ] as const) {
      const form = checkCancelReason('a1', reason)
      expect(form).toBe(words)
      const cancel = routerSays('appointments.cancel', { appointmentId: 'a1', reason: reason.trim() })
      expect(cancel.field).toBe('reason')
      expect(asTheRouterSays('reason', form!)).toContain(cancel.message)
      // The rebook's reason is the same schema, so the same words.
      const rebook = routerSays('appointments.rebook', {
        appointmentId: 'a1',
        reason: reason.trim(),
        booking,
      })
      expect(rebook).toEqual(cancel)
    }
  })

  it('takes a quick reason, or one of 500 characters', () => {
    for (const reason of ['Patient unwell', 'x'.repeat(500), `  ${'x'.repeat(500)}  `]) {
      expect(checkCancelReason('a1', reason)).toBeUndefined()
      expect(checkRequest('appointments.cancel', { appointmentId: 'a1', reason: reason.trim() }).ok).toBe(
        true,
      )
    }
  })
})

describe('a new person’s PIN (settings/DeskPeople.tsx)', () => {
  it('says a PIN that is not 4 to 8 digits as the service would', () => {
    for (const pin of ['', '482', '123456789', '48a1']) {
      const request: MethodInput<'staff.add'> = { name: 'Ana Costa', pin }
      const service = routerSays('staff.add', request)
      expect(service.field).toBe('pin')
      const form = checkNewPerson(request, pin)
      expect(form).toEqual({ pin: 'This must be 4 to 8 digits.' })
      expect(asTheRouterSays('pin', form.pin!)).toContain(service.message)
    }
  })

  it('says a missing name at the name, as the service would, beside the PIN’s own message', () => {
    const request: MethodInput<'staff.add'> = { name: '  ', pin: '12' }
    const service = routerSays('staff.add', request)
    const form = checkNewPerson(request, '12')
    expect(Object.keys(form).sort()).toEqual(['name', 'pin'])
    expect(form).toEqual(
      Object.fromEntries(
        Object.entries(contractCheck('staff.add', request)).filter(([f]) => f === 'name' || f === 'pin'),
      ),
    )
    expect(asTheRouterSays(service.field!, form[service.field as 'name']!)).toContain(service.message)
  })

  it('keeps its own check of the PIN typed again, which the service never sees', () => {
    expect(checkNewPerson({ name: 'Ana Costa', pin: '4821' }, '4812')).toEqual({ again: pinMismatch })
    expect(checkRequest('staff.add', { name: 'Ana Costa', pin: '4821' }).ok).toBe(true)
    expect(checkNewPerson({ name: 'Ana Costa', pin: '4821' }, '4821')).toEqual({})
    expect(checkNewPerson({ name: 'Ben Okafor', pin: '90716354' }, '90716354')).toEqual({})
  })
})
