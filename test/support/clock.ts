import { StartedAtClock } from '../../src/shared/clock'

/**
 * The instant the tests' clinics start at unless a test asks for another: Monday 30 March 2026,
 * 09:00 in Europe/London (BST, the day after the clocks went forward), a working morning with
 * bookable slots ahead whatever the hour, weekday or zone of the machine running the suite.
 */
export const TEST_START = new Date('2026-03-30T08:00:00.000Z')

/** The app's clock for a test: starts at `at` and runs at real speed, so timers still elapse. */
export const testClock = (at: Date = TEST_START) => new StartedAtClock(at)
