/**
 * Free slots in the copy against the Semble simulator over real HTTP and a real encrypted file:
 * the background fill plans Semble's week-long, one-location `availabilities` requests and stays
 * out of the way of changes waiting to be sent; the finder answers from the copy at once and the
 * clinic system's answer follows as an event that drops a slot taken meanwhile; offline, the copy
 * answers, marked as such, without the times the local copy has booked since.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Runtime } from '../../../src/main/app/runtime'
import type { ActionResult, ReferenceData, SlotsConfirmed, SlotView } from '../../../src/shared/contract'
import { bookingOf, sembleClinic, type SembleClinic } from '../../support/semble-clinic'
import { until } from '../../support/until'
import { dispatchOk } from '../../support/dispatch'

let clinic: SembleClinic
let rt: Runtime
const confirmed: SlotsConfirmed[] = []

const ok = <T>(method: string, input: unknown) => dispatchOk<T>(rt, method, input)

const find = (extra: Record<string, unknown> = {}) =>
  ok<SlotView[]>('slots.find', {
    connectionId: clinic.connectionId,
    appointmentTypeRef: clinic.typeRef,
    days: 3,
    limit: 200,
    ...extra,
  })

const key = (s: SlotView) => `${s.start}|${s.practitionerRef}|${s.locationRef}`

beforeAll(async () => {
  clinic = await sembleClinic('slot-cache')
  rt = await clinic.open()
  rt.bus.onAny((name, payload) => {
    if (name === 'slotsConfirmed') confirmed.push(payload as SlotsConfirmed)
  })
})

afterAll(async () => {
  await rt?.close()
  await clinic?.close()
})

describe('free slots in the copy (Semble)', () => {
  it('fills 14 days with one request per location and week, for every type at once', async () => {
    const before = clinic.sim.control.requestCount()
    const summary = await rt.refresh.refreshNow(clinic.connectionId)
    const r = summary.connections[0]!
    expect(r.errors).toEqual([])
    const ref = await ok<ReferenceData>('reference.get', { connectionId: clinic.connectionId })
    expect(ref.locations.length).toBeGreaterThan(0)
    expect(r.slotRequests).toBe(2 * ref.locations.length)
    expect(clinic.sim.control.requestCount()).toBeGreaterThan(before)

    // A second fill straight after asks nothing more: every range is fresh.
    const again = (await rt.refresh.refreshNow(clinic.connectionId)).connections[0]!
    expect(again.slotRequests).toBe(0)
  })

  it('answers from the copy at once, then the clinic system drops a slot taken meanwhile', async () => {
    const cached = await find({ requestId: 'first' })
    expect(cached.length).toBeGreaterThan(0)
    expect(cached.every((s) => s.fetchedAt && !s.fromCopy)).toBe(true)
    await until('the first confirmation', () => confirmed.some((c) => c.requestId === 'first'))
    // Another user of the clinic system books a cached slot at the vendor (an hour ahead, so the
    // clock running on does not take it off the list first).
    const soon = clinic.clock.now().getTime() + 3600_000
    const taken = cached.find((s) => Date.parse(s.start) > soon)!
    const adapter = rt.adapters.get(clinic.connectionId)
    const patient = (await adapter.findPatients!({ text: '', limit: 1 }))[0]!
    await adapter.book!({
      clientRef: 'taken-elsewhere',
      patientRef: patient.ref!,
      appointmentTypeRef: clinic.typeRef,
      practitionerRef: taken.practitionerRef!,
      locationRef: taken.locationRef!,
      start: taken.start,
      end: taken.end,
    })
    confirmed.length = 0
    const shown = await find({ requestId: 'second' })
    // The copy still offers it: it was answered without asking the vendor...
    expect(shown.map(key)).toContain(key(taken))
    // ...and the vendor's answer, pushed as an event, no longer does.
    await until('the confirmation', () => confirmed.some((c) => c.requestId === 'second'))
    const c = confirmed.find((x) => x.requestId === 'second')!
    expect(c.error).toBeUndefined()
    expect(c.removed).toBeGreaterThanOrEqual(1)
    expect(c.slots.map(key)).not.toContain(key(taken))
    // The copy itself was corrected: the next answer from it lacks the slot too.
    expect((await find({ requestId: 'third' })).map(key)).not.toContain(key(taken))
  })

  it('searches so many clinic days: to the same wall time that many days on, across the clocks going back', async () => {
    // From 10:30 BST on Saturday 24 October, three days on is 10:30 GMT on Tuesday the 27th: 73
    // hours later, since the clocks go back on the Sunday. Three times 24 hours would end an hour
    // early, at 09:30 GMT, and leave out the slots between.
    const ref = await ok<ReferenceData>('reference.get', { connectionId: clinic.connectionId })
    const slots = await find({
      from: '2026-10-24T09:30:00.000Z',
      days: 3,
      practitionerRef: ref.practitioners[0]!.ref,
    })
    expect(slots.length).toBeGreaterThan(0)
    expect(slots.length, 'all of them, not a list cut at the limit').toBeLessThan(200)
    const starts = slots.map((s) => new Date(s.start).toISOString())
    expect(starts.every((s) => s >= '2026-10-24T09:30:00.000Z' && s < '2026-10-27T10:30:00.000Z')).toBe(true)
    expect(starts.filter((s) => s >= '2026-10-27T09:30:00.000Z').length).toBeGreaterThan(0)
  })

  it('without a request id asks the vendor first (callers that do not follow the event)', async () => {
    const slots = await find()
    expect(slots.length).toBeGreaterThan(0)
    expect(slots.every((s) => !s.fromCopy)).toBe(true)
  })

  it('steps aside while a change waits to be sent: writes go first', async () => {
    // Every write is refused as "busy", so the booking stays in the outbox, pending.
    clinic.sim.control.inject({ kind: 'status', status: 503, count: 1000, scope: 'writes' })
    const [slot] = await find()
    const booked = await ok<ActionResult>(
      'appointments.book',
      bookingOf(clinic, slot!, clinic.patientIds[0]!),
    )
    expect(booked.queued).toBe(true)
    await until('the booking waiting in the outbox', () => rt.outbox.counts(clinic.connectionId).pending > 0)
    // Make every range stale: a fill a quarter of an hour later would ask again.
    rt.db.prepare(`UPDATE slot_coverage SET fetched_at = '2000-01-01T00:00:00.000Z'`).run()
    const r = (await rt.refresh.refreshNow(clinic.connectionId)).connections[0]!
    expect(r.slotsYielded).toBe(true)
    expect(r.slotRequests).toBe(0)
    clinic.sim.control.clearFaults()
  })

  it('offline: offers the copy, marked, without the times booked locally since', async () => {
    await until('the outbox drained', () => rt.outbox.counts(clinic.connectionId).pending === 0, 60_000)
    await clinic.sim.control.setOffline(true)
    try {
      // Not yet known to be offline: the copy answers, and the confirmation says why it failed,
      // with the list now marked as the copy's.
      await find({ requestId: 'offline-0' })
      await until('the failed confirmation', () => confirmed.some((c) => c.requestId === 'offline-0'))
      const failed = confirmed.find((c) => c.requestId === 'offline-0')!
      expect(failed.error).toBeTruthy()
      expect(failed.slots.every((s) => s.fromCopy)).toBe(true)
      const first = await find({ requestId: 'offline-1' })
      expect(first.length).toBeGreaterThan(1)
      expect(first.every((s) => s.fromCopy && s.fetchedAt)).toBe(true)
      expect(rt.sync.state(clinic.connectionId).online).toBe(false)
      // Book one offline: queued, and the copy no longer offers that practitioner's time.
      const slot = first[0]!
      const booked = await ok<ActionResult>(
        'appointments.book',
        bookingOf(clinic, slot, clinic.patientIds[1]!),
      )
      expect(booked.queued).toBe(true)
      const after = await find({ requestId: 'offline-2' })
      expect(after.map(key)).not.toContain(key(slot))
      expect(after.length).toBeGreaterThan(0)
    } finally {
      await clinic.sim.control.setOffline(false)
    }
    // Back online, the booking is sent and confirmed by the vendor.
    await until('the offline booking sent', () => rt.outbox.counts(clinic.connectionId).pending === 0, 60_000)
  })
})
