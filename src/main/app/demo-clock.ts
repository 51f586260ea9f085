/**
 * The demo's clock: `--now 2026-03-30T09:00` (or FRONTDESK_NOW) starts the demo clinic at that
 * local time in the demo's zone, so anyone can show "a Monday morning" at any hour. Only the demo
 * profile honours it: a clinic's real diary always runs on the system clock.
 */
import { DateTime } from 'luxon'
import { type Clock, parseNow, StartedAtClock, systemClock } from '../../shared/clock'

/** The demo clinic is in London (its connections and its `--now` read there). */
export const DEMO_TIME_ZONE = 'Europe/London'

export function demoClock(profile: 'demo' | 'clinic', value: string | undefined): Clock {
  if (profile !== 'demo' || !value?.trim()) return systemClock
  const start = parseNow(value, (local) => {
    const d = DateTime.fromISO(local, { zone: DEMO_TIME_ZONE })
    return d.isValid ? d.toJSDate() : null
  })
  return new StartedAtClock(start)
}
