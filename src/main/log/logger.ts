import { appendFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { type Clock, systemClock } from '../../shared/clock'
import { ensurePrivateDir, ensurePrivateFile, PRIVATE_FILE_MODE } from '../app/paths'
import { VendorError } from '../vendors/errors'
import { redactSecrets } from '../vendors/vendor-text'

export type LogLevel = 'debug' | 'info' | 'warn' | 'error'
export interface Logger {
  debug(msg: string, data?: Record<string, unknown>): void
  info(msg: string, data?: Record<string, unknown>): void
  warn(msg: string, data?: Record<string, unknown>): void
  error(msg: string, data?: Record<string, unknown>): void
}

/** Keys whose values are never written to a log, however deep they sit. */
const SECRET_KEY = /pass(word)?|token|secret|api.?key|authori[sz]ation|x-token|cookie|^key$|credential/i

/** Keys holding a vendor's own words: never logged (a vendor may echo a credential back). */
const VENDOR_TEXT_KEY = /^vendorMessage$/

export function redact(value: unknown, depth = 0): unknown {
  if (depth > 6) return '[deep]'
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1))
  // An error's message and stack may carry text from outside (a vendor's answer): credential shapes
  // redacted, length capped, its cause followed the same way; a vendor error logs its summary.
  if (value instanceof VendorError) return redact(value.toLog(), depth + 1)
  if (value instanceof Error)
    return {
      name: value.name,
      message: redactSecrets(value.message),
      ...(value.stack ? { stack: redactSecrets(value.stack) } : {}),
      ...(value.cause !== undefined ? { cause: redact(value.cause, depth + 1) } : {}),
    }
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value))
      out[k] = SECRET_KEY.test(k)
        ? '[redacted]'
        : VENDOR_TEXT_KEY.test(k)
          ? '[vendor text withheld]'
          : redact(v, depth + 1)
    return out
  }
  return value
}

const order: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 }

/** JSON lines to a file (and stderr for warnings and errors), with secrets redacted. */
export function createLogger(
  opts: { file?: string; level?: LogLevel; stderr?: boolean; clock?: Clock } = {},
): Logger {
  const min = order[opts.level ?? 'info']
  const clock = opts.clock ?? systemClock
  // The log names patients' appointments and connections: user-only folder and file.
  if (opts.file) {
    ensurePrivateDir(dirname(opts.file))
    ensurePrivateFile(opts.file)
  }
  const write = (level: LogLevel, msg: string, data?: Record<string, unknown>) => {
    if (order[level] < min) return
    const line = JSON.stringify({
      t: clock.now().toISOString(),
      level,
      msg,
      ...(redact(data ?? {}) as object),
    })
    if (opts.file) appendFileSync(opts.file, line + '\n', { mode: PRIVATE_FILE_MODE })
    if (opts.stderr !== false && order[level] >= order.warn) process.stderr.write(line + '\n')
  }
  return {
    debug: (m, d) => write('debug', m, d),
    info: (m, d) => write('info', m, d),
    warn: (m, d) => write('warn', m, d),
    error: (m, d) => write('error', m, d),
  }
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} }
