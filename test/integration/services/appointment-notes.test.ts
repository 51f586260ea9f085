/**
 * Changing an appointment's note, against the simulators over real HTTP and a real encrypted file:
 * Semble keeps it in the booking's comments beside Frontdesk's marker (which must survive, or a
 * resent booking could not be found again), Healthie in the appointment's notes; Hero and Heim
 * publish no such write. Sent once, kept while unsent, read back when an answer is lost.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Runtime } from '../../../src/main/app/runtime'
import type { ActionResult, AppointmentView, ReferenceData } from '../../../src/shared/contract'
import { clientRefMarker } from '../../../src/main/vendors/normalise'
import { bookingOf, sembleClinic, type SembleClinic } from '../../support/semble-clinic'
import { openDemoRuntime } from '../../support/demo-runtime'
import { until } from '../../support/until'

async function ok<T>(rt: Runtime, name: string, input: unknown): Promise<T> {
  const r = await rt.dispatch(name, input)
  if (!r.ok) throw new Error(`${name}: ${r.error.code} ${r.error.message}`)
  return r.value as T
}

const rowsOf = (rt: Runtime, appointmentId: string) =>
  rt.db
    .prepare(`SELECT seq, kind, state FROM outbox WHERE entity_key = ? ORDER BY seq`)
    .all(`appointment:${appointmentId}`) as { seq: number; kind: string; state: string }[]
const allSent = (rt: Runtime, appointmentId: string) =>
  rowsOf(rt, appointmentId).every((r) => r.state === 'done')

describe('Semble', () => {
  let clinic: SembleClinic
  let rt: Runtime
  let next = 0

  beforeAll(async () => {
    clinic = await sembleClinic('appointment-notes')
    rt = await clinic.open()
  })

  afterAll(async () => {
    await rt?.close()
    await clinic?.close()
  })

  const refOf = (id: string) =>
    rt.db.prepare(`SELECT ref FROM appointments WHERE id = ?`).pluck().get(id) as string | null
  const clientRefOf = (id: string) =>
    rt.db.prepare(`SELECT client_ref FROM appointments WHERE id = ?`).pluck().get(id) as string
  const commentsAt = (id: string) => clinic.sim.control.state.bookings.get(refOf(id)!)!.comments
  const noteUpdates = (id: string) =>
    clinic.sim.control
      .writes()
      .filter(
        (w) =>
          w.operation === 'updateBooking' &&
          w.outcome === 'applied' &&
          JSON.stringify(w.input).includes(refOf(id)!) &&
          JSON.stringify(w.input).includes('comments'),
      )

  /** The marker each booking was made with, by appointment id. */
  const markers = new Map<string, string>()
  const markerOf = (id: string) => markers.get(id)!

  /** A booking Frontdesk made (so it carries the marker), with a first note, in Semble. */
  async function booked(note = 'Wheelchair user: ground floor room'): Promise<string> {
    const patientId = clinic.patientIds[next % clinic.patientIds.length]!
    const r = await ok<ActionResult>(rt, 'appointments.book', {
      ...bookingOf(clinic, clinic.slots[next++]!, patientId),
      note,
    })
    const id = r.appointment.id!
    await until('booked in Semble', () => allSent(rt, id) && !!refOf(id))
    markers.set(id, clientRefMarker(clientRefOf(id)))
    expect(commentsAt(id)).toBe(`${note}\n${markerOf(id)}`)
    return id
  }

  it('replaces the note and keeps the marker, so the booking is still found as Frontdesk’s own', async () => {
    const id = await booked()
    const r = await ok<ActionResult>(rt, 'appointments.updateNote', {
      appointmentId: id,
      note: '  Interpreter needed (Polish)  ',
    })
    expect(r.appointment.note).toBe('Interpreter needed (Polish)')
    expect(r.message).toMatch(/^Note changed: /)
    await until('the note sent', () => allSent(rt, id))
    expect(commentsAt(id)).toBe(`Interpreter needed (Polish)\n${markerOf(id)}`)
    const found = await rt.adapters.get(clinic.connectionId).findWrite!({
      kind: 'book',
      clientRef: markerOf(id).slice('[frontdesk:'.length, -1),
      // Only the time window: the marker alone must find it.
      hint: { start: r.appointment.start! },
    })
    expect(found).toMatchObject({ ref: refOf(id), note: 'Interpreter needed (Polish)' })
    expect(await ok<AppointmentView>(rt, 'appointments.get', { appointmentId: id })).toMatchObject({
      note: 'Interpreter needed (Polish)',
    })
    const audit = rt.db
      .prepare(`SELECT change FROM audit_log WHERE entity_id = ? AND action = 'updateNote'`)
      .pluck()
      .get(id) as string
    expect(JSON.parse(audit)).toMatchObject({
      noteBefore: 'Wheelchair user: ground floor room',
      note: 'Interpreter needed (Polish)',
      patientName: expect.any(String),
    })
  })

  it('removed, leaves only the marker in Semble and no note in Frontdesk, through a re-read of the day', async () => {
    const id = await booked()
    await ok<ActionResult>(rt, 'appointments.updateNote', { appointmentId: id, note: '' })
    await until('the removal sent', () => allSent(rt, id))
    expect(commentsAt(id)).toBe(markerOf(id))
    const start = (await ok<AppointmentView>(rt, 'appointments.get', { appointmentId: id })).start!
    await ok(rt, 'appointments.day', { date: start.slice(0, 10) })
    expect((await ok<AppointmentView>(rt, 'appointments.get', { appointmentId: id })).note).toBeUndefined()
  })

  it('refuses, queueing nothing, a note it already has, one too long, and one on a cancelled appointment', async () => {
    const id = await booked('Same note')
    const before = rowsOf(rt, id).length
    expect(
      await rt.dispatch('appointments.updateNote', { appointmentId: id, note: ' Same note ' }),
    ).toMatchObject({ ok: false, error: { code: 'invalid-input', field: 'note' } })
    expect(
      await rt.dispatch('appointments.updateNote', { appointmentId: id, note: 'x'.repeat(2001) }),
    ).toMatchObject({ ok: false, error: { code: 'invalid-input', field: 'note' } })
    expect(rowsOf(rt, id)).toHaveLength(before)
    await ok(rt, 'appointments.cancel', { appointmentId: id, reason: 'Patient rang' })
    await until('cancelled in Semble', () => allSent(rt, id))
    const cancelled = rowsOf(rt, id).length
    expect(
      await rt.dispatch('appointments.updateNote', { appointmentId: id, note: 'Too late' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: expect.stringMatching(/cancelled/) },
    })
    expect(rowsOf(rt, id)).toHaveLength(cancelled)
  })

  it('offline after a move, keeps the new note on the card at every step of the replay, and sends each once in order', async () => {
    const id = await booked()
    const slot = clinic.slots[next++]!
    await clinic.sim.control.setOffline(true)
    try {
      await ok(rt, 'appointments.reschedule', {
        appointmentId: id,
        start: slot.start,
        end: slot.end,
        practitionerRef: slot.practitionerRef,
      })
      const r = await ok<ActionResult>(rt, 'appointments.updateNote', {
        appointmentId: id,
        note: 'Bring previous letters',
      })
      expect(r.appointment.note).toBe('Bring previous letters')
      expect(
        rowsOf(rt, id)
          .slice(-2)
          .map((x) => x.kind),
      ).toEqual(['reschedule', 'updateNote'])
      // What the desk's copy says at every step of the replay: the move's answer from Semble still
      // carries the old note, and must not put it back while the new one waits.
      const seen = new Set<string | null>()
      const off = rt.outbox.onChange(() => seen.add(rt.cache.appointmentRow(id)!.note))
      try {
        await clinic.sim.control.setOffline(false)
        await ok(rt, 'queue.sendNow', { connectionId: clinic.connectionId })
        await until('both sent', () => allSent(rt, id))
      } finally {
        off()
      }
      expect([...seen]).toEqual(['Bring previous letters'])
    } finally {
      await clinic.sim.control.setOffline(false)
    }
    expect(noteUpdates(id)).toHaveLength(1)
    expect(commentsAt(id)).toBe(`Bring previous letters\n${markerOf(id)}`)
    expect(clinic.sim.control.state.bookings.get(refOf(id)!)!.start).toBe(new Date(slot.start).toISOString())
  })

  it('discarded before it was sent, puts the old note back on the card and sends nothing', async () => {
    const id = await booked('Interpreter needed (Polish)')
    await clinic.sim.control.setOffline(true)
    try {
      await ok(rt, 'appointments.updateNote', { appointmentId: id, note: 'Interpreter booked' })
      expect(rt.cache.appointmentRow(id)!.note).toBe('Interpreter booked')
      const row = rowsOf(rt, id).at(-1)!
      expect(row).toMatchObject({ kind: 'updateNote', state: 'pending' })
      await ok(rt, 'queue.discard', { seq: row.seq })
      expect(rt.cache.appointmentRow(id)!.note).toBe('Interpreter needed (Polish)')
    } finally {
      await clinic.sim.control.setOffline(false)
    }
    await ok(rt, 'queue.sendNow', { connectionId: clinic.connectionId })
    expect(rowsOf(rt, id).at(-1)).toMatchObject({ kind: 'updateNote', state: 'discarded' })
    expect(noteUpdates(id)).toHaveLength(0)
    expect(commentsAt(id)).toBe(`Interpreter needed (Polish)\n${markerOf(id)}`)
  })

  it('whose answer is lost, is read back from Semble and found applied: sent once', async () => {
    const id = await booked()
    clinic.sim.control.inject({ kind: 'reset-after-write', count: 1 })
    await ok(rt, 'appointments.updateNote', { appointmentId: id, note: 'Hearing loop please' })
    await until('settled', () => allSent(rt, id), 20_000)
    expect(noteUpdates(id)).toHaveLength(1)
    expect(commentsAt(id)).toBe(`Hearing loop please\n${markerOf(id)}`)
  })
})

describe('Healthie, Hero and Heim', () => {
  let rt: Runtime
  let cleanup: () => void

  beforeAll(async () => {
    ;({ rt, cleanup } = await openDemoRuntime('appointment-notes-demo', { demoPatients: 40 }))
  })

  afterAll(async () => {
    await rt?.close()
    cleanup?.()
  })

  /** A booked appointment the clinic system has, from the copy. */
  const bookedOf = (connectionId: string) =>
    rt.db
      .prepare(
        `SELECT id, ref FROM appointments WHERE connection_id = ? AND ref IS NOT NULL AND status = 'booked' ORDER BY start LIMIT 1`,
      )
      .get(connectionId) as { id: string; ref: string } | undefined

  it('Healthie: sets the appointment’s notes', async () => {
    await until('a Healthie appointment in the copy', () => !!bookedOf('demo-healthie'), 30_000)
    const { id, ref } = bookedOf('demo-healthie')!
    await ok(rt, 'appointments.updateNote', { appointmentId: id, note: 'Interpreter needed (Polish)' })
    await until('sent', () => allSent(rt, id))
    expect(rt.sandbox!.healthie.control.state.appointments.get(ref)!.notes).toBe(
      'Interpreter needed (Polish)',
    )
  })

  it('Hero and Heim: not offered, with why, and refused in the service with nothing queued', async () => {
    for (const [connectionId, words] of [
      ['demo-hero', /Hero publishes no way to change an appointment’s notes/],
      ['demo-heim', /Heim .* publishes no way to change it/],
    ] as const) {
      const caps = (await ok<ReferenceData>(rt, 'reference.get', { connectionId })).capabilities
      expect(caps.operations, connectionId).not.toContain('updateNote')
      expect(caps.notes.updateNote, connectionId).toMatch(words)
      await until(`an appointment of ${connectionId}`, () => !!bookedOf(connectionId), 30_000)
      const { id } = bookedOf(connectionId)!
      const before = rowsOf(rt, id).length
      expect(await rt.dispatch('appointments.updateNote', { appointmentId: id, note: 'x' })).toMatchObject({
        ok: false,
        error: { code: 'vendor-rejected', message: expect.stringMatching(words) },
      })
      expect(rowsOf(rt, id)).toHaveLength(before)
    }
  })
})
