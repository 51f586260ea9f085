/**
 * A day-long outage: the Healthie connection is away while reception queues 2,000 writes over
 * 300 appointments (bookings, moves, cancellations, arrivals, no-shows). Meanwhile someone else
 * takes a handful of the same times straight at Healthie. When the vendor comes back the outbox
 * replays: every write reaches Healthie exactly once and in order per appointment, the lost slots
 * come back as needs-attention with the nearest free alternatives, and what follows them waits.
 */
import { randomUUID } from 'node:crypto'
import { DateTime } from 'luxon'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRuntime, type Runtime } from '../../../src/main/app/runtime'
import { silentLogger } from '../../../src/main/log/logger'
import { seedClinic, type SimulatorHandle } from '../../../src/sandbox'
import { mulberry32 } from '../../../src/sandbox/seed'
import { startHealthieSimulator } from '../../../src/sandbox/healthie'
import type { ActionResult } from '../../../src/shared/contract'
import type { Slot } from '../../../src/shared/model'
import { testClock } from '../../support/clock'
import { tempDir, testKeychainService } from '../../support/temp'
import { until } from '../../support/until'

type HealthieState = Awaited<ReturnType<typeof startHealthieSimulator>>['control']['state']

const ZONE = 'Europe/London'
const CONNECTION = 'outage-healthie'
const APPOINTMENTS = 300
const WRITES = 2000
/** Bookings whose time someone else takes during the outage, and moves whose target they take. */
const LOST_BOOKINGS = 4
const LOST_MOVES = 3
/**
 * The app's and Healthie's clock: 06:00 on Monday 30 March 2026 in London while the diary is read,
 * then that evening for the day's work, so every appointment of that day has started by the time
 * reception marks it arrived or a no-show.
 */
const clock = testClock(new Date('2026-03-30T05:00:00.000Z'))
const EVENING = new Date('2026-03-30T21:00:00.000Z')

type Step =
  | { kind: 'book'; slot: Slot }
  | { kind: 'reschedule'; slot: Slot }
  | { kind: 'cancel' | 'markArrived' | 'markNoShow' }

interface Plan {
  index: number
  steps: Step[]
  /** Set once the booking is queued. */
  appointmentId?: string
  /** The step whose slot someone else takes, if any. */
  lostAt?: number
}

let sim: SimulatorHandle<HealthieState>
let rt: Runtime
let cleanup: () => void
let patientIds: string[] = []
let typeRef = ''
let locationRef = ''
const slots: Slot[] = []
/** Free times on the clock's own day, for the appointments that end in an arrival or a no-show. */
const todaySlots: Slot[] = []

beforeAll(async () => {
  const t = tempDir()
  cleanup = t.cleanup
  sim = await startHealthieSimulator(
    seedClinic({ patients: 60, seed: 5, timeZone: ZONE, today: clock.now() }),
    { rateLimitPerMinute: 60_000, clock },
  )
  rt = await createRuntime({
    shell: 'browser',
    version: 'outage-test',
    dataDir: t.dir,
    profile: 'clinic',
    log: silentLogger,
    keychainService: testKeychainService('outage'),
    clock,
    sync: { random: () => 0.01, probeEveryMs: 200 },
    startSync: false,
  })
  rt.connections.upsert({
    id: CONNECTION,
    vendor: 'healthie',
    label: 'Outage Clinic',
    baseUrl: `${sim.url}/graphql`,
    timeZone: ZONE,
    locale: 'en-GB',
    options: { rateLimitPerMinute: '60000' },
    demo: false,
  })
  await rt.credentials.set(CONNECTION, { apiKey: sim.credentials.apiKey! })
  const adapter = rt.adapters.get(CONNECTION)
  const [types, locations, practitioners, patients] = await Promise.all([
    adapter.listAppointmentTypes!(),
    adapter.listLocations!(),
    adapter.listPractitioners!(),
    adapter.listPatients!({}),
  ])
  patientIds = patients.patients.map((p) => rt.cache.upsertPatient(p))
  const type = [...types].sort((a, b) => a.lengthMinutes - b.lengthMinutes)[0]!
  typeRef = type.ref
  locationRef = locations[0]!.ref
  // Free times, none overlapping another of the same practitioner: today's, and from next week on.
  const today = DateTime.fromJSDate(clock.now(), { zone: ZONE }).startOf('day')
  const from = today.plus({ days: 8 })
  const freeTimes = async (practitionerRef: string, start: DateTime, end: DateTime, into: Slot[]) => {
    const found = await adapter.findSlots!({
      from: start.toUTC().toISO()!,
      to: end.toUTC().toISO()!,
      appointmentTypeRef: typeRef,
      practitionerRef,
    })
    let lastEnd = 0
    for (const s of found.sort((a, b) => Date.parse(a.start) - Date.parse(b.start))) {
      if (Date.parse(s.start) < lastEnd) continue
      lastEnd = Date.parse(s.end)
      into.push({ ...s, practitionerRef, locationRef })
    }
  }
  for (const p of practitioners) {
    await freeTimes(p.ref, today, today.plus({ days: 1 }), todaySlots)
    for (let week = 0; week < 6 && slots.length < 3000; week++) {
      await freeTimes(p.ref, from.plus({ weeks: week }), from.plus({ weeks: week + 1 }), slots)
    }
  }
  // That evening: all of today's appointments have started, and it is still their day.
  clock.advance(EVENING.getTime() - clock.now().getTime())
}, 120_000)

afterAll(async () => {
  await rt?.close()
  await sim?.close()
  cleanup?.()
})

/** 300 appointments, each booked then moved a few times and (mostly) ended, 2,000 writes in all. */
function plans(random: () => number): Plan[] {
  const free = [...slots]
  const take = () => {
    const i = Math.floor(random() * free.length)
    return free.splice(i, 1)[0]!
  }
  const out: Plan[] = Array.from({ length: APPOINTMENTS }, (_, index) => ({
    index,
    steps: [{ kind: 'book', slot: take() } as Step],
  }))
  const endings = ['cancel', 'markArrived', 'markNoShow'] as const
  let writes = APPOINTMENTS
  // Endings for most, then moves until the day holds 2,000 writes. Arrivals and no-shows only
  // while today has free times for them; cancellations after that.
  let todayLeft = todaySlots.length
  for (const p of out) {
    if (random() < 0.8) {
      let kind = endings[Math.floor(random() * endings.length)]!
      if (kind !== 'cancel' && todayLeft-- <= 0) kind = 'cancel'
      p.steps.push({ kind })
      writes++
    }
  }
  while (writes < WRITES) {
    const p = out[Math.floor(random() * out.length)]!
    const at = p.steps.at(-1)!.kind === 'book' || p.steps.at(-1)!.kind === 'reschedule' ? p.steps.length : -1
    p.steps.splice(at === -1 ? p.steps.length - 1 : at, 0, { kind: 'reschedule', slot: take() })
    writes++
  }
  // An arrival or a no-show is only recorded on the appointment's own day: those end up today.
  const today = [...todaySlots]
  for (const p of out.filter(endsToday)) {
    const last = [...p.steps].reverse().find((s) => 'slot' in s) as { slot: Slot }
    last.slot = today.splice(Math.floor(random() * today.length), 1)[0]!
  }
  return out
}

const endsToday = (p: Plan) => ['markArrived', 'markNoShow'].includes(p.steps.at(-1)!.kind)

/** The receptionist's day, interleaved across appointments the way a front desk works. */
function interleave(all: Plan[], random: () => number): { plan: Plan; step: number }[] {
  const next = all.map(() => 0)
  const open = all.filter((p) => p.steps.length > 0).map((p) => p.index)
  const out: { plan: Plan; step: number }[] = []
  while (open.length) {
    const k = Math.floor(random() * Math.min(open.length, 40))
    const i = open[k]!
    out.push({ plan: all[i]!, step: next[i]! })
    if (++next[i]! >= all[i]!.steps.length) open.splice(k, 1)
  }
  return out
}

describe('a day offline', () => {
  it('replays 2,000 queued writes in order, exactly once, with lost slots surfaced', async () => {
    expect(slots.length).toBeGreaterThan(WRITES)
    expect(todaySlots.length).toBeGreaterThan(50)
    const random = mulberry32(20260601)
    const all = plans(random)
    const order = interleave(all, random)
    expect(order).toHaveLength(WRITES)
    const endings = all.map((p) => p.steps.at(-1)!.kind)
    for (const kind of ['cancel', 'markArrived', 'markNoShow'] as const) {
      expect(endings.filter((k) => k === kind).length).toBeGreaterThan(20)
    }

    // Someone else takes some of those times at Healthie before the outage ends (times ahead, so
    // there are free ones near them to offer).
    const ahead = all.filter((p) => !endsToday(p))
    const lostBook = ahead.slice(0, LOST_BOOKINGS)
    const lostMove = ahead.filter((p) => p.steps.some((s) => s.kind === 'reschedule')).slice(-LOST_MOVES)
    for (const p of lostBook) p.lostAt = 0
    for (const p of lostMove) p.lostAt = p.steps.findIndex((s) => s.kind === 'reschedule')
    const adapter = rt.adapters.get(CONNECTION)
    const patientRef = rt.cache.patientRow(patientIds[0]!)!.ref!
    for (const p of [...lostBook, ...lostMove]) {
      const s = p.steps[p.lostAt!] as { slot: Slot }
      await adapter.book!({
        clientRef: randomUUID(),
        patientRef,
        appointmentTypeRef: typeRef,
        practitionerRef: s.slot.practitionerRef!,
        locationRef,
        start: s.slot.start,
        end: s.slot.end,
      })
    }

    await sim.control.setOffline(true)
    const t0 = performance.now()
    for (const { plan, step } of order) {
      const s = plan.steps[step]!
      const r =
        s.kind === 'book'
          ? await rt.dispatch('appointments.book', {
              connectionId: CONNECTION,
              patientId: patientIds[plan.index % patientIds.length]!,
              appointmentTypeRef: typeRef,
              practitionerRef: s.slot.practitionerRef!,
              locationRef,
              start: s.slot.start,
              end: s.slot.end,
              // The same patient may hold two of these times at once; reception confirms it.
              confirmOverlap: true,
            })
          : s.kind === 'reschedule'
            ? await rt.dispatch('appointments.reschedule', {
                appointmentId: plan.appointmentId!,
                start: s.slot.start,
                end: s.slot.end,
                practitionerRef: s.slot.practitionerRef!,
              })
            : s.kind === 'cancel'
              ? await rt.dispatch('appointments.cancel', {
                  appointmentId: plan.appointmentId!,
                  reason: 'Patient rang to cancel',
                })
              : s.kind === 'markArrived'
                ? await rt.dispatch('appointments.markArrived', { appointmentId: plan.appointmentId! })
                : await rt.dispatch('appointments.markNoShow', { appointmentId: plan.appointmentId! })
      if (!r.ok) throw new Error(`${s.kind} of appointment ${plan.index}: ${r.error.message}`)
      plan.appointmentId ??= (r.value as ActionResult).appointment.id
      // Actions arrive over the day, not in one tick: let the sender try (and fail) in between.
      await new Promise((r) => setImmediate(r))
    }
    const queuedMs = performance.now() - t0
    expect(rt.sync.state(CONNECTION).online).toBe(false)
    expect(rt.outbox.counts(CONNECTION).pending).toBe(WRITES)
    expect(sim.control.writes().filter((w) => w.outcome === 'applied')).toHaveLength(
      LOST_BOOKINGS + LOST_MOVES,
    )

    // The vendor is back: the probe finds it and the outbox replays.
    await sim.control.setOffline(false)
    const held = all
      .filter((p) => p.lostAt !== undefined)
      .reduce((n, p) => n + p.steps.length - p.lostAt! - 1, 0)
    const t1 = performance.now()
    await rt.sync.probe(CONNECTION)
    await until(
      'the outbox to replay all but the writes held behind a lost slot',
      async () => {
        await rt.sync.drain(CONNECTION)
        return rt.outbox.counts(CONNECTION).pending <= held
      },
      90_000,
      20,
    )
    const drainMs = performance.now() - t1
    console.log(
      JSON.stringify({
        outage: { writes: WRITES, queued_ms: Math.round(queuedMs), drain_ms: Math.round(drainMs) },
      }),
    )

    // A write sent a second time leaves Frontdesk's own look for a duplicate, due after the
    // vendor's settling delay: not one of the receptionist's changes.
    const rows = rt.outbox.unfinished(CONNECTION).filter((r) => r.kind !== 'checkDuplicate')
    const attention = rows.filter((r) => r.state === 'needs-attention')
    const waiting = rows.filter((r) => r.state !== 'needs-attention')
    expect(attention).toHaveLength(LOST_BOOKINGS + LOST_MOVES)
    expect(waiting).toHaveLength(held)
    expect(waiting.every((r) => r.state === 'pending')).toBe(true)
    for (const row of attention) {
      expect(row.lastError).toMatchObject({ kind: 'conflict' })
      expect(row.lastError!.message).toMatch(/no longer free/)
      expect(row.lastError!.alternatives!.length).toBeGreaterThan(0)
    }
    const attentionByEntity = new Map(attention.map((r) => [r.entityKey, r]))

    // Healthie's own record of writes, as it applied them.
    const applied = sim.control
      .writes()
      .filter((w) => w.outcome === 'applied')
      .map((w) => (w.input as { input: Record<string, unknown> }).input)
    const done = rt.db
      .prepare(`SELECT * FROM outbox WHERE connection_id = ? AND state = 'done' ORDER BY seq`)
      .all(CONNECTION) as { entity_key: string; kind: string; client_ref: string }[]
    expect(done).toHaveLength(WRITES - attention.length - held)

    const byRef = new Map<string, Record<string, unknown>[]>()
    let ours = 0
    for (const input of applied) {
      let ref = input.id as string | undefined
      if (!ref) {
        // A booking: ours carry the client reference in metadata; the rest are someone else's.
        const own = done.find((d) => d.kind === 'book' && String(input.metadata).includes(d.client_ref))
        if (!own) continue
        ref = rt.cache.appointmentRow(own.entity_key.split(':')[1]!)!.ref!
      }
      ours++
      byRef.set(ref, [...(byRef.get(ref) ?? []), input])
    }
    expect(ours).toBe(done.length)

    const pmStatus = { cancel: 'Cancelled', markArrived: 'Checked-In', markNoShow: 'No-Show' } as const
    for (const p of all) {
      const entity = `appointment:${p.appointmentId}`
      const sent = p.lostAt === undefined ? p.steps : p.steps.slice(0, p.lostAt)
      if (p.lostAt !== undefined) {
        expect(attentionByEntity.get(entity)?.kind).toBe(p.steps[p.lostAt]!.kind)
      }
      const row = rt.cache.appointmentRow(p.appointmentId!)!
      if (sent.length === 0) {
        // Never reached Healthie: nothing there, and the cache still shows what the receptionist did.
        expect(row.ref).toBeNull()
        continue
      }
      // What Healthie applied for this appointment is exactly this appointment's writes, in order.
      const writes = byRef.get(row.ref!) ?? []
      expect(writes.map(describeWrite)).toEqual(sent.map(describeStep))
      // And its record ends where the last sent write left it.
      const vendor = sim.control.state.appointments.get(row.ref!)!
      const lastMove = [...sent].reverse().find((s) => s.kind !== 'cancel' && 'slot' in s) as { slot: Slot }
      expect(vendor.startMs).toBe(Date.parse(lastMove.slot.start))
      const ending = sent.at(-1)!.kind
      expect(vendor.pm_status).toBe(ending in pmStatus ? pmStatus[ending as keyof typeof pmStatus] : null)
      if (p.lostAt === undefined) expect(Date.parse(row.start!)).toBe(vendor.startMs)
    }
    expect(byRef.size).toBe(APPOINTMENTS - LOST_BOOKINGS)

    function describeStep(s: Step) {
      return s.kind === 'book' || s.kind === 'reschedule'
        ? `${s.kind} ${Date.parse(s.slot.start)}`
        : `status ${pmStatus[s.kind]}`
    }
    function describeWrite(w: Record<string, unknown>) {
      if (!w.id) return `book ${DateTime.fromISO(String(w.datetime)).toMillis()}`
      if (w.pm_status) return `status ${String(w.pm_status)}`
      return `reschedule ${DateTime.fromISO(String(w.datetime)).toMillis()}`
    }
  }, 180_000)
})
