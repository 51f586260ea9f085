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
