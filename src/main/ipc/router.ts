/**
 * The main-process router: every call from the renderer (IPC or browser host) comes through here.
 * It validates the input against the contract, calls the service, and always answers with a
 * `Result`: a thrown object never crosses the boundary.
 */
import type { z } from 'zod'
import { methods, type MethodName, type MethodOutput } from '../../shared/contract'
import { checkRequest } from '../../shared/request-check'
import { AppFailure, fail, ok, type Result } from '../../shared/result'
import type { Logger } from '../log/logger'

export type Handlers = {
  [M in MethodName]: (
    input: z.output<(typeof methods)[M]['input']>,
  ) => Promise<MethodOutput<M>> | MethodOutput<M>
}

export type Dispatch = (name: string, input: unknown) => Promise<Result<unknown>>

const isMethod = (name: string): name is MethodName => Object.prototype.hasOwnProperty.call(methods, name)

/**
 * `guard`: a check before every handler (the desk lock); what it throws is answered like a
 * service's own refusal.
 */
export function createRouter(
  handlers: Handlers,
  log: Logger,
  guard?: (method: MethodName) => void,
): Dispatch {
  return async (name, rawInput) => {
    if (!isMethod(name)) return fail('invalid-input', `Unknown request "${name.slice(0, 60)}".`)
    try {
      // The desk lock answers first: a locked desk says so, whatever the request holds.
      guard?.(name)
      const checked = checkRequest(name, rawInput ?? {})
      if (!checked.ok)
        return fail('invalid-input', checked.message, checked.field ? { field: checked.field } : {})
      const handler = handlers[name] as (input: unknown) => unknown
      return ok(await handler(checked.data))
    } catch (err) {
      if (err instanceof AppFailure) {
        return fail(err.code, err.message, {
          retryable: err.retryable,
          ...(err.field ? { field: err.field } : {}),
        })
      }
      log.error('handler failed', { method: name, err })
      return fail('internal', 'Something went wrong inside Frontdesk. The details are in the log.')
    }
  }
}
