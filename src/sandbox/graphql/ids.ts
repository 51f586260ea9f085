import { createHash } from 'node:crypto'

/**
 * Semble-style opaque ids: 24 hex digits shaped like a MongoDB ObjectId (creation second, then a
 * per-kind, per-seed counter scrambled so neighbouring ids do not look sequential). Deterministic.
 */
export class ObjectIdFactory {
  private counters = new Map<string, number>()

  constructor(private readonly seed: number) {}

  next(kind: string, at: Date): string {
    const n = (this.counters.get(kind) ?? 0) + 1
    this.counters.set(kind, n)
    const seconds = Math.floor(at.getTime() / 1000) >>> 0
    const tail = createHash('sha1').update(`${this.seed}:${kind}:${n}`).digest('hex').slice(0, 16)
    return seconds.toString(16).padStart(8, '0') + tail
  }
}

/** Healthie-style ids: numeric strings, one ascending sequence per kind. */
export class NumericIdFactory {
  private counters = new Map<string, number>()

  constructor(private readonly bases: Record<string, number>) {}

  next(kind: string): string {
    const n = this.counters.get(kind) ?? this.bases[kind] ?? 1000
    this.counters.set(kind, n + 1)
    return String(n)
  }
}
