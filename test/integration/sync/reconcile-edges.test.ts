/**
 * Exactly once where a lost answer meets something else: a day refresh that lists the booking
 * before the queue finds it, a move queued behind a resent booking, a resend turned away or refused,
 * and reads back that a write could seem to match before it was sent (a move to another clinician
 * at the same time, a new address in the same postcode); and a person's Retry and Discard, which
 * must neither lose what the clinic system already holds nor take other changes with them. Against
 * the Semble (and Healthie) simulator over real HTTP on a real encrypted file, as
 * slow-vendor.test.ts; each test drives its own worker on the clinic's clock.
 */
import { randomUUID } from 'node:crypto'
import { DateTime } from 'luxon'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { Runtime } from '../../../src/main/app/runtime'
import { silentLogger, type Logger } from '../../../src/main/log/logger'
import type { OutboxRepo } from '../../../src/main/sync/outbox-repo'
import type { DayColumn } from '../../../src/shared/contract'
import type { Result } from '../../../src/shared/result'
import type { Slot } from '../../../src/shared/model'
import type { HealthieState } from '../../../src/sandbox/healthie/state'
import { handWorker } from '../../support/hand-worker'
import { bookingOf, sembleClinic, type SembleClinic } from '../../support/semble-clinic'
import { vendorClinic, type VendorClinic } from '../../support/vendor-clinic'

let clinic: SembleClinic
let rt: Runtime
const used = new Set<Slot>()
/** What the worker logged as an error (a drain that failed inside Frontdesk). */
const errors: { msg: string; err: string }[] = []
const logger: Logger = {
  ...silentLogger,
  error: (msg, data) => errors.push({ msg, err: String((data as { err?: unknown } | undefined)?.err) }),
}

/** A clinic of its own per describe: a row left stuck by one case must not hold up the next. */
let clinics = 0
function ownClinic() {
  beforeAll(async () => {
    clinic = await sembleClinic(`reconcile-edges-${++clinics}`, { seed: 31 })
    used.clear()
  }, 60_000)
  afterAll(async () => {
    await clinic?.close()
  })
  beforeEach(async () => {
    errors.length = 0
    clinic.sim.control.clearFaults()
    rt = await clinic.open({ startSync: false })
    // The runtime's own worker stopped: the test drives one on the clinic's clock.
    rt.sync.worker(clinic.connectionId)
    await rt.sync.stop()
    return () => rt.close()
  })
}

const worker = (settleMs: number) =>
  handWorker(rt, clinic.connectionId, clinic.clock, { settleMs, log: logger })

/** A free slot not handed out before, matching `pick`. */
function take(pick: (s: Slot) => boolean = () => true): Slot {
  const s = clinic.slots.find((x) => !used.has(x) && pick(x))
  if (!s) throw new Error('no free slot left for the test')
  used.add(s)
  return s
}

/** A free slot of the same clinician, more than `hours` away from `from`. */
const takeAway = (from: Slot, hours: number) =>
  take(
    (s) =>
      s.practitionerRef === from.practitionerRef &&
      Math.abs(Date.parse(s.start) - Date.parse(from.start)) > hours * 3600_000,
  )

const lastSeq = () => (rt.db.prepare(`SELECT max(seq) AS seq FROM outbox`).get() as { seq: number }).seq

const rowOf = (seq: number) =>
  rt.db.prepare(`SELECT kind, state, entity_key, client_ref FROM outbox WHERE seq = ?`).get(seq) as {
    kind: string
    state: string
    entity_key: string
    client_ref: string
  }

async function ok<T>(p: Promise<Result<unknown>>): Promise<T> {
  const r = await p
  if (!r.ok) throw new Error(r.error.message)
  return r.value as T
}

let nextPatient = 0
async function book(slot: Slot, patientId = clinic.patientIds[nextPatient++ % clinic.patientIds.length]!) {
  await ok(rt.dispatch('appointments.book', bookingOf(clinic, slot, patientId)))
  const seq = lastSeq()
  const row = rowOf(seq)
  return { seq, clientRef: row.client_ref, appointmentId: row.entity_key.split(':')[1]! }
}

/** Another desk (or the clinic's own web app) books straight at the vendor. */
async function otherDeskBooks(slot: Slot, patientId: string) {
  return rt.adapters.get(clinic.connectionId).book!({
    clientRef: randomUUID(),
    patientRef: rt.cache.patientRow(patientId)!.ref!,
    appointmentTypeRef: clinic.typeRef,
    practitionerRef: slot.practitionerRef!,
    locationRef: clinic.locationRef,
    start: slot.start,
    end: slot.end,
  })
}

/** The vendor's live bookings carrying this client reference around a time (cancelled ones left out). */
async function liveBookings(clientRef: string, around: { start: string; end: string }) {
  const listed = await rt.adapters.get(clinic.connectionId).listAppointments!({
    from: new Date(Date.parse(around.start) - 3600_000).toISOString(),
    to: new Date(Date.parse(around.end) + 3600_000).toISOString(),
  })
  return listed.filter((a) => a.clientRef === clientRef && a.status !== 'cancelled')
}

/** Moves the clinic's clock to when the row is due again. */
function untilDue(store: OutboxRepo, seq: number) {
  const wait = Date.parse(store.get(seq).nextAttemptAt) - clinic.clock.now().getTime()
  if (wait > 0) clinic.clock.advance(wait + 1)
}

describe('a booking whose answer was lost, seen by a day refresh before it is reconciled', () => {
  ownClinic()

  it('is reconciled to done and kept as one appointment in the copy', async () => {
    const { w, store } = worker(0)
    const slot = take()
    const booked = await book(slot)
    // The vendor applies the booking; the connection drops before its answer.
    clinic.sim.control.inject({ kind: 'reset-after-write', count: 1 })
    await w.drain()
    expect(store.get(booked.seq).state).toBe('sending')
    expect(await liveBookings(booked.clientRef, slot)).toHaveLength(1)

    // The receptionist opens that day: the day book asks the vendor and refreshes the copy.
    const date = DateTime.fromISO(slot.start, { zone: 'Europe/London' }).toISODate()!
    const day = await rt.dispatch('appointments.day', { date, connectionIds: [clinic.connectionId] })
    if (!day.ok) throw new Error(day.error.message)
    // Shown once, not as the queued booking and the vendor's copy of it side by side.
    const shown = (day.value as DayColumn[])[0]!.appointments.filter(
      (a) => a.start === slot.start && a.practitionerRef === slot.practitionerRef,
    )
    expect(shown.map((a) => a.id)).toEqual([booked.appointmentId])

    // The row's backoff is over: it is looked up, found, and finished.
    untilDue(store, booked.seq)
    await w.drain()
    expect(errors).toEqual([])
    expect(store.get(booked.seq).state).toBe('done')
    const ref = (await liveBookings(booked.clientRef, slot))[0]!.ref!
    expect(rt.cache.appointmentRow(booked.appointmentId)?.ref).toBe(ref)
    const copies = rt.db
      .prepare(`SELECT id FROM appointments WHERE connection_id = ? AND ref = ?`)
      .all(clinic.connectionId, ref) as { id: string }[]
    expect(copies.map((c) => c.id)).toEqual([booked.appointmentId])
    await w.stop()
  })
})

describe('a copy of a booking whose answer was lost, saved under another id with a change of its own waiting', () => {
  ownClinic()

  it('with nothing waiting on the copy: the copy goes and the booking is done, once in the copy', async () => {
    const { w, store } = worker(0)
    const slot = take()
    const booked = await book(slot)
    clinic.sim.control.inject({ kind: 'reset-after-write', count: 1 })
    await w.drain()
    const atVendor = (await liveBookings(booked.clientRef, slot))[0]!
    const copyId = randomUUID()
    rt.cache.putAppointment(copyId, atVendor)

    untilDue(store, booked.seq)
    await w.drain()
    expect(errors).toEqual([])
    expect(store.get(booked.seq).state).toBe('done')
    expect(rt.cache.appointmentRow(copyId)).toBeUndefined()
    expect(rt.cache.appointmentRow(booked.appointmentId)?.ref).toBe(atVendor.ref)
    await w.stop()
  })

  it('sends the copy’s change, and asks a person about the booking rather than failing every drain', async () => {
    const { w, store } = worker(0)
    const slot = take()
    const booked = await book(slot)
    clinic.sim.control.inject({ kind: 'reset-after-write', count: 1 })
    await w.drain()
    expect(store.get(booked.seq).state).toBe('sending')
    // A copy of the vendor's booking under its own id (as an older version's refresh saved one),
    // and a note written on that copy, queued.
    const atVendor = (await liveBookings(booked.clientRef, slot))[0]!
    const copyId = randomUUID()
    rt.cache.putAppointment(copyId, atVendor)
    const noted = await rt.dispatch('appointments.updateNote', {
      appointmentId: copyId,
      note: 'Hearing loop',
    })
    expect(noted.ok).toBe(true)
    const noteSeq = lastSeq()

    untilDue(store, booked.seq)
    await w.drain()
    // The booking is found, but the copy holds its id and has a change waiting: a person decides.
    expect(store.get(booked.seq).state).toBe('needs-attention')
    expect(errors.map((e) => e.msg)).toEqual(['outbox row failed inside Frontdesk'])
    expect(store.get(noteSeq).state).toBe('done')
    expect((await rt.adapters.get(clinic.connectionId).getAppointment!(atVendor.ref!)).note).toBe(
      'Hearing loop',
    )
    await w.stop()
  })
})

describe('a booking resent after a lost answer, then moved before the look for a duplicate', () => {
  ownClinic()

  it('the late first request does not leave a second live booking at the vendor', async () => {
    const { w, store } = worker(20_000)
    const first = take()
    // Moved (offline, before anything was sent) to the same clinician, hours away.
    const to = takeAway(first, 6)
    const booked = await book(first)
    const moved = await rt.dispatch('appointments.reschedule', {
      appointmentId: booked.appointmentId,
      start: to.start,
      end: to.end,
    })
    expect(moved.ok).toBe(true)

    // The vendor takes the booking, the connection drops, and it commits only 30 s later.
    clinic.sim.control.inject({ kind: 'late-commit', ms: 30_000, count: 1 })
    await w.drain()
    expect(store.get(booked.seq)).toMatchObject({ state: 'sending', lastError: { kind: 'ambiguous' } })
    // Settled (20 s) but not yet committed: found nothing, resent; the move goes after it.
    clinic.clock.advance(20_000)
    await w.drain()
    expect(store.get(booked.seq).state).toBe('done')
    const kept = rt.cache.appointmentRow(booked.appointmentId)!.ref!
    const rows = rt.db
      .prepare(`SELECT kind, state FROM outbox WHERE entity_key = ? ORDER BY seq`)
      .all(`appointment:${booked.appointmentId}`)
    expect(rows).toEqual([
      { kind: 'book', state: 'done' },
      { kind: 'reschedule', state: 'done' },
      { kind: 'checkDuplicate', state: 'pending' },
    ])
    // The first request commits at 30 s: the booking is now at the vendor twice.
    clinic.clock.advance(10_000)
    expect(await liveBookings(booked.clientRef, first)).toHaveLength(1)
    // The resend has settled: the look for a duplicate runs.
    clinic.clock.advance(10_000)
    await w.drain()
    expect(store.unfinished(clinic.connectionId)).toEqual([])
    // Exactly one live booking for this write: the one Frontdesk keeps, at the new time.
    expect((await liveBookings(booked.clientRef, to)).map((a) => a.ref)).toEqual([kept])
    expect(await liveBookings(booked.clientRef, first)).toEqual([])
    await w.stop()
  })
})

describe('a booking resent after a lost answer, whose resend is turned away for a while (429)', () => {
  ownClinic()

  it('is still looked for twice once sent: the late first request does not leave a second live booking', async () => {
    const { w, store } = worker(20_000)
    const slot = take()
    const booked = await book(slot)
    // The vendor takes the booking, the connection drops, and it commits only 60 s later.
    clinic.sim.control.inject({ kind: 'late-commit', ms: 60_000, count: 1 })
    await w.drain()
    expect(store.get(booked.seq).state).toBe('sending')
    // Settled, nothing found: resent, and the resend is turned away by a rate limit.
    clinic.clock.advance(20_000)
    clinic.sim.control.inject({ kind: 'rate-limit', retryAfterSeconds: 2, count: 1, scope: 'writes' })
    await w.drain()
    expect(store.get(booked.seq).state).toBe('pending')
    // The limit is over: sent, and done.
    untilDue(store, booked.seq)
    await w.drain()
    expect(store.get(booked.seq).state).toBe('done')
    const kept = rt.cache.appointmentRow(booked.appointmentId)!.ref!
    // The first request commits; the look for a duplicate, due once the resend has settled, undoes it.
    clinic.clock.advance(60_000)
    expect(await liveBookings(booked.clientRef, slot)).toHaveLength(2)
    await w.drain()
    expect(store.unfinished(clinic.connectionId)).toEqual([])
    expect((await liveBookings(booked.clientRef, slot)).map((a) => a.ref)).toEqual([kept])
    await w.stop()
  })
})

describe('a resent booking waiting after its resend was turned away', () => {
  ownClinic()

  it('cannot be discarded while the first request may still land; it is sent, and the duplicate undone', async () => {
    const { w, store } = worker(20_000)
    const slot = take()
    const booked = await book(slot)
    clinic.sim.control.inject({ kind: 'late-commit', ms: 60_000, count: 1 })
    await w.drain()
    clinic.clock.advance(20_000)
    clinic.sim.control.inject({ kind: 'rate-limit', retryAfterSeconds: 2, count: 1, scope: 'writes' })
    await w.drain()
    expect(store.get(booked.seq).state).toBe('pending')
    // Discarded now, the first request landing later would leave a booking nobody knows of.
    const refused = await rt.dispatch('queue.discard', { seq: booked.seq })
    expect(refused).toMatchObject({ ok: false, error: { code: 'conflict' } })
    if (!refused.ok)
      expect(refused.error.message).toBe(
        'This change was sent once with no answer and may still reach the clinic system, so it cannot be discarded: Frontdesk sends it again and then removes any duplicate. To take a booking back, cancel it once it is sent.',
      )
    expect(store.get(booked.seq).state).toBe('pending')
    expect(rt.cache.appointmentRow(booked.appointmentId)).toBeTruthy()

    untilDue(store, booked.seq)
    await w.drain()
    expect(store.get(booked.seq).state).toBe('done')
    const kept = rt.cache.appointmentRow(booked.appointmentId)!.ref!
    clinic.clock.advance(60_000)
    await w.drain()
    expect(store.unfinished(clinic.connectionId)).toEqual([])
    expect((await liveBookings(booked.clientRef, slot)).map((a) => a.ref)).toEqual([kept])
    await w.stop()
  })
})

describe('a move to another clinician at the same time, whose request never reached the vendor', () => {
  ownClinic()

  it('is sent, not counted as applied because the start already matches', async () => {
    const { w, store } = worker(0)
    // Two clinicians free at the same hour.
    const here = take((s) =>
      clinic.slots.some(
        (o) => !used.has(o) && o.start === s.start && o.practitionerRef !== s.practitionerRef,
      ),
    )
    const there = take((s) => s.start === here.start && s.practitionerRef !== here.practitionerRef)
    const booked = await book(here)
    await w.drain()
    expect(store.get(booked.seq).state).toBe('done')
    const ref = rt.cache.appointmentRow(booked.appointmentId)!.ref!

    const moved = await rt.dispatch('appointments.reschedule', {
      appointmentId: booked.appointmentId,
      start: there.start,
      end: there.end,
      practitionerRef: there.practitionerRef!,
    })
    expect(moved.ok).toBe(true)
    const seq = lastSeq()
    // The connection drops before the vendor reads the write: nothing applied, outcome unknown.
    clinic.sim.control.inject({ kind: 'reset-before-write', count: 1 })
    await w.drain()
    expect(store.get(seq).state).toBe('sending')
    const before = await rt.adapters.get(clinic.connectionId).getAppointment!(ref)
    expect(before.practitionerRef).toBe(here.practitionerRef)

    untilDue(store, seq)
    await w.drain()
    expect(store.get(seq).state).toBe('done')
    const after = await rt.adapters.get(clinic.connectionId).getAppointment!(ref)
    expect(after.practitionerRef).toBe(there.practitionerRef)
    await w.stop()
  })
})

describe('a new address in the same postcode (Healthie), whose request never reached the vendor', () => {
  let hc: VendorClinic
  let hrt: Runtime
  beforeAll(async () => {
    hc = await vendorClinic('healthie', 'reconcile-edges')
  }, 60_000)
  afterAll(async () => {
    await hc?.close()
  })

  it('is sent, not counted as applied because the postcode already matches', async () => {
    hrt = await hc.open({ startSync: false })
    try {
      hrt.sync.worker(hc.connectionId)
      await hrt.sync.stop()
      const { store, w } = handWorker(hrt, hc.connectionId, hc.clock, { settleMs: 0, log: logger })
      const state = hc.sim.control.state as HealthieState
      const patientId = hc.patientIds.find((id) => {
        const ref = hrt.cache.patientRow(id)?.ref
        return !!ref && !!state.users.get(ref)?.location?.zip
      })!
      const ref = hrt.cache.patientRow(patientId)!.ref!
      const old = state.users.get(ref)!.location!
      // The patient moved from one flat to another in the same building: same postcode.
      const line = `Flat 9, ${old.line1 ?? 'Same Building'}`
      const r = await hrt.dispatch('patients.update', {
        patientId,
        changes: { address: { line, postcode: old.zip!, ...(old.city ? { city: old.city } : {}) } },
      })
      expect(r.ok).toBe(true)
      const seq = (hrt.db.prepare(`SELECT max(seq) AS seq FROM outbox`).get() as { seq: number }).seq
      // The connection drops before Healthie reads the mutation: nothing applied, outcome unknown.
      hc.sim.control.inject({ kind: 'reset-before-write', count: 1 })
      await w.drain()
      expect(store.get(seq).state).toBe('sending')
      expect(state.users.get(ref)!.location!.line1).toBe(old.line1)

      const wait = Date.parse(store.get(seq).nextAttemptAt) - hc.clock.now().getTime()
      if (wait > 0) hc.clock.advance(wait + 1)
      await w.drain()
      expect(store.get(seq).state).toBe('done')
      expect(state.users.get(ref)!.location!.line1).toBe(line)
      await w.stop()
    } finally {
      await hrt.close()
    }
  })
})

describe('Discard of a refused move whose booking went to the clinic system after the move was queued', () => {
  ownClinic()

  it('keeps the vendor id the booking learnt meanwhile, so the appointment can still be cancelled', async () => {
    const { w, store } = worker(0)
    const here = take()
    const there = takeAway(here, 3)
    const booked = await book(here, clinic.patientIds[0]!)
    // Moved before the booking was sent, to a time another desk takes at the clinic system meanwhile.
    await ok(
      rt.dispatch('appointments.reschedule', {
        appointmentId: booked.appointmentId,
        start: there.start,
        end: there.end,
      }),
    )
    const moveSeq = lastSeq()
    await otherDeskBooks(there, clinic.patientIds[1]!)

    await w.drain()
    expect(store.get(booked.seq).state).toBe('done')
    expect(store.get(moveSeq)).toMatchObject({ state: 'needs-attention', lastError: { kind: 'conflict' } })
    const ref = (await liveBookings(booked.clientRef, here))[0]!.ref!
    expect(rt.cache.appointmentRow(booked.appointmentId)?.ref).toBe(ref)

    // The receptionist keeps the old time: Discard the move.
    await ok(rt.dispatch('queue.discard', { seq: moveSeq }))
    const after = rt.cache.appointmentRow(booked.appointmentId)!
    expect(after.start).toBe(here.start)
    // The booking is at the clinic system: the copy must still know it as `ref`.
    expect(after.ref).toBe(ref)

    // And so the patient's later cancellation reaches the clinic system.
    await ok(rt.dispatch('appointments.cancel', { appointmentId: booked.appointmentId, reason: 'Unwell' }))
    const cancelSeq = lastSeq()
    await w.drain()
    expect(store.get(cancelSeq).state).toBe('done')
    expect(await liveBookings(booked.clientRef, here)).toEqual([])
    await w.stop()
  })
})

describe('a booking resent after a lost answer, refused as a conflict, then retried by the receptionist', () => {
  ownClinic()

  it('on Retry is looked for first, and once sent the late first request does not leave a second live booking', async () => {
    const { w, store } = worker(20_000)
    const slot = take()
    const booked = await book(slot, clinic.patientIds[2]!)
    // The vendor takes the booking, the connection drops, and it commits only 60 s later.
    clinic.sim.control.inject({ kind: 'late-commit', ms: 60_000, count: 1 })
    await w.drain()
    expect(store.get(booked.seq).state).toBe('sending')
    // Meanwhile another desk books the clinician then (it sees the slot free).
    const other = await otherDeskBooks(slot, clinic.patientIds[3]!)
    // Settled, nothing found: resent, and the resend is refused because of the other desk's booking.
    clinic.clock.advance(20_000)
    await w.drain()
    expect(store.get(booked.seq)).toMatchObject({ state: 'needs-attention', lastError: { kind: 'conflict' } })

    // The other desk cancels theirs; the receptionist retries this one. It goes, and is done.
    await rt.adapters.get(clinic.connectionId).cancel!({
      clientRef: randomUUID(),
      ref: other.ref!,
      reason: 'Booked by mistake',
    })
    await ok(rt.dispatch('queue.retry', { seq: booked.seq }))
    // Looked for first (the first request may yet land), settled, then sent again.
    await w.drain()
    expect(store.get(booked.seq).state).toBe('sending')
    clinic.clock.advance(20_000)
    await w.drain()
    expect(store.get(booked.seq).state).toBe('done')
    const kept = rt.cache.appointmentRow(booked.appointmentId)!.ref!

    // The first request commits late; the look for a duplicate (owed since the resend) undoes it.
    clinic.clock.advance(60_000)
    expect((await liveBookings(booked.clientRef, slot)).length).toBeGreaterThanOrEqual(1)
    await w.drain()
    clinic.clock.advance(60_000)
    await w.drain()
    expect(store.unfinished(clinic.connectionId)).toEqual([])
    expect((await liveBookings(booked.clientRef, slot)).map((a) => a.ref)).toEqual([kept])
    await w.stop()
  })
})

describe('Discard of a duplicate check that asks a person to merge a patient registered twice', () => {
  ownClinic()

  it('does not take the patient’s later edit with it (the registration itself went through)', async () => {
    const { w, store } = worker(20_000)
    // Registered; the vendor takes it, the connection drops, and it commits only 60 s later.
    clinic.sim.control.inject({ kind: 'late-commit', ms: 60_000, count: 1 })
    await ok(
      rt.dispatch('patients.create', {
        connectionId: clinic.connectionId,
        patient: { givenName: 'Ottoline', familyName: 'Quenby', birthDate: '1961-04-12' },
      }),
    )
    const createSeq = lastSeq()
    const patientId = rowOf(createSeq).entity_key.split(':')[1]!
    await w.drain()
    expect(store.get(createSeq).state).toBe('sending')
    // Settled, nothing found: registered again, done; a duplicate check is owed.
    clinic.clock.advance(20_000)
    await w.drain()
    expect(store.get(createSeq).state).toBe('done')
    const checkSeq = lastSeq()
    expect(rowOf(checkSeq)).toMatchObject({ kind: 'checkDuplicate', state: 'pending' })

    // The receptionist corrects the patient's mobile number.
    await ok(rt.dispatch('patients.update', { patientId, changes: { phone: '+447700900461' } }))
    const editSeq = lastSeq()
    expect(rowOf(editSeq)).toMatchObject({ kind: 'updatePatient', state: 'pending' })

    // The first request commits: the patient is at the clinic system twice. The check asks a person.
    clinic.clock.advance(60_000)
    await w.drain()
    expect(store.get(checkSeq)).toMatchObject({ state: 'needs-attention', lastError: { kind: 'conflict' } })
    expect(store.get(checkSeq).lastError?.message).toMatch(/then discard this item/)

    // The receptionist merges them at the clinic system, then discards this item, as it says.
    await ok(rt.dispatch('queue.discard', { seq: checkSeq }))
    // The phone correction is a change of its own: still waiting, and still shown.
    expect(store.get(editSeq).state).toBe('pending')
    expect(rt.cache.patientRow(patientId)?.phone).toBe('+447700900461')
    await w.drain()
    expect(store.get(editSeq).state).toBe('done')
    await w.stop()
  })
})

describe('Discard of a patient’s edit while a booking for that patient waits', () => {
  ownClinic()

  it('keeps the booking linked to its patient', async () => {
    // A new patient registered and booked while nothing has been sent yet (no vendor id).
    await ok(
      rt.dispatch('patients.create', {
        connectionId: clinic.connectionId,
        patient: { givenName: 'Perpetua', familyName: 'Ambrose', birthDate: '1990-09-30' },
      }),
    )
    const patientId = rowOf(lastSeq()).entity_key.split(':')[1]!
    const slot = take()
    const booked = await book(slot, patientId)
    expect(rt.cache.appointmentRow(booked.appointmentId)?.patient_id).toBe(patientId)

    // A phone number typed, then withdrawn (Discard) before it was sent.
    await ok(rt.dispatch('patients.update', { patientId, changes: { phone: '+447700900462' } }))
    const editSeq = lastSeq()
    await ok(rt.dispatch('queue.discard', { seq: editSeq }))
    expect(rt.cache.patientRow(patientId)?.phone ?? null).toBeNull()

    // The booking is still the patient's booking.
    expect(rt.cache.appointmentRow(booked.appointmentId)?.patient_id).toBe(patientId)
    const view = await ok<{ patientId?: string }>(
      rt.dispatch('appointments.get', { appointmentId: booked.appointmentId }),
    )
    expect(view.patientId).toBe(patientId)
  })
})
