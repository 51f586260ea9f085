/**
 * A vendor that commits a write 30 s after the request, long after our client gave up on it (the
 * simulator's `late-commit` fault, on the clinic's clock, not real time), against the Semble
 * simulator over real HTTP on a real encrypted file. With a settling delay longer than the commit
 * the write is found and adopted, never resent; with a shorter one it is resent, and the look
 * after the resend cancels the extra booking, or asks a person to merge the extra patient.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { Runtime } from '../../../src/main/app/runtime'
import type { QueueItem } from '../../../src/shared/contract'
import type { OutboxRepo } from '../../../src/main/sync/outbox-repo'
import type { OutboxWorker } from '../../../src/main/sync/worker'
import { handWorker } from '../../support/hand-worker'
import { bookingOf, sembleClinic, type SembleClinic } from '../../support/semble-clinic'

const COMMIT_MS = 30_000

let clinic: SembleClinic
let rt: Runtime
let nextSlot = 0

beforeAll(async () => {
  clinic = await sembleClinic('slow-vendor', { seed: 23 })
}, 60_000)

afterAll(async () => {
  await clinic?.close()
})

beforeEach(async () => {
  clinic.sim.control.clearFaults()
  rt = await clinic.open({ startSync: false })
  // The runtime's own worker stopped: the test drives one on the clinic's clock.
  rt.sync.worker(clinic.connectionId)
  await rt.sync.stop()
  return () => rt.close()
})

/** A worker on the clinic's own clock (the simulator's too), moved by hand with `advance`. */
const worker = (settleMs: number) => handWorker(rt, clinic.connectionId, clinic.clock, { settleMs })

const lastSeq = () => (rt.db.prepare(`SELECT max(seq) AS seq FROM outbox`).get() as { seq: number }).seq

async function book() {
  const slot = clinic.slots[nextSlot++]!
  const r = await rt.dispatch('appointments.book', bookingOf(clinic, slot, clinic.patientIds[nextSlot % 20]!))
  if (!r.ok) throw new Error(r.error.message)
  const seq = lastSeq()
  const row = rt.db.prepare(`SELECT client_ref, entity_key FROM outbox WHERE seq = ?`).get(seq) as {
    client_ref: string
    entity_key: string
  }
  return { seq, clientRef: row.client_ref, appointmentId: row.entity_key.split(':')[1]!, slot }
}

async function register(familyName: string) {
  const r = await rt.dispatch('patients.create', {
    connectionId: clinic.connectionId,
    patient: { givenName: 'Slow', familyName, birthDate: '1979-05-06' },
  })
  if (!r.ok) throw new Error(r.error.message)
  const seq = lastSeq()
  const row = rt.db.prepare(`SELECT entity_key FROM outbox WHERE seq = ?`).get(seq) as { entity_key: string }
  return { seq, patientId: row.entity_key.split(':')[1]! }
}

/** The vendor's live bookings carrying this client reference (cancelled ones left out). */
async function liveBookings(
  clientRef: string,
  slot: { start: string; end: string; practitionerRef?: string },
) {
  const listed = await rt.adapters.get(clinic.connectionId).listAppointments!({
    from: new Date(Date.parse(slot.start) - 3600_000).toISOString(),
    to: new Date(Date.parse(slot.end) + 3600_000).toISOString(),
    ...(slot.practitionerRef ? { practitionerRef: slot.practitionerRef } : {}),
  })
  return listed.filter((a) => a.clientRef === clientRef && a.status !== 'cancelled')
}

/** Patients the vendor holds under this family name (a read, so held commits that are due land first). */
const patientsNamed = async (familyName: string) =>
  (await rt.adapters.get(clinic.connectionId).findPatients!({ text: familyName, limit: 50 })).filter(
    (p) => p.familyName === familyName,
  )

/** The first send: the vendor takes the write, the connection drops, the commit comes 30 s later. */
async function sendIntoSlowVendor(w: OutboxWorker, store: OutboxRepo, seq: number) {
  clinic.sim.control.inject({ kind: 'late-commit', ms: COMMIT_MS, count: 1 })
  await w.drain()
  expect(store.get(seq)).toMatchObject({ state: 'sending', lastError: { kind: 'ambiguous' } })
  expect(clinic.sim.control.lateCommitsWaiting()).toBe(1)
}

describe('a vendor that commits 30 s after the request', () => {
  it('with a settling delay longer than the commit, each write reaches the vendor once and is adopted', async () => {
    const { w, store } = worker(60_000)
    const booked = await book()
    await sendIntoSlowVendor(w, store, booked.seq)
    // Looked up before the commit: nothing there yet, and nothing resent while it may still land.
    clinic.clock.advance(20_000)
    await w.drain()
    expect(store.get(booked.seq).state).toBe('sending')
    expect(await liveBookings(booked.clientRef, booked.slot)).toHaveLength(0)
    clinic.clock.advance(40_000)
    await w.drain()
    expect(store.get(booked.seq).state).toBe('done')
    expect(await liveBookings(booked.clientRef, booked.slot)).toHaveLength(1)
    expect(rt.cache.appointmentRow(booked.appointmentId)!.ref).toBe(
      (await liveBookings(booked.clientRef, booked.slot))[0]!.ref,
    )

    const patient = await register('Settled')
    await sendIntoSlowVendor(w, store, patient.seq)
    clinic.clock.advance(60_000)
    await w.drain()
    expect(store.get(patient.seq).state).toBe('done')
    const at = await patientsNamed('Settled')
    expect(at).toHaveLength(1)
    expect(rt.cache.patientRow(patient.patientId)!.ref).toBe(at[0]!.ref)
    // Nothing was resent, so there is nothing to look for afterwards.
    expect(store.unfinished(clinic.connectionId)).toEqual([])
    await w.stop()
  })

  it('a booking resent before the late commit lands twice; the look after the resend cancels the extra', async () => {
    const { w, store } = worker(20_000)
    const booked = await book()
    await sendIntoSlowVendor(w, store, booked.seq)
    // Settled (20 s) but not yet committed (30 s): the reconcile finds nothing, so it is resent.
    clinic.clock.advance(20_000)
    await w.drain()
    expect(store.get(booked.seq).lastError).toBeNull()
    expect(store.get(booked.seq).state).toBe('done')
    const kept = rt.cache.appointmentRow(booked.appointmentId)!.ref!
    const [check] = store.unfinished(clinic.connectionId)
    expect(check).toMatchObject({
      kind: 'checkDuplicate',
      state: 'pending',
      payload: {
        write: 'book',
        of: booked.seq,
        clientRef: booked.clientRef,
        appointmentId: booked.appointmentId,
      },
    })
    // The original commits at 30 s: the write is now at the vendor twice.
    clinic.clock.advance(10_000)
    expect((await liveBookings(booked.clientRef, booked.slot)).map((a) => a.ref).sort()).toHaveLength(2)
    await w.drain()
    expect(store.get(check!.seq).state).toBe('pending')
    // The resend has settled: look again, cancel the one Frontdesk does not hold.
    clinic.clock.advance(10_000)
    await w.drain()
    expect(store.get(check!.seq).state).toBe('done')
    expect((await liveBookings(booked.clientRef, booked.slot)).map((a) => a.ref)).toEqual([kept])
    const audit = rt.db
      .prepare(`SELECT detail FROM audit_log WHERE action = 'checkDuplicate' AND outcome = 'sent'`)
      .get() as { detail: string }
    expect(audit.detail).toMatch(new RegExp(`^duplicate booking .+ cancelled; ${kept} kept$`))
    await w.stop()
  })

  it('a patient resent before the late commit is registered twice; a person is asked to merge, with both ids', async () => {
    const { w, store } = worker(20_000)
    const patient = await register('Twice')
    await sendIntoSlowVendor(w, store, patient.seq)
    clinic.clock.advance(20_000)
    await w.drain()
    expect(store.get(patient.seq).state).toBe('done')
    const kept = rt.cache.patientRow(patient.patientId)!.ref!
    clinic.clock.advance(20_000)
    await w.drain()
    const refs = (await patientsNamed('Twice')).map((p) => p.ref!)
    expect(refs).toHaveLength(2)
    const other = refs.find((r) => r !== kept)!
    const listed = await rt.dispatch('queue.list', { connectionId: clinic.connectionId })
    if (!listed.ok) throw new Error(listed.error.message)
    const items = listed.value as QueueItem[]
    expect(items).toHaveLength(1)
    expect(items[0]).toMatchObject({ kind: 'checkDuplicate', state: 'needs-attention' })
    const message = items[0]!.error!.message
    expect(message).toContain('registered twice')
    expect(message).toContain(kept)
    expect(message).toContain(other)
    expect(message).toMatch(/Merge them in Test Clinic/)
    // Once merged at the vendor, a person discards the item; nothing is rolled back in Frontdesk.
    expect((await rt.dispatch('queue.discard', { seq: items[0]!.seq })).ok).toBe(true)
    expect(rt.cache.patientRow(patient.patientId)!.ref).toBe(kept)
    await w.stop()
  })
})
