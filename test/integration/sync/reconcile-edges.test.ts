/**
 * Exactly once where a lost answer meets something else: a day refresh that lists the booking
 * before the queue finds it, a move queued behind a resent booking, and reads back that a write
 * could seem to match before it was sent (a move to another clinician at the same time, a new
 * address in the same postcode). Against the Semble (and Healthie) simulator over real HTTP on a
 * real encrypted file, as slow-vendor.test.ts; each test drives its own worker on the clinic's clock.
 */
import { randomUUID } from 'node:crypto'
import { DateTime } from 'luxon'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { Runtime } from '../../../src/main/app/runtime'
import { silentLogger, type Logger } from '../../../src/main/log/logger'
import type { OutboxRepo } from '../../../src/main/sync/outbox-repo'
import type { DayColumn } from '../../../src/shared/contract'
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

const lastSeq = () => (rt.db.prepare(`SELECT max(seq) AS seq FROM outbox`).get() as { seq: number }).seq

let nextPatient = 0
async function book(slot: Slot) {
  const r = await rt.dispatch(
    'appointments.book',
    bookingOf(clinic, slot, clinic.patientIds[nextPatient++ % clinic.patientIds.length]!),
  )
  if (!r.ok) throw new Error(r.error.message)
  const seq = lastSeq()
  const row = rt.db.prepare(`SELECT client_ref, entity_key FROM outbox WHERE seq = ?`).get(seq) as {
    client_ref: string
    entity_key: string
  }
  return { seq, clientRef: row.client_ref, appointmentId: row.entity_key.split(':')[1]! }
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
    const to = take(
      (s) =>
        s.practitionerRef === first.practitionerRef &&
        Math.abs(Date.parse(s.start) - Date.parse(first.start)) > 6 * 3600_000,
    )
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
