/**
 * Semble's web app accepts overlapping bookings, and so does its simulator by default. A booking or
 * a move made offline for a time someone took meanwhile must end in needs-attention with the
 * nearest free alternatives, never as two bookings in one slot.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Runtime } from '../../../src/main/app/runtime'
import type { ActionResult } from '../../../src/shared/contract'
import type { Slot } from '../../../src/shared/model'
import { bookingOf, sembleClinic, type SembleClinic } from '../../support/semble-clinic'

let c: SembleClinic
let rt: Runtime

beforeAll(async () => {
  c = await sembleClinic('semble-overlap')
  rt = await c.open()
})
afterAll(async () => {
  await rt.close()
  await c.close()
})

async function call<T>(name: string, input: unknown): Promise<T> {
  const r = await rt.dispatch(name, input)
  if (!r.ok) throw new Error(`${name}: ${r.error.code} ${r.error.message}`)
  return r.value as T
}

async function until(what: string, check: () => boolean | Promise<boolean>, ms = 20_000) {
  const end = Date.now() + ms
  while (Date.now() < end) {
    if (await check()) return
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error(`timed out waiting for ${what}`)
}

/** Live bookings at Semble for this clinician starting at this time. */
const bookingsAt = (slot: Slot) =>
  [...c.sim.control.state.bookings.values()].filter(
    (b) =>
      !b.deleted && b.doctorId === slot.practitionerRef && Date.parse(b.start) === Date.parse(slot.start),
  )

/** Someone at the clinic books the time directly in Semble; Frontdesk's copy does not know. */
async function takenMeanwhile(slot: Slot) {
  const patientRef = rt.cache.patientRow(c.patientIds[0]!)!.ref!
  await rt.adapters.get(c.connectionId).book!({
    clientRef: `someone-else-${slot.start}`,
    patientRef,
    appointmentTypeRef: c.typeRef,
    practitionerRef: slot.practitionerRef!,
    locationRef: c.locationRef,
    start: slot.start,
    end: slot.end,
  })
  expect(bookingsAt(slot)).toHaveLength(1)
}

const attention = () => rt.outbox.unfinished(c.connectionId).filter((r) => r.state === 'needs-attention')

describe('Semble allows overlaps; Frontdesk does not create them', () => {
  it('the simulator accepts overlapping bookings by default', () => {
    expect(c.sim.control.state.options.allowDoubleBooking).toBe(true)
  })

  it('an offline booking for a slot taken meanwhile ends in needs-attention, with alternatives', async () => {
    const slot = c.slots[0]!
    await takenMeanwhile(slot)
    await c.sim.control.setOffline(true)
    await call<ActionResult>('appointments.book', bookingOf(c, slot, c.patientIds[1]!))
    await c.sim.control.setOffline(false)
    await rt.sync.drain(c.connectionId)
    await until('needs attention', () => attention().length === 1)
    const [row] = attention()
    expect(row!.lastError).toMatchObject({ kind: 'conflict' })
    expect(row!.lastError!.message).toMatch(/no longer free/)
    expect(row!.lastError!.alternatives!.length).toBeGreaterThan(0)
    expect(bookingsAt(slot)).toHaveLength(1)
    await call('queue.discard', { seq: row!.seq })
  })

  it('an offline move onto a time taken meanwhile ends in needs-attention; the booking stays where it was', async () => {
    const [from, to] = [c.slots[1]!, c.slots[2]!]
    const mine = await call<ActionResult>('appointments.book', bookingOf(c, from, c.patientIds[2]!))
    await until('booked at Semble', () => rt.outbox.unfinished(c.connectionId).length === 0)
    expect(bookingsAt(from)).toHaveLength(1)
    await takenMeanwhile(to)
    await c.sim.control.setOffline(true)
    await call<ActionResult>('appointments.reschedule', {
      appointmentId: mine.appointment.id,
      start: to.start,
      end: to.end,
      practitionerRef: to.practitionerRef,
    })
    await c.sim.control.setOffline(false)
    await rt.sync.drain(c.connectionId)
    await until('needs attention', () => attention().length === 1)
    expect(attention()[0]!.lastError).toMatchObject({ kind: 'conflict' })
    expect(bookingsAt(to)).toHaveLength(1)
    expect(bookingsAt(from)).toHaveLength(1)
  })
})
