/**
 * The contract's check of one request, worded as the router refuses it. It lives here, not in the
 * router, so the renderer's forms can run the very same check and say the same words before sending.
 */
import type { z } from 'zod'
import { methods, type MethodName } from './contract'

/** Turns a zod issue into one sentence a receptionist can act on. */
export function describeIssue(issue: z.core.$ZodIssue): { message: string; field?: string } {
  const field = issue.path.map(String).join('.')
  return field ? { field, message: `${field}: ${issue.message}` } : { message: issue.message }
}

export type RequestCheck<M extends MethodName> =
  | { ok: true; data: z.output<(typeof methods)[M]['input']> }
  | { ok: false; message: string; field?: string; issues: readonly z.core.$ZodIssue[] }

/** Parses a request with its method's schema; a refusal carries the first issue in words, as the router sends it. */
export function checkRequest<M extends MethodName>(name: M, input: unknown): RequestCheck<M> {
  const parsed = (methods[name].input as z.ZodType).safeParse(input)
  if (parsed.success) return { ok: true, data: parsed.data as z.output<(typeof methods)[M]['input']> }
  const first = parsed.error.issues[0]
  const d = first ? describeIssue(first) : { message: 'The request was not valid.' }
  return { ok: false, ...d, issues: parsed.error.issues }
}
