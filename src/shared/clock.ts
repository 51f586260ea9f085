/**
 * "Now" for the whole app: the services, the sync worker, the simulators and the demo clinic all
 * read time from one Clock handed down from the composition root, so tests and the demo can pin
 * it (a Monday morning at any hour) and nothing depends on the machine's wall clock or zone.
 */
export interface Clock {
  now(): Date
}

export const systemClock: Clock = { now: () => new Date() }

/** A clock that stands still until moved: unit tests that step time by hand. */
export class ManualClock implements Clock {
  private ms: number

  constructor(start: Date = new Date('2026-03-02T09:00:00.000Z')) {
    this.ms = start.getTime()
  }

  now(): Date {
    return new Date(this.ms)
  }

  set(d: Date): void {
    this.ms = d.getTime()
  }

  advance(ms: number): void {
    this.ms += ms
  }
}

/**
 * A clock that starts at a chosen instant and then runs at real speed: the demo's `--now` and the
 * end-to-end tests, where timers (backoff, probes) must still elapse. `elapsed` is injectable so
 * the clock itself can be tested without waiting.
 */
export class StartedAtClock implements Clock {
  private startMs: number
  private readonly origin: number

  constructor(
    start: Date,
    private readonly elapsed: () => number = () => performance.now(),
  ) {
    this.startMs = start.getTime()
    this.origin = elapsed()
  }

  now(): Date {
    return new Date(this.startMs + (this.elapsed() - this.origin))
  }

  /** Moves the clock forward (tests: "later that morning"); it keeps running from there. */
  advance(ms: number): void {
    this.startMs += ms
  }
}

/**
 * Parses a `--now` value: an ISO instant with a zone (`2026-03-30T08:00:00Z`), or a local
 * date-time without one (`2026-03-30T09:00`), read in `timeZoneOffset(local)`'s zone.
 */
export function parseNow(value: string, localToUtc: (local: string) => Date | null): Date {
  const trimmed = value.trim()
  const hasZone = /(?:Z|[+-]\d{2}:?\d{2})$/i.test(trimmed)
  const d = hasZone ? new Date(trimmed) : localToUtc(trimmed)
  if (!d || Number.isNaN(d.getTime()))
    throw new Error(`"${value}" is not a date and time (use e.g. 2026-03-30T09:00 or 2026-03-30T08:00:00Z)`)
  return d
}
