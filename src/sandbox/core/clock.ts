/** Time as the simulators see it: tests swap in a ManualClock to expire tokens and reservations without waiting. */
export interface Clock {
  now(): Date
}

export const systemClock: Clock = { now: () => new Date() }

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
