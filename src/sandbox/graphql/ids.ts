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
    const k = hashString(kind)
    const tail = hex8(mix(this.seed ^ k, n)) + hex8(mix(n ^ 0x9e3779b9, k + this.seed))
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

const hex8 = (n: number) => (n >>> 0).toString(16).padStart(8, '0')

function hashString(s: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193)
  return h >>> 0
}

/** A 32-bit integer mix (murmur3 finaliser) of two inputs: cheap, deterministic, well spread. */
function mix(a: number, b: number): number {
  let h = Math.imul(a ^ Math.imul(b, 0x85ebca6b), 0xc2b2ae35)
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}
