/**
 * Who the audit log says did what, and to whom: a clinic-profile Frontdesk on a real encrypted file
 * and the real keychain, talking to its Semble simulator over HTTP, with two people at the desk.
 * Each change is recorded under the person who made it, however the desk changes hands or locks
 * while it is under way or waiting to be sent; a person's queue actions are recorded under them;
 * and `audit.list` names each entry's patient and carries the appointment's time as it was then.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Runtime } from '../../../src/main/app/runtime'
import type { ActionResult, AuditEntry, DeskState, QueueItem } from '../../../src/shared/contract'
import type { Patient, Slot } from '../../../src/shared/model'
import { bookingOf, sembleClinic, type SembleClinic } from '../../support/semble-clinic'
import { until } from '../../support/until'
import { dispatchOk } from '../../support/dispatch'

const ANN = { name: 'Ann Byrne', pin: '4821' }
const BOB = { name: 'Bob Okafor', pin: '907163' }

let clinic: SembleClinic
let rt: Runtime
let ann: string
let bob: string
let next = 0

beforeAll(async () => {
  clinic = await sembleClinic('audit-attribution')
  rt = await clinic.open()
  await ok<DeskState>('staff.add', ANN)
  const s = await ok<DeskState>('staff.add', BOB)
  ann = s.staff.find((p) => p.name === ANN.name)!.id
  bob = s.staff.find((p) => p.name === BOB.name)!.id
})

afterAll(async () => {
  await rt?.close()
  await clinic?.close()
})

const ok = <T>(name: string, input: unknown = {}) => dispatchOk<T>(rt, name, input)
const at = (who: string, pin: string) => ok<DeskState>('desk.unlock', { staffId: who, pin })
const asAnn = () => at(ann, ANN.pin)
const asBob = () => at(bob, BOB.pin)

/** A slot and a patient of this test's own, so no overlap rule interferes. */
const take = (): { slot: Slot; patientId: string } => {
  const i = next++
  return { slot: clinic.slots[i * 3]!, patientId: clinic.patientIds[i]! }
}
const rows = (key: string) =>
  rt.db.prepare(`SELECT seq, kind, state, actor FROM outbox WHERE entity_key = ? ORDER BY seq`).all(key) as {
    seq: number
    kind: string
    state: string
    actor: string
  }[]
const sent = (key: string) => rows(key).every((r) => r.state === 'done')
const refOf = (appointmentId: string) =>
  rt.db.prepare(`SELECT ref FROM appointments WHERE id = ?`).pluck().get(appointmentId) as string | null
const entriesFor = async (entityId: string) =>
  (await ok<AuditEntry[]>('audit.list', { limit: 1000 })).filter((e) => e.entityId === entityId).reverse()
const changeOf = (e: AuditEntry) => JSON.parse(e.change ?? 'null') as Record<string, unknown> | null
const nameOf = (patientId: string) => {
  const p = rt.cache.patientRow(patientId)!
  return `${p.given_name} ${p.family_name.toUpperCase()}`
}

/** Booked by whoever is at the desk, and in Semble. */
async function booked(): Promise<{ id: string; patientId: string; slot: Slot }> {
  const { slot, patientId } = take()
  const r = await ok<ActionResult>('appointments.book', bookingOf(clinic, slot, patientId))
  const id = r.appointment.id!
  await until('booked in Semble', () => sent(`appointment:${id}`) && !!refOf(id))
  return { id, patientId, slot }
}

const rebookInput = (appointmentId: string, slot: Slot) => {
  const { connectionId: _c, patientId: _p, ...booking } = bookingOf(clinic, slot, 'unused')
  return { appointmentId, reason: 'Patient asked for another day', booking }
}

describe('cancel and rebook is one action of the person who made it', () => {
  it('records the cancel under the person who rebooked, though someone else unlocks while the booking is being sent', async () => {
    await asAnn()
    const old = await booked()
    // Semble answers slowly: the booking's first attempt is still under way when Bob takes the desk.
    clinic.sim.control.inject({ kind: 'latency', ms: 300 })
    try {
      const rebooking = rt.dispatch('appointments.rebook', rebookInput(old.id, take().slot))
      const switched = Promise.all([rt.dispatch('desk.lock', {}), asBob()])
      const r = await rebooking
      await switched
      expect(r.ok, JSON.stringify(r)).toBe(true)
      const fresh = (r.ok ? (r.value as ActionResult) : null)!.appointment.id!
      expect(rows(`appointment:${fresh}`).map((x) => [x.kind, x.actor])).toEqual([['book', ANN.name]])
      expect(rows(`appointment:${old.id}`).map((x) => [x.kind, x.actor])).toEqual([
        ['book', ANN.name],
        ['cancel', ANN.name],
      ])
      const cancel = (await entriesFor(old.id)).find((e) => e.action === 'cancel' && e.outcome === 'queued')
      expect(cancel?.actor).toBe(ANN.name)
    } finally {
      clinic.sim.control.clearFaults()
    }
  })

  it('the idle lock landing while it is under way loses neither the booking nor the cancel', async () => {
    await asAnn()
    const old = await booked()
    await ok('desk.activity')
    // Idle for all but the last seconds of the lock's minutes: the call itself is let through.
    clinic.clock.advance(5 * 60_000 - 10_000)
    clinic.sim.control.inject({ kind: 'latency', ms: 300 })
    try {
      const rebooking = rt.dispatch('appointments.rebook', rebookInput(old.id, take().slot))
      // The desk's own timer looks while the booking is being sent, and the minutes are up.
      clinic.clock.advance(20_000)
      rt.desk.checkIdle()
      expect(rt.desk.locked()).toBe(true)
      const r = await rebooking
      expect(r.ok, JSON.stringify(r)).toBe(true)
      const fresh = (r.ok ? (r.value as ActionResult) : null)!.appointment.id!
      expect(rows(`appointment:${old.id}`).map((x) => [x.kind, x.actor])).toEqual([
        ['book', ANN.name],
        ['cancel', ANN.name],
      ])
      await until(
        'the new booking in Semble, then the old one cancelled',
        () => sent(`appointment:${fresh}`) && sent(`appointment:${old.id}`),
      )
      expect(clinic.sim.control.state.bookings.get(refOf(old.id)!)?.deleted).toBe(true)
    } finally {
      clinic.sim.control.clearFaults()
    }
  })
})

describe("a person's queue actions", () => {
  it('a retry is recorded under the person who retried; the send stays with the person who booked', async () => {
    await asAnn()
    const { slot, patientId } = take()
    // Someone at the clinic books the time directly in Semble first.
    const adapter = rt.adapters.get(clinic.connectionId)
    const direct = await adapter.book!({
      clientRef: 'taken-elsewhere',
      patientRef: rt.cache.patientRow(clinic.patientIds[29]!)!.ref!,
      appointmentTypeRef: clinic.typeRef,
      practitionerRef: slot.practitionerRef!,
      locationRef: clinic.locationRef,
      start: slot.start,
      end: slot.end,
    })
    const r = await ok<ActionResult>('appointments.book', bookingOf(clinic, slot, patientId))
    const id = r.appointment.id!
    await until('the booking needs a person', () => rows(`appointment:${id}`)[0]?.state === 'needs-attention')
    await asBob()
    // Bob frees the time in Semble and tries Ann's booking again.
    await adapter.cancel!({ clientRef: 'freed', ref: direct.ref!, reason: 'Booked by mistake' })
    await ok<QueueItem>('queue.retry', { seq: rows(`appointment:${id}`)[0]!.seq })
    await until('sent', () => sent(`appointment:${id}`))
    const entries = await entriesFor(id)
    expect(entries.map((e) => [e.outcome, e.actor])).toEqual([
      ['queued', ANN.name],
      ['needs-attention', ANN.name],
      ['retried', BOB.name],
      ['sent', ANN.name],
    ])
    for (const e of entries)
      expect(e, e.outcome).toMatchObject({ action: 'book', patientId, patientName: nameOf(patientId) })
  })

  it('"Send now" is recorded under the person who pressed it; the send stays with the person who booked', async () => {
    await asAnn()
    const { slot, patientId } = take()
    await clinic.sim.control.setOffline(true)
    let id = ''
    try {
      const r = await ok<ActionResult>('appointments.book', bookingOf(clinic, slot, patientId))
      id = r.appointment.id!
      const waiting = () => rows(`appointment:${id}`)[0]?.state === 'pending'
      await until('turned away, waiting for Semble', waiting)
      await asBob()
      // The worker tries again by itself meanwhile; "Send now" is refused while a try is under way.
      const seq = rows(`appointment:${id}`)[0]!.seq
      await until(
        'Bob sends it now',
        async () => (await rt.dispatch('queue.sendNow', { connectionId: clinic.connectionId, seq })).ok,
      )
      await ok('queue.sendNow', { connectionId: clinic.connectionId })
    } finally {
      await clinic.sim.control.setOffline(false)
    }
    await until('sent', () => sent(`appointment:${id}`))
    const mine = (await entriesFor(id)).map((e) => [e.outcome, e.actor])
    expect(mine).toEqual([
      ['queued', ANN.name],
      ['send-now', BOB.name],
      ['sent', ANN.name],
    ])
    const all = (await ok<AuditEntry[]>('audit.list', { limit: 1000 })).find(
      (e) => e.action === 'sendNow' && e.entityId === null,
    )
    expect(all).toMatchObject({ actor: BOB.name, connectionId: clinic.connectionId, outcome: 'send-now' })
  })
})

describe('audit.list names the patient and the time', () => {
  it('names a patient registered offline on every entry, before and after Semble gives them its id', async () => {
    await asAnn()
    const { slot } = take()
    await clinic.sim.control.setOffline(true)
    let patientId = ''
    let appointmentId = ''
    try {
      patientId = (
        await ok<{ patient: Patient }>('patients.create', {
          connectionId: clinic.connectionId,
          patient: { givenName: 'Wren', familyName: 'Abernethy', birthDate: '1991-04-05' },
        })
      ).patient.id!
      appointmentId = (await ok<ActionResult>('appointments.book', bookingOf(clinic, slot, patientId)))
        .appointment.id!
      const before = [...(await entriesFor(patientId)), ...(await entriesFor(appointmentId))]
      expect(before.map((e) => [e.action, e.outcome])).toEqual([
        ['createPatient', 'queued'],
        ['book', 'queued'],
      ])
      for (const e of before)
        expect(e, `${e.action} ${e.outcome}`).toMatchObject({
          patientId: patientId,
          patientName: 'Wren ABERNETHY',
        })
    } finally {
      await clinic.sim.control.setOffline(false)
    }
    await until(
      'registered and booked in Semble',
      () => sent(`patient:${patientId}`) && sent(`appointment:${appointmentId}`),
    )
    expect(rt.cache.patientRow(patientId)?.ref).toBeTruthy()
    const after = [...(await entriesFor(patientId)), ...(await entriesFor(appointmentId))]
    expect(after.map((e) => [e.action, e.outcome])).toEqual([
      ['createPatient', 'queued'],
      ['createPatient', 'sent'],
      ['book', 'queued'],
      ['book', 'sent'],
    ])
    for (const e of after)
      expect(e, `${e.action} ${e.outcome}`).toMatchObject({
        actor: ANN.name,
        patientId: patientId,
        patientName: 'Wren ABERNETHY',
      })
  })

  it('names the patient of an appointment changed before that patient was in the copy, once they are', async () => {
    await asAnn()
    const { slot } = take()
    const adapter = rt.adapters.get(clinic.connectionId)
    // Registered and booked in Semble by someone else; the desk reads the day before the patient list.
    const newcomer = await adapter.createPatient!({
      clientRef: 'registered-elsewhere',
      givenName: 'Idris',
      familyName: 'Quayle',
      birthDate: '1978-11-02',
    })
    const there = await adapter.book!({
      clientRef: 'booked-elsewhere',
      patientRef: newcomer.ref!,
      appointmentTypeRef: clinic.typeRef,
      practitionerRef: slot.practitionerRef!,
      locationRef: clinic.locationRef,
      start: slot.start,
      end: slot.end,
    })
    await ok('appointments.day', { date: slot.start.slice(0, 10), connectionIds: [clinic.connectionId] })
    const id = rt.db
      .prepare(`SELECT id FROM appointments WHERE connection_id = ? AND ref = ?`)
      .pluck()
      .get(clinic.connectionId, there.ref) as string
    expect(rt.cache.patientByRef(clinic.connectionId, newcomer.ref!)).toBeUndefined()
    await ok<ActionResult>('appointments.updateNote', { appointmentId: id, note: 'Needs a wheelchair' })
    await until('sent', () => sent(`appointment:${id}`))
    // The patient list brings them in later.
    const patientId = rt.cache.upsertPatient(await adapter.getPatient!(newcomer.ref!))
    const entries = await entriesFor(id)
    expect(entries.map((e) => e.outcome)).toEqual(['queued', 'sent'])
    for (const e of entries) expect(e, e.outcome).toMatchObject({ patientId, patientName: 'Idris QUAYLE' })
  })

  it('names on each entry the patient its change was for, after Semble merges the booking into another record', async () => {
    await asAnn()
    const mine = await booked()
    const other = take().patientId
    // The clinic merges the patient's record into another one: Semble's booking now names that one.
    clinic.sim.control.state.bookings.get(refOf(mine.id)!)!.patientId = rt.cache.patientRow(other)!.ref!
    await ok('appointments.day', { date: mine.slot.start.slice(0, 10), connectionIds: [clinic.connectionId] })
    expect(rt.cache.appointmentRow(mine.id)?.patient_id).toBe(other)
    await ok<ActionResult>('appointments.cancel', { appointmentId: mine.id, reason: 'Records merged' })
    await until('sent', () => sent(`appointment:${mine.id}`))
    const entries = await entriesFor(mine.id)
    expect(entries.map((e) => [`${e.action} ${e.outcome}`, e.patientId])).toEqual([
      ['book queued', mine.patientId],
      ['book sent', mine.patientId],
      ['cancel queued', other],
      ['cancel sent', other],
    ])
  })

  it('ties a discarded move and a sent move of one appointment each to its own times', async () => {
    await asAnn()
    const first = await booked()
    const [second, third] = [take().slot, take().slot]
    const move = (to: Slot) =>
      ok<ActionResult>('appointments.reschedule', {
        appointmentId: first.id,
        start: to.start,
        end: to.end,
        practitionerRef: to.practitionerRef,
      })
    await clinic.sim.control.setOffline(true)
    try {
      await move(second)
      await move(third)
      // The second move was a slip: discarded while the first still waits for Semble.
      const later = rows(`appointment:${first.id}`).at(-1)!
      await until(
        'the slip discarded',
        async () => (await rt.dispatch('queue.discard', { seq: later.seq })).ok,
      )
    } finally {
      await clinic.sim.control.setOffline(false)
    }
    await until('the first move sent', () =>
      rows(`appointment:${first.id}`).every((r) => r.state === 'done' || r.state === 'discarded'),
    )
    const moves = (await entriesFor(first.id)).filter((e) => e.action === 'reschedule')
    expect(
      moves.map((e) => {
        const c = changeOf(e) as { from: { start: string }; to: { start: string } } | null
        return [e.outcome, c && `${c.from.start} → ${c.to.start}`]
      }),
    ).toEqual([
      ['queued', `${first.slot.start} → ${second.start}`],
      ['queued', `${second.start} → ${third.start}`],
      ['discarded', `${second.start} → ${third.start}`],
      ['sent', `${first.slot.start} → ${second.start}`],
    ])
  })

  it("carries each entry's appointment time as it was when the action was taken, moved or not", async () => {
    await asAnn()
    const first = await booked()
    const to = take().slot
    await ok<ActionResult>('appointments.reschedule', {
      appointmentId: first.id,
      start: to.start,
      end: to.end,
      practitionerRef: to.practitionerRef,
    })
    await until('moved in Semble', () => sent(`appointment:${first.id}`))
    await ok<ActionResult>('appointments.updateNote', {
      appointmentId: first.id,
      note: 'Interpreter (Polish)',
    })
    await until('note sent', () => sent(`appointment:${first.id}`))
    await ok<ActionResult>('appointments.cancel', { appointmentId: first.id, reason: 'Rang to cancel' })
    await until('all sent', () => sent(`appointment:${first.id}`))
    const entries = await entriesFor(first.id)
    expect(entries.map((e) => [e.action, e.outcome])).toEqual([
      ['book', 'queued'],
      ['book', 'sent'],
      ['reschedule', 'queued'],
      ['reschedule', 'sent'],
      ['updateNote', 'queued'],
      ['updateNote', 'sent'],
      ['cancel', 'queued'],
      ['cancel', 'sent'],
    ])
    const when = (e: AuditEntry) => {
      const c = changeOf(e)
      const from = c?.from as { start?: string } | string | undefined
      const moved = c?.to as { start?: string } | string | undefined
      return typeof moved === 'object'
        ? `${typeof from === 'object' ? from.start : '?'} → ${moved.start}`
        : String(c?.start)
    }
    const bookedAt = first.slot.start
    expect(entries.map((e) => [`${e.action} ${e.outcome}`, when(e)])).toEqual([
      ['book queued', bookedAt],
      ['book sent', bookedAt],
      ['reschedule queued', `${bookedAt} → ${to.start}`],
      ['reschedule sent', `${bookedAt} → ${to.start}`],
      ['updateNote queued', to.start],
      ['updateNote sent', to.start],
      ['cancel queued', to.start],
      ['cancel sent', to.start],
    ])
    for (const e of entries)
      expect(e, `${e.action} ${e.outcome}`).toMatchObject({
        actor: ANN.name,
        patientId: first.patientId,
        patientName: nameOf(first.patientId),
      })
  })
})
