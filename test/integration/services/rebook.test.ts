/**
 * Cancel and rebook in one step, against Semble's simulator over real HTTP and a real encrypted
 * file: the old appointment is cancelled only once the new one is in Semble, online or after an
 * outage; while the new booking waits for a person the cancel is held, and if that booking is
 * discarded the cancel is refused, so the patient never ends up with neither appointment.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Runtime } from '../../../src/main/app/runtime'
import type { ActionResult } from '../../../src/shared/contract'
import type { Slot } from '../../../src/shared/model'
import { bookingOf, sembleClinic, type SembleClinic } from '../../support/semble-clinic'
import { until } from '../../support/until'

let clinic: SembleClinic
let rt: Runtime
let next = 0

beforeAll(async () => {
  clinic = await sembleClinic('rebook')
  rt = await clinic.open()
})

afterAll(async () => {
  await rt?.close()
  await clinic?.close()
})

async function ok<T>(name: string, input: unknown): Promise<T> {
  const r = await rt.dispatch(name, input)
  if (!r.ok) throw new Error(`${name}: ${r.error.code} ${r.error.message}`)
  return r.value as T
}
const rows = (appointmentId: string) =>
  rt.db
    .prepare(`SELECT seq, kind, state, last_error AS error FROM outbox WHERE entity_key = ? ORDER BY seq`)
    .all(`appointment:${appointmentId}`) as {
    seq: number
    kind: string
    state: string
    error: string | null
  }[]
const refOf = (appointmentId: string) =>
  rt.db.prepare(`SELECT ref FROM appointments WHERE id = ?`).pluck().get(appointmentId) as string | null
/** Applied writes of an operation that name `ref` in what was sent or what Semble answered. */
const writes = (operation: string, ref: string) =>
  clinic.sim.control
    .writes()
    .filter(
      (w) =>
        w.operation === operation &&
        w.outcome === 'applied' &&
        JSON.stringify([w.input, w.result ?? null]).includes(ref),
    )
const atSemble = (ref: string) => clinic.sim.control.state.bookings.get(ref)

/** A booked appointment of its own patient, in Semble. */
async function booked(): Promise<{ id: string; ref: string; patientId: string }> {
  const patientId = clinic.patientIds[next]!
  const r = await ok<ActionResult>('appointments.book', bookingOf(clinic, clinic.slots[next++]!, patientId))
  const id = r.appointment.id!
  await until('booked in Semble', () => rows(id).every((x) => x.state === 'done') && !!refOf(id))
  return { id, ref: refOf(id)!, patientId }
}

const rebookInput = (appointmentId: string, slot: Slot) => {
  const { connectionId: _c, patientId: _p, ...booking } = bookingOf(clinic, slot, 'unused')
  return { appointmentId, reason: 'Patient asked for another day', booking }
}

describe('cancel and rebook', () => {
  it('books the new appointment, then cancels the old one once the new one is in Semble', async () => {
    const old = await booked()
    const r = await ok<ActionResult>('appointments.rebook', rebookInput(old.id, clinic.slots[next++]!))
    expect(r.message).toMatch(
      /^Rebooked: .+, \d+ \w+ \d\d:\d\d in place of \d+ \w+ \d\d:\d\d — .+ The old appointment is cancelled once the new one is in Test Clinic\.$/,
    )
    const fresh = r.appointment.id!
    await until(
      'both sent',
      () => rows(old.id).at(-1)?.state === 'done' && rows(fresh).every((x) => x.state === 'done'),
    )
    const created = writes('createBooking', refOf(fresh)!)
    const deleted = writes('deleteBooking', old.ref)
    expect(created).toHaveLength(1)
    expect(deleted).toHaveLength(1)
    expect(created[0]!.seq).toBeLessThan(deleted[0]!.seq)
    expect(atSemble(refOf(fresh)!)?.deleted).toBeFalsy()
    // One audit entry says what the cancellation was for.
    const audit = rt.db
      .prepare(`SELECT change FROM audit_log WHERE entity_id = ? AND action = 'cancel'`)
      .pluck()
      .get(old.id) as string
    expect(JSON.parse(audit)).toMatchObject({ rebookedAs: fresh, reason: 'Patient asked for another day' })
  })

  it('while the new booking waits for a person the cancel is held; discarded, the cancel is refused and the old one kept', async () => {
    const old = await booked()
    const slot = clinic.slots[next++]!
    // Someone else takes the new time at Semble first.
    await rt.adapters.get(clinic.connectionId).book!({
      clientRef: 'taken-elsewhere',
      patientRef: clinic.sim.control.state.patients.keys().next().value!,
      appointmentTypeRef: clinic.typeRef,
      practitionerRef: slot.practitionerRef!,
      locationRef: clinic.locationRef,
      start: slot.start,
      end: slot.end,
    })
    const r = await ok<ActionResult>('appointments.rebook', rebookInput(old.id, slot))
    const fresh = r.appointment.id!
    await until('the booking needs a person', () => rows(fresh).at(-1)?.state === 'needs-attention')
    await rt.sync.drain(clinic.connectionId)
    const cancel = rows(old.id).at(-1)!
    expect(cancel).toMatchObject({ kind: 'cancel', state: 'pending' })
    expect(writes('deleteBooking', old.ref)).toEqual([])

    await ok('queue.discard', { seq: rows(fresh).at(-1)!.seq })
    await until('the cancel refused', () => rows(old.id).at(-1)?.state === 'needs-attention')
    expect(rows(old.id).at(-1)!.error).toMatch(
      /The new booking did not reach Test Clinic, so this appointment was kept/,
    )
    expect(writes('deleteBooking', old.ref)).toEqual([])
    expect(atSemble(old.ref)?.deleted).toBeFalsy()
    // Discarding the refused cancellation puts the old appointment back as it was.
    await ok('queue.discard', { seq: rows(old.id).at(-1)!.seq })
    expect(rt.db.prepare(`SELECT status FROM appointments WHERE id = ?`).pluck().get(old.id)).toBe('booked')
  })

  it('offline, both wait, and the cancel never goes before the booking', async () => {
    const old = await booked()
    await clinic.sim.control.setOffline(true)
    let fresh: string
    try {
      const r = await ok<ActionResult>('appointments.rebook', rebookInput(old.id, clinic.slots[next++]!))
      fresh = r.appointment.id!
      expect(r.appointment.status).toBe('booked')
      expect(rows(old.id).at(-1)).toMatchObject({ kind: 'cancel' })
    } finally {
      await clinic.sim.control.setOffline(false)
    }
    await until(
      'both sent',
      () => rows(old.id).at(-1)?.state === 'done' && rows(fresh).every((x) => x.state === 'done'),
      30_000,
    )
    const created = writes('createBooking', refOf(fresh)!)
    const deleted = writes('deleteBooking', old.ref)
    expect(created).toHaveLength(1)
    expect(deleted).toHaveLength(1)
    expect(created[0]!.seq).toBeLessThan(deleted[0]!.seq)
  })

  it('refuses a cancelled appointment and a reason left empty, making nothing', async () => {
    const old = await booked()
    await ok('appointments.cancel', { appointmentId: old.id, reason: 'Unwell' })
    const before = rt.db.prepare(`SELECT count(*) FROM outbox`).pluck().get()
    const again = await rt.dispatch('appointments.rebook', rebookInput(old.id, clinic.slots[next++]!))
    expect(again.ok ? null : again.error.code).toBe('conflict')
    const empty = await rt.dispatch('appointments.rebook', {
      ...rebookInput(old.id, clinic.slots[next++]!),
      reason: ' ',
    })
    expect(empty.ok ? null : empty.error).toMatchObject({ code: 'invalid-input', field: 'reason' })
    expect(rt.db.prepare(`SELECT count(*) FROM outbox`).pluck().get()).toBe(before)
  })
})
