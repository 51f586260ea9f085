/**
 * How a vendor failure on an interactive read reaches the receptionist: the error kind decides the
 * contract's code, so the UI can say "not reachable, try again" apart from "the system said no".
 */
import { AppFailure, type ErrorCode } from '../../shared/result'
import { VendorError } from '../vendors/errors'

const codeFor: Record<VendorError['kind'], ErrorCode> = {
  offline: 'offline',
  timeout: 'offline',
  unavailable: 'offline',
  'rate-limited': 'offline',
  auth: 'auth',
  invalid: 'vendor-rejected',
  conflict: 'conflict',
  'not-found': 'not-found',
  ambiguous: 'vendor-rejected',
  protocol: 'vendor-rejected',
}

/** Whether a failure means the vendor could not be reached at all (the connection is offline). */
export const unreachable = (err: unknown) =>
  err instanceof VendorError && (err.kind === 'offline' || err.kind === 'unavailable')

export function vendorFailure(err: unknown, what: string): unknown {
  if (!(err instanceof VendorError)) return err
  const code = codeFor[err.kind]
  return new AppFailure(code, `${what}: ${err.message}`, undefined, code === 'offline')
}
