/**
 * When a patient arrived, for the waiting room: set by the desk's check-in, taken from the clinic
 * system where it keeps one (Semble's journey stage), kept through a refresh from a clinic system
 * that keeps none (Healthie), and gone with an undone arrival or a cancellation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Runtime } from '../../../src/main/app/runtime'
import { dayBounds } from '../../../src/main/services/day-book'
import type { AppointmentView, DayColumn } from '../../../src/shared/contract'
import { TEST_START } from '../../support/clock'
import { openDemoRuntime } from '../../support/demo-runtime'
import { until } from '../../support/until'

let rt: Runtime
let cleanup: () => void

async function ok<T>(name: string, input: unknown): Promise<T> {
  const r = await rt.dispatch(name, input)
  if (!r.ok) throw new Error(`${name}: ${r.error.code} ${r.error.message}`)
  return r.value as T
}

const TODAY = '2026-03-30'

/** Today's booked appointments of a connection that the clinic system has, soonest first. */
function bookedToday(connectionId: string): string[] {
  const { from, to } = dayBounds(TODAY, 'Europe/London')
  return rt.db
    .prepare(
      `SELECT id FROM appointments WHERE connection_id = ? AND status = 'booked' AND ref IS NOT NULL
         AND start >= ? AND start < ? ORDER BY start, id`,
    )
    .pluck()
    .all(connectionId, from, to) as string[]
}

const sent = (appointmentId: string) =>
  until('the change is at the clinic system', async () => {
    const rows = rt.db
      .prepare(`SELECT state FROM outbox WHERE entity_key = ?`)
      .pluck()
      .all(`appointment:${appointmentId}`) as string[]
    return rows.length > 0 && rows.every((s) => s === 'done')
  })

const get = (appointmentId: string) => ok<AppointmentView>('appointments.get', { appointmentId })

beforeAll(async () => {
  ;({ rt, cleanup } = await openDemoRuntime('arrival-time', { demoPatients: 60 }))
  await until('today’s bookings in the copy', async () => {
    await ok<DayColumn[]>('appointments.day', { date: TODAY })
    return bookedToday('demo-semble').length >= 3 && bookedToday('demo-healthie').length >= 1
  })
})

afterAll(async () => {
  await rt?.close()
  cleanup?.()
})

describe('the arrival time', () => {
  it('is the check-in’s instant at the desk, and Semble’s own once sent, through a refresh', async () => {
    rt.appointments.undoWindowMs = 0
    const [id] = bookedToday('demo-semble')
    const before = Date.now()
    const arrived = (
      await ok<{ appointment: AppointmentView }>('appointments.markArrived', { appointmentId: id })
    ).appointment
    expect(arrived.status).toBe('arrived')
    const at = Date.parse(arrived.arrivedAt!)
    // The app's clock started at TEST_START and runs at real speed.
    expect(at).toBeGreaterThanOrEqual(TEST_START.getTime())
    expect(at - TEST_START.getTime()).toBeLessThanOrEqual(Date.now() - before + 600_000)
    await sent(id!)
    await ok<DayColumn[]>('appointments.day', { date: TODAY, connectionIds: ['demo-semble'] })
    const semble = rt.sandbox!.semble.control.state.bookings.get(rt.cache.appointmentRow(id!)!.ref!)!
    expect(Date.parse(semble.bookingJourney.arrived!)).toBe(at)
    expect((await get(id!)).arrivedAt).toBe(new Date(at).toISOString())
  })

  it('is kept through a refresh from Healthie, which records no time', async () => {
    rt.appointments.undoWindowMs = 0
    const [id] = bookedToday('demo-healthie')
    const arrived = (
      await ok<{ appointment: AppointmentView }>('appointments.markArrived', { appointmentId: id })
    ).appointment
    await sent(id!)
    await ok<DayColumn[]>('appointments.day', { date: TODAY, connectionIds: ['demo-healthie'] })
    expect(await get(id!)).toMatchObject({ status: 'arrived', arrivedAt: arrived.arrivedAt })
  })

  it('goes with an undone arrival, and with a cancellation', async () => {
    rt.appointments.undoWindowMs = 60_000
    const [, undone, cancelled] = bookedToday('demo-semble')
    await ok('appointments.markArrived', { appointmentId: undone })
    expect((await get(undone!)).arrivedAt).toBeDefined()
    await ok('appointments.undoStatus', { appointmentId: undone })
    expect(await get(undone!)).not.toHaveProperty('arrivedAt')

    rt.appointments.undoWindowMs = 0
    await ok('appointments.markArrived', { appointmentId: cancelled })
    await sent(cancelled!)
    await ok('appointments.cancel', { appointmentId: cancelled, reason: 'Went home unwell' })
    const after = await get(cancelled!)
    expect(after.status).toBe('cancelled')
    expect(after).not.toHaveProperty('arrivedAt')
  })
})
