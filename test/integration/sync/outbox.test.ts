/**
 * The outbox end to end, through the contract, against the Semble simulator over real HTTP: online
 * and offline writes, ordering per appointment, ambiguous sends reconciled, conflicts surfaced with
 * alternatives, and discard rolling the local change back. "Exactly once" is checked at the vendor
 * through the simulator's own record of writes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRuntime, type Runtime } from '../../../src/main/app/runtime'
import { silentLogger } from '../../../src/main/log/logger'
import type { ActionResult, AuditEntry, ConnectionStatus, QueueItem } from '../../../src/shared/contract'
import type { Slot } from '../../../src/shared/model'
import { testClock } from '../../support/clock'
import { until } from '../../support/until'
import { tempDir, testKeychainService } from '../../support/temp'

const CONNECTION = 'demo-semble'
/** The app's and the demo clinic's clock, pinned to a Monday morning; moved on where a test needs a later time. */
const clock = testClock()
let rt: Runtime
let cleanup: () => void
let slots: Slot[] = []
let typeRef = ''
let locationRef = ''
const patientIds: string[] = []

async function call<T>(name: string, input: unknown): Promise<T> {
  const r = await rt.dispatch(name, input)
  if (!r.ok) throw new Error(`${name}: ${r.error.code} ${r.error.message}`)
  return r.value as T
}

const semble = () => rt.sandbox!.semble
const writes = (op: string) =>
  semble()
    .control.writes()
    .filter((w) => w.operation === op && w.outcome === 'applied')
const withMarker = (op: string, clientRef: string) =>
  writes(op).filter((w) => JSON.stringify(w.input).includes(clientRef))

const queueEmpty = async () =>
  (await call<QueueItem[]>('queue.list', { connectionId: CONNECTION })).length === 0
const clientRefOf = (appointmentId: string) =>
  (
    rt.db
      .prepare(`SELECT client_ref FROM outbox WHERE entity_key = ? ORDER BY seq LIMIT 1`)
      .get(`appointment:${appointmentId}`) as {
      client_ref: string
    }
  ).client_ref

function takeSlot(): Slot {
  const s = slots.shift()
  if (!s) throw new Error('out of slots')
  return s
}

function bookInput(slot: Slot, patientId: string) {
  return {
    connectionId: CONNECTION,
    patientId,
    appointmentTypeRef: typeRef,
    practitionerRef: slot.practitionerRef!,
    locationRef,
    start: slot.start,
    end: slot.end,
    // Few patients, many bookings: overlaps are intended here.
    confirmOverlap: true,
  }
}

beforeAll(async () => {
  const t = tempDir()
  cleanup = t.cleanup
  rt = await createRuntime({
    shell: 'browser',
    version: 'test',
    dataDir: t.dir,
    profile: 'demo',
    log: silentLogger,
    keychainService: testKeychainService('outbox'),
    demoPatients: 40,
    clock,
    sync: { probeEveryMs: 100, random: () => 0.01, settleMs: { semble: 0 } },
  })
  const adapter = rt.adapters.get(CONNECTION)
  const [types, locations, found] = await Promise.all([
    adapter.listAppointmentTypes!(),
    adapter.listLocations!(),
    adapter.findPatients!({ text: '', limit: 10 }),
  ])
  typeRef = types.find((t) => t.lengthMinutes <= 30)!.ref
  locationRef = locations[0]!.ref
  for (const p of found.slice(0, 6)) patientIds.push(rt.cache.upsertPatient(p))
  const from = new Date(clock.now().getTime() + 24 * 3600_000)
  const all = await adapter.findSlots!({
    from: from.toISOString(),
    to: new Date(from.getTime() + 6 * 24 * 3600_000).toISOString(),
    appointmentTypeRef: typeRef,
    locationRef,
  })
  // One slot per practitioner-hour so our own bookings never overlap each other; soonest first, so
  // moving the clock to one slot's start leaves the rest ahead.
  const seen = new Set<string>()
  slots = [...all]
    .sort((x, y) => x.start.localeCompare(y.start))
    .filter((s) => {
      const key = `${s.practitionerRef}:${s.start.slice(0, 13)}`
      if (seen.has(key)) return false
      seen.add(key)
      return true
    })
  expect(slots.length).toBeGreaterThan(12)
  expect(patientIds.length).toBeGreaterThan(3)
})

afterAll(async () => {
  await rt?.close()
  cleanup?.()
})

describe('the outbox against Semble', () => {
  it('books online: one local transaction, then sent exactly once with its client reference', async () => {
    const r = await call<ActionResult>('appointments.book', bookInput(takeSlot(), patientIds[0]!))
    expect(r.appointment.sync).toMatch(/queued|sending|synced/)
    expect(r.message).toMatch(/^Booked: .+ — (sent to Riverside Clinic\.|sending to Riverside Clinic…)$/)
    await until('sent', queueEmpty)
    const ref = clientRefOf(r.appointment.id!)
    expect(withMarker('createBooking', ref)).toHaveLength(1)
    const after = await call<{ ref?: string; sync: string }>('appointments.get', {
      appointmentId: r.appointment.id,
    })
    expect(after.sync).toBe('synced')
    expect(after.ref).toBeTruthy()
    const audit = await call<AuditEntry[]>('audit.list', { limit: 10 })
    const entries = audit.filter((a) => a.entityId === r.appointment.id && a.action === 'book')
    expect(entries.map((a) => a.outcome)).toEqual(expect.arrayContaining(['queued', 'sent']))
    // Each entry names the patient, the "sent" one (no change of its own) by the booking it sent.
    const patient = rt.cache.patientRow(patientIds[0]!)!
    for (const e of entries)
      expect(e, e.outcome).toMatchObject({
        patientId: patientIds[0],
        patientName: `${patient.given_name} ${patient.family_name.toUpperCase()}`,
      })
  })

  it('keeps working offline and replays in order, exactly once, when the vendor returns', async () => {
    // The morning of the first appointment: arrival is only recorded on the appointment's day.
    const first = takeSlot()
    clock.advance(Date.parse(first.start) - clock.now().getTime() - 5 * 60_000)
    await semble().control.setOffline(true)
    try {
      const a = await call<ActionResult>('appointments.book', bookInput(first, patientIds[1]!))
      const b = await call<ActionResult>('appointments.book', bookInput(takeSlot(), patientIds[2]!))
      // Booked and cancelled before it ever reached the vendor.
      await call<ActionResult>('appointments.cancel', {
        appointmentId: b.appointment.id,
        reason: 'Patient rang back',
      })
      await until('offline noticed', async () => {
        const status = await call<{ connectionId: string; online: boolean }[]>('connections.status', {})
        return status.find((s) => s.connectionId === CONNECTION)?.online === false
      })
      const queued = await call<QueueItem[]>('queue.list', { connectionId: CONNECTION })
      expect(queued.map((q) => q.kind)).toEqual(['book', 'book', 'cancel'])
      // The confirmation reports the first attempt; give it time to end on a busy machine.
      rt.appointments.firstAttemptMs = 30_000
      const offlineMessage = await call<ActionResult>('appointments.markArrived', {
        appointmentId: a.appointment.id,
      }).finally(() => (rt.appointments.firstAttemptMs = 1_000))
      expect(offlineMessage.message).toContain('will be sent when Riverside Clinic is back online')
      expect(
        writes('createBooking').filter((w) =>
          JSON.stringify(w.input).includes(clientRefOf(a.appointment.id!)),
        ),
      ).toHaveLength(0)

      await semble().control.setOffline(false)
      await until('replayed', queueEmpty)
      expect(withMarker('createBooking', clientRefOf(a.appointment.id!))).toHaveLength(1)
      expect(withMarker('createBooking', clientRefOf(b.appointment.id!))).toHaveLength(1)
      const bRef = (await call<{ ref: string }>('appointments.get', { appointmentId: b.appointment.id })).ref
      expect(writes('deleteBooking').filter((w) => JSON.stringify(w.input).includes(bRef))).toHaveLength(1)
      const aRef = (await call<{ ref: string }>('appointments.get', { appointmentId: a.appointment.id })).ref
      expect(semble().control.state.bookings.get(aRef)?.bookingJourney?.arrived).toBeTruthy()
    } finally {
      await semble().control.setOffline(false)
    }
  })

  it('never shows a change waiting to be sent as undone while an earlier one is confirmed', async () => {
    await semble().control.setOffline(true)
    try {
      // Booked and cancelled before either reached the vendor; the booking is confirmed first.
      const b = await call<ActionResult>('appointments.book', bookInput(takeSlot(), patientIds[3]!))
      await call<ActionResult>('appointments.cancel', {
        appointmentId: b.appointment.id,
        reason: 'Patient rang back',
      })
      // What the desk's copy says at every step of the replay, read as each step commits.
      const seen = new Set<string>()
      const off = rt.outbox.onChange(() => seen.add(rt.cache.appointmentRow(b.appointment.id!)!.status))
      try {
        await semble().control.setOffline(false)
        await until('replayed', queueEmpty)
      } finally {
        off()
      }
      expect(withMarker('createBooking', clientRefOf(b.appointment.id!))).toHaveLength(1)
      expect([...seen]).toEqual(['cancelled'])
    } finally {
      await semble().control.setOffline(false)
    }
  })

  it('queue and connectivity events carry the connection’s status as connections.status answers it', async () => {
    await until('sent', queueEmpty)
    const carried: { name: string; status: ConnectionStatus }[] = []
    const off = rt.bus.onAny((name, payload) => {
      if (name !== 'queueChanged' && name !== 'connectivityChanged') return
      const p = payload as { connectionId: string; status: ConnectionStatus }
      if (p.connectionId === CONNECTION) carried.push({ name, status: p.status })
    })
    const statusNow = async () =>
      (await call<ConnectionStatus[]>('connections.status', {})).find((s) => s.connectionId === CONNECTION)!
    try {
      await semble().control.setOffline(true)
      await call<ActionResult>('appointments.book', bookInput(takeSlot(), patientIds[4]!))
      await until('offline noticed', () => carried.some((e) => e.name === 'connectivityChanged'))
      await until('queued and said', () => carried.at(-1)?.status.pending === 1)
      expect(carried.find((e) => e.name === 'connectivityChanged')!.status.online).toBe(false)
      expect(carried.at(-1)!.status).toEqual(await statusNow())
      await semble().control.setOffline(false)
      await until('drained', queueEmpty, 10_000)
      await until('said', () => carried.at(-1)?.status.pending === 0)
      expect(carried.at(-1)!.status).toEqual(await statusNow())
      expect(carried.filter((e) => e.name === 'connectivityChanged').at(-1)!.status.online).toBe(true)
    } finally {
      off()
      await semble().control.setOffline(false)
    }
  })

  it('drains in the order actions were taken as soon as the vendor answers again, with an event at every state change', async () => {
    const cancelled = await call<ActionResult>('appointments.book', bookInput(takeSlot(), patientIds[1]!))
    await until('sent', queueEmpty)
    await semble().control.setOffline(true)
    const seen: { seq: number; state: string }[] = []
    const off = rt.bus.onAny((name) => {
      if (name !== 'queueChanged') return
      for (const r of rt.outbox.unfinished(CONNECTION)) seen.push({ seq: r.seq, state: r.state })
    })
    try {
      const x = await call<ActionResult>('appointments.book', bookInput(takeSlot(), patientIds[2]!))
      await call<ActionResult>('appointments.cancel', {
        appointmentId: cancelled.appointment.id,
        reason: 'Rang to cancel',
      })
      const z = await call<ActionResult>('appointments.book', bookInput(takeSlot(), patientIds[3]!))
      await until('offline noticed', () => !rt.sync.state(CONNECTION).online)
      // Long backoffs, as after a long outage: draining must not wait for them once it is back.
      rt.db
        .prepare(`UPDATE outbox SET next_attempt_at = ? WHERE state = 'pending' AND last_error IS NOT NULL`)
        .run(new Date(clock.now().getTime() + 5 * 60_000).toISOString())
      const rows = rt.outbox.unfinished(CONNECTION)
      expect(rows.map((r) => r.kind)).toEqual(['book', 'cancel', 'book'])
      await semble().control.setOffline(false)
      // The probe (every 100 ms here) finds it back; the clock does not move meanwhile.
      await until('drained', queueEmpty, 10_000)
      const order = semble()
        .control.writes()
        .filter((w) => w.outcome === 'applied')
        .map((w) => JSON.stringify(w.input))
        .map((input) =>
          input.includes(clientRefOf(x.appointment.id!))
            ? 'book x'
            : input.includes(rt.cache.appointmentRow(cancelled.appointment.id!)!.ref!) &&
                !input.includes(clientRefOf(cancelled.appointment.id!))
              ? 'cancel'
              : input.includes(clientRefOf(z.appointment.id!))
                ? 'book z'
                : null,
        )
        .filter((o) => o !== null)
      expect(order).toEqual(['book x', 'cancel', 'book z'])
      // Every row was reported while on its way, not only when it finished.
      for (const r of rows) expect(seen).toContainEqual({ seq: r.seq, state: 'sending' })
    } finally {
      off()
      await semble().control.setOffline(false)
    }
  })

  it('reconciles a write applied before the connection dropped, instead of sending it twice', async () => {
    semble().control.inject({ kind: 'reset-after-write', count: 1 })
    const r = await call<ActionResult>('appointments.book', bookInput(takeSlot(), patientIds[3]!))
    await until('reconciled', queueEmpty)
    expect(withMarker('createBooking', clientRefOf(r.appointment.id!))).toHaveLength(1)
    const row = rt.db
      .prepare(`SELECT state, attempts FROM outbox WHERE entity_key = ?`)
      .get(`appointment:${r.appointment.id}`) as {
      state: string
      attempts: number
    }
    expect(row.state).toBe('done')
    const audit = rt.db
      .prepare(`SELECT detail FROM audit_log WHERE entity_id = ? AND outcome = 'sent'`)
      .get(r.appointment.id) as {
      detail: string
    }
    expect(audit.detail).toContain('found at the clinic system after an interrupted send')
  })

  it('resends a write that never arrived (reset before it was applied)', async () => {
    semble().control.inject({ kind: 'reset-before-write', count: 1 })
    const r = await call<ActionResult>('appointments.book', bookInput(takeSlot(), patientIds[3]!))
    await until('sent', queueEmpty)
    expect(withMarker('createBooking', clientRefOf(r.appointment.id!))).toHaveLength(1)
  })

  it('waits for a rate limit and a 503 without losing or doubling anything', async () => {
    semble().control.inject({ kind: 'rate-limit', retryAfterSeconds: 1, count: 1 })
    const r = await call<ActionResult>('appointments.book', bookInput(takeSlot(), patientIds[4]!))
    await until('sent after Retry-After', queueEmpty)
    semble().control.inject({ kind: 'status', status: 503, count: 2 })
    const s = await call<ActionResult>('appointments.book', bookInput(takeSlot(), patientIds[4]!))
    await until('sent after 503s', queueEmpty)
    expect(withMarker('createBooking', clientRefOf(r.appointment.id!))).toHaveLength(1)
    expect(withMarker('createBooking', clientRefOf(s.appointment.id!))).toHaveLength(1)
  })

  it('surfaces a slot taken meanwhile as needs-attention with alternatives, and discard rolls back', async () => {
    const slot = takeSlot()
    // Someone at the clinic books the slot directly in Semble; Frontdesk's copy does not know yet.
    const direct = await rt.adapters.get(CONNECTION).book!({
      clientRef: 'someone-else',
      patientRef: rt.cache.patientRow(patientIds[0]!)!.ref!,
      appointmentTypeRef: typeRef,
      practitionerRef: slot.practitionerRef!,
      locationRef,
      start: slot.start,
      end: slot.end,
    })
    expect(direct.ref).toBeTruthy()
    await semble().control.setOffline(true)
    const mine = await call<ActionResult>('appointments.book', bookInput(slot, patientIds[5]!))
    await semble().control.setOffline(false)
    await rt.sync.drain(CONNECTION)
    await until('needs attention', async () => {
      const q = await call<QueueItem[]>('queue.list', { connectionId: CONNECTION })
      return q.some((i) => i.state === 'needs-attention')
    })
    const [item] = await call<QueueItem[]>('queue.list', { connectionId: CONNECTION })
    expect(item!.error!.message).toMatch(/refused: that time is no longer free/)
    expect(item!.error!.alternatives!.length).toBeGreaterThan(0)
    expect(
      (await call<{ sync: string }>('appointments.get', { appointmentId: mine.appointment.id })).sync,
    ).toBe('needs-attention')
    expect(withMarker('createBooking', clientRefOf(mine.appointment.id!))).toHaveLength(0)

    const discarded = await call<QueueItem[]>('queue.discard', { seq: item!.seq })
    expect(discarded).toHaveLength(1)
    const gone = await rt.dispatch('appointments.get', { appointmentId: mine.appointment.id })
    expect(gone).toMatchObject({ ok: false, error: { code: 'not-found' } })
    expect(await queueEmpty()).toBe(true)
  })

  it('refuses an action the status does not allow, in plain words', async () => {
    const r = await call<ActionResult>('appointments.book', bookInput(takeSlot(), patientIds[2]!))
    await call<ActionResult>('appointments.cancel', {
      appointmentId: r.appointment.id,
      reason: 'Rang to cancel',
    })
    const again = await rt.dispatch('appointments.markArrived', { appointmentId: r.appointment.id })
    expect(again).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: 'This appointment is cancelled; it cannot be checked in now.' },
    })
    await until('sent', queueEmpty)
  })

  it('refuses bad input with a specific message and loses nothing', async () => {
    const bad = await rt.dispatch('appointments.book', {
      ...bookInput(takeSlot(), patientIds[0]!),
      start: 'tomorrow at 9',
    })
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-input', field: 'start' } })
    const reason = await rt.dispatch('appointments.cancel', { appointmentId: 'x', reason: ' ' })
    expect(reason).toMatchObject({ ok: false, error: { code: 'invalid-input', field: 'reason' } })
  })
})
