/**
 * Shared set-up for the adapter tests: a real HttpClient whose limiter runs on the simulator's
 * manual clock (pacing costs no wall time, and the simulator sees the same minutes we do), and a
 * logger that keeps what it was told, to check that no secret reaches it.
 */
import type { ManualClock } from '../../../src/sandbox'
import type { Logger } from '../../../src/main/log/logger'
import { HttpClient, type HttpTimeouts } from '../../../src/main/vendors/http/client'
import { VendorError, type VendorErrorKind } from '../../../src/main/vendors/errors'
import type { Connection, Vendor } from '../../../src/shared/model'

export function recordingLogger() {
  const lines: { level: string; msg: string; data?: Record<string, unknown> }[] = []
  const at =
    (level: string) =>
    (msg: string, data?: Record<string, unknown>): void => {
      lines.push({ level, msg, ...(data ? { data } : {}) })
    }
  const log: Logger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') }
  return { log, lines, text: () => JSON.stringify(lines) }
}

export function clientOn(clock: ManualClock, timeouts: Partial<HttpTimeouts> = {}, log?: Logger) {
  return new HttpClient({
    timeouts: { connectMs: 1_000, headersMs: 800, bodyMs: 800, ...timeouts },
    clock: {
      now: () => clock.now().getTime(),
      // Pacing costs simulated time only, plus a few real milliseconds so each paced request reaches
      // the simulator before the clock moves on (otherwise they would all arrive "late" together).
      sleep: async (ms) => {
        clock.advance(ms)
        await new Promise((r) => setTimeout(r, 10))
      },
    },
    now: () => clock.now(),
    ...(log ? { log } : {}),
  })
}

export function connectionFor(vendor: Vendor, url: string, options: Record<string, string> = {}): Connection {
  return {
    id: `${vendor}-test`,
    vendor,
    label: `${vendor} (test)`,
    baseUrl: url,
    timeZone: 'Europe/London',
    locale: 'en-GB',
    options,
    demo: true,
  }
}

/** The VendorError a promise rejects with (fails the test if it resolves or throws something else). */
export async function failure(p: Promise<unknown>): Promise<VendorError> {
  try {
    await p
  } catch (err) {
    if (err instanceof VendorError) return err
    throw err
  }
  throw new Error('expected a VendorError, but the call succeeded')
}

export async function expectKind(p: Promise<unknown>, kind: VendorErrorKind): Promise<VendorError> {
  const e = await failure(p)
  if (e.kind !== kind)
    throw new Error(`expected ${kind}, got ${e.kind}: ${e.message} (${e.vendorMessage ?? ''})`)
  return e
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
