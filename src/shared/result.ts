/**
 * Errors cross the contract as data, never as thrown objects. `code` is a closed set so the UI can
 * decide what to show; `message` is written for a receptionist; details belong in the log.
 */
export const errorCodes = [
  'invalid-input',
  'not-found',
  'conflict',
  'offline',
  'auth',
  'vendor-rejected',
  'internal',
  /**
   * A safety rule wants a person to look first (a likely duplicate patient, an overlapping
   * appointment): `field` names the flag to send as true with the same request once they have.
   */
  'needs-confirmation',
  /** The desk is locked: someone at the desk unlocks it with their PIN first. */
  'locked',
] as const

export type ErrorCode = (typeof errorCodes)[number]

export interface AppError {
  code: ErrorCode
  message: string
  /** The input field the error is about, as a dotted path (`fields.apiKey`). */
  field?: string
  /** True when trying the same thing again later may succeed. */
  retryable: boolean
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: AppError }

export const ok = <T>(value: T): Result<T> => ({ ok: true, value })

export const fail = (code: ErrorCode, message: string, extra: { field?: string; retryable?: boolean } = {}) =>
  ({
    ok: false,
    error: {
      code,
      message,
      retryable: extra.retryable ?? (code === 'offline' || code === 'internal'),
      ...(extra.field ? { field: extra.field } : {}),
    },
  }) as const satisfies Result<never>

/** An error a service raises on purpose; the router turns it into a `Result` failure. */
export class AppFailure extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
    readonly retryable: boolean = code === 'offline',
  ) {
    super(message)
    this.name = 'AppFailure'
  }
}
