import { z } from 'zod'

export type FaultScope = 'all' | 'reads' | 'writes'

export type Fault =
  | { kind: 'latency'; ms: number }
  | { kind: 'status'; status: 500 | 502 | 503; count: number; scope?: FaultScope }
  | { kind: 'rate-limit'; retryAfterSeconds: number; count: number; scope?: FaultScope }
  | { kind: 'reset-before-write'; count: number }
  | { kind: 'reset-after-write'; count: number }
  | { kind: 'hang'; ms: number; count: number; scope?: FaultScope }
  /** The write is applied at once and its answer held `ms` (the client may give up or die meanwhile). */
  | { kind: 'hold-after-write'; ms: number; count: number }
  | { kind: 'malformed'; count: number; scope?: FaultScope }
  /** The write is applied, then the vendor answers with a server error as if it had failed. */
  | { kind: 'error-after-write'; status: 500 | 502 | 503; count: number }
  /**
   * A slow vendor: the connection drops at once (the client never learns the outcome) and the write
   * is applied `ms` later on the simulator's clock, when the next request arrives after that.
   */
  | { kind: 'late-commit'; ms: number; count: number }

const scope = z.enum(['all', 'reads', 'writes']).optional()
const count = z.number().int().positive()
const ms = z.number().int().nonnegative().max(600_000)

/** The same shapes as `Fault`, for input that crosses a process boundary (the admin API). */
export const faultSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('latency'), ms }).strict(),
  z
    .object({
      kind: z.literal('status'),
      status: z.union([z.literal(500), z.literal(502), z.literal(503)]),
      count,
      scope,
    })
    .strict(),
  z
    .object({
      kind: z.literal('rate-limit'),
      retryAfterSeconds: z.number().int().nonnegative(),
      count,
      scope,
    })
    .strict(),
  z.object({ kind: z.literal('reset-before-write'), count }).strict(),
  z.object({ kind: z.literal('reset-after-write'), count }).strict(),
  z.object({ kind: z.literal('hang'), ms, count, scope }).strict(),
  z.object({ kind: z.literal('hold-after-write'), ms, count }).strict(),
  z.object({ kind: z.literal('malformed'), count, scope }).strict(),
  z.object({ kind: z.literal('late-commit'), ms, count }).strict(),
  z
    .object({
      kind: z.literal('error-after-write'),
      status: z.union([z.literal(500), z.literal(502), z.literal(503)]),
      count,
    })
    .strict(),
])

/** A counted fault applies to the request it matches; latency applies to every request until cleared. */
export type CountedFault = Exclude<Fault, { kind: 'latency' }>

export class FaultQueue {
  private faults: Fault[] = []

  add(fault: Fault): void {
    this.faults.push({ ...fault })
  }

  clear(): void {
    this.faults = []
  }

  list(): Fault[] {
    return this.faults.map((f) => ({ ...f }))
  }

  latencyMs(): number {
    let total = 0
    for (const f of this.faults) if (f.kind === 'latency') total += f.ms
    return total
  }

  /** The first counted fault that matches this request, decremented (and dropped at zero). */
  take(isWrite: boolean): CountedFault | undefined {
    const index = this.faults.findIndex((f) => matches(f, isWrite))
    if (index < 0) return undefined
    const fault = this.faults[index] as CountedFault
    const taken = { ...fault }
    fault.count -= 1
    if (fault.count <= 0) this.faults.splice(index, 1)
    return taken
  }
}

function matches(f: Fault, isWrite: boolean): boolean {
  switch (f.kind) {
    case 'latency':
      return false
    case 'reset-before-write':
    case 'reset-after-write':
    case 'hold-after-write':
    case 'late-commit':
    case 'error-after-write':
      return isWrite
    default: {
      const s = f.scope ?? 'all'
      return s === 'all' || (s === 'writes') === isWrite
    }
  }
}
