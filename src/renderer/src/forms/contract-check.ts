/**
 * A form's check of the request it would send: the contract's own schema, worded by the router's
 * own function, so a form says beside a field exactly what the service would answer for it.
 */
import type { MethodInput, MethodName } from '../../../shared/contract'
import { checkRequest, describeIssue } from '../../../shared/request-check'

/**
 * A refusal's words for beside its field, without the field path the router puts before them:
 * "changes.email: is not an email address" → "This is not an email address."
 */
export function fieldMessage(error: { message: string; field?: string | undefined }): string {
  const prefix = error.field ? `${error.field}: ` : ''
  const words =
    prefix && error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message
  if (!/^[a-z]/.test(words)) return words
  return `This ${words}${/[.!?]$/.test(words) ? '' : '.'}`
}

/**
 * The contract's messages for a request, by issue path ("changes.email", "patient.nhsNumber"; ""
 * for the request as a whole), the first of each path; empty when the service would take it.
 */
export function contractCheck<M extends MethodName>(
  name: M,
  request: MethodInput<M>,
): Record<string, string> {
  const checked = checkRequest(name, request)
  const messages: Record<string, string> = {}
  if (checked.ok) return messages
  for (const issue of checked.issues) {
    const d = describeIssue(issue)
    messages[d.field ?? ''] ??= fieldMessage(d)
  }
  return messages
}

/**
 * The note editor's check (today/NoteEditor.tsx): what is wrong with the note Save would send, in
 * the service's words; undefined when it would take it (an empty note clears it).
 */
export function checkNote(request: MethodInput<'appointments.updateNote'>): string | undefined {
  const messages = contractCheck('appointments.updateNote', request)
  return messages.note ?? Object.values(messages)[0]
}

/**
 * The cancel form's check of its reason (today/AppointmentDrawer.tsx): what is wrong with it as
 * Cancel would send it. Cancel and rebook sends the same reason, and its schema is the same one.
 */
export function checkCancelReason(appointmentId: string, reason: string): string | undefined {
  return contractCheck('appointments.cancel', { appointmentId, reason: reason.trim() }).reason
}

/** What the PIN typed again says when it is not the PIN. */
export const pinMismatch = 'This does not match the PIN.'

/**
 * Adding a person at the desk (settings/DeskPeople.tsx): the contract's messages for the name and
 * PIN that Add person would send, and, as only the form can say, a PIN typed again that differs.
 */
export function checkNewPerson(
  request: MethodInput<'staff.add'>,
  again: string,
): Partial<Record<'name' | 'pin' | 'again' | '', string>> {
  const messages: Partial<Record<'name' | 'pin' | 'again' | '', string>> = {}
  for (const [path, message] of Object.entries(contractCheck('staff.add', request)))
    messages[path === 'name' || path === 'pin' ? path : ''] ??= message
  if (again !== request.pin) messages.again = pinMismatch
  return messages
}
