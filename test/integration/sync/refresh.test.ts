/**
 * Background refresh against the Semble simulator over real HTTP: reference data, the patient list
 * and the appointments of today ± 14 days land in the cache; a row with an unsent change keeps the
 * receptionist's version; the connection's limiter paces everything (no 429s); an offline
 * connection is marked offline and then left alone.
 */
import { randomUUID } from 'node:crypto'
import { DateTime } from 'luxon'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRuntime, type Runtime } from '../../../src/main/app/runtime'
import { silentLogger } from '../../../src/main/log/logger'
import { dayBounds } from '../../../src/main/services/day-book'
import { SlotCache } from '../../../src/main/slots/slot-cache'
import { SlotCacheRepo } from '../../../src/main/store/slot-cache-repo'
import type { RefreshOptions } from '../../../src/main/sync/refresh'
import type { VendorAdapter } from '../../../src/main/vendors/types'
import { seedClinic, type SimulatorHandle } from '../../../src/sandbox'
import { startHealthieSimulator } from '../../../src/sandbox/healthie'
import { startSembleSimulator, type SembleState } from '../../../src/sandbox/semble'
import type { Slot } from '../../../src/shared/model'
import { testClock } from '../../support/clock'
import { tempDir, testKeychainService } from '../../support/temp'
import { ownRefresh } from '../../support/refresh'

type HealthieState = Awaited<ReturnType<typeof startHealthieSimulator>>['control']['state']

const ZONE = 'Europe/London'
const HOUR = 3600_000
/** The clinics' and the app's one clock, pinned to a Monday morning whatever the machine's time. */
const clock = testClock()

type Sim = SimulatorHandle<SembleState> | SimulatorHandle<HealthieState>
interface Clinic<S extends Sim = Sim> {
  sim: S
  connectionId: string
}

let rt: Runtime
let cleanup: () => void
const sims: Sim[] = []
const events: { name: string; payload: Record<string, unknown> }[] = []

const refreshFor = (
  opts: RefreshOptions = {},
  adapterFor: (connectionId: string) => VendorAdapter = (id) => rt.adapters.get(id),
) => ownRefresh(rt, { now: () => clock.now(), ...opts }, { adapterFor })

async function semble(name: string, opts: { patients: number; rateLimitPerMinute: number }) {
  const sim = await startSembleSimulator(
    seedClinic({ patients: opts.patients, seed: 11, timeZone: ZONE, today: clock.now() }),
    { rateLimitPerMinute: opts.rateLimitPerMinute, clock },
  )
  return connect(name, sim, { nhsNumberTypeId: sim.credentials.nhsNumberTypeId! }, opts.rateLimitPerMinute, {
    apiToken: sim.credentials.apiToken!,
  })
}

/** Healthie lets a connection set its own limit, so these tests are not held to Semble's 120 a minute. */
async function healthie(name: string, opts: { patients: number }) {
  const sim = await startHealthieSimulator(
    seedClinic({ patients: opts.patients, seed: 11, timeZone: ZONE, today: clock.now() }),
    { rateLimitPerMinute: 60_000, clock },
  )
  return connect(name, sim, {}, 60_000, { apiKey: sim.credentials.apiKey! })
}

async function connect<S extends Sim>(
  name: string,
  sim: S,
  options: Record<string, string>,
  rateLimitPerMinute: number,
  secrets: Record<string, string>,
): Promise<Clinic<S>> {
  sims.push(sim)
  const connectionId = `refresh-${name}`
  rt.connections.upsert({
    id: connectionId,
    vendor: sim.vendor as 'semble' | 'healthie',
    label: `Refresh ${name}`,
    baseUrl: `${sim.url}/graphql`,
    timeZone: ZONE,
    locale: 'en-GB',
    options: { ...options, rateLimitPerMinute: String(rateLimitPerMinute) },
    demo: false,
  })
  await rt.credentials.set(connectionId, secrets)
  return { sim, connectionId }
}

const cached = (c: Clinic) =>
  rt.db.prepare(`SELECT * FROM appointments WHERE connection_id = ?`).all(c.connectionId) as {
    id: string
    ref: string | null
    patient_id: string | null
    start: string
    status: string
  }[]

/** Books straight at the vendor, as another user of the clinic system would. */
async function bookAtVendor(c: Clinic, fromDays: number, toDays: number) {
  const adapter = rt.adapters.get(c.connectionId)
  const [types, locations, patients] = await Promise.all([
    adapter.listAppointmentTypes!(),
    adapter.listLocations!(),
    adapter.findPatients!({ text: '', limit: 5 }),
  ])
  const practitioners = await adapter.listPractitioners!()
  const type = types.find((t) => t.lengthMinutes <= 30)!
  const today = DateTime.fromJSDate(clock.now(), { zone: ZONE }).startOf('day')
  let slot: Slot | undefined
  for (const p of practitioners) {
    ;[slot] = await adapter.findSlots!({
      from: today.plus({ days: fromDays }).toUTC().toISO()!,
      to: today.plus({ days: toDays }).toUTC().toISO()!,
      appointmentTypeRef: type.ref,
      practitionerRef: p.ref,
    })
    if (slot) break
  }
  return adapter.book!({
    clientRef: randomUUID(),
    patientRef: patients[0]!.ref!,
    appointmentTypeRef: type.ref,
    practitionerRef: slot!.practitionerRef!,
    locationRef: locations[0]!.ref,
    start: slot!.start,
    end: slot!.end,
  })
}

beforeAll(async () => {
  const t = tempDir()
  cleanup = t.cleanup
  rt = await createRuntime({
    shell: 'browser',
    version: 'refresh-test',
    dataDir: t.dir,
    profile: 'clinic',
    log: silentLogger,
    keychainService: testKeychainService('refresh'),
    // Probing is the sync engine's job; keep it out of the way so "offline" stays offline here.
    sync: { random: () => 0.01, probeEveryMs: HOUR },
    startSync: false,
    clock,
  })
  rt.bus.onAny((name, payload) => events.push({ name, payload: payload as Record<string, unknown> }))
}, 60_000)

afterAll(async () => {
  await rt?.close()
  await Promise.all(sims.map((s) => s.close()))
  cleanup?.()
})

describe('background refresh', () => {
  let fast: Clinic<SimulatorHandle<HealthieState>>

  beforeAll(async () => {
    fast = await healthie('fast', { patients: 150 })
  })

  it('brings reference data, the patient list and today ± 14 days into the cache', async () => {
    const inside = await bookAtVendor(fast, 12, 15)
    const outside = await bookAtVendor(fast, 16, 21)
    events.length = 0
    const refresh = refreshFor()
    const summary = await refresh.refreshNow(fast.connectionId)
    const r = summary.connections[0]!
    expect(r).toMatchObject({ connectionId: fast.connectionId, outcome: 'refreshed', errors: [], days: 29 })

    const { state } = fast.sim.control
    const users = [...state.users.values()]
    const count = (table: string) =>
      (
        rt.db
          .prepare(`SELECT count(*) AS n FROM ${table} WHERE connection_id = ?`)
          .get(fast.connectionId) as {
          n: number
        }
      ).n
    expect(count('practitioners')).toBe(users.filter((u) => u.kind === 'provider').length)
    expect(count('appointment_types')).toBeGreaterThan(0)
    expect(count('appointment_types')).toBe(r.appointmentTypes)
    expect(count('locations')).toBe(state.locations.size)

    // Every patient, read a page at a time (150 patients: three pages of 50).
    expect(r.patientListComplete).toBe(true)
    expect(count('patients')).toBe(users.filter((u) => u.kind === 'patient' && u.active).length)
    expect(count('patients')).toBeGreaterThan(100)

    const today = DateTime.fromJSDate(clock.now(), { zone: ZONE }).toISODate()!
    const first = dayBounds(DateTime.fromISO(today).minus({ days: 14 }).toISODate()!, ZONE).from
    const last = dayBounds(DateTime.fromISO(today).plus({ days: 14 }).toISODate()!, ZONE).to
    const expected = [...state.appointments.values()].filter(
      (a) => a.deleted_at === null && a.startMs >= Date.parse(first) && a.startMs < Date.parse(last),
    )
    const rows = cached(fast)
    expect(expected.length).toBeGreaterThan(20)
    expect(rows.map((a) => a.ref).sort()).toEqual(expected.map((b) => b.id).sort())
    expect(rows.every((a) => a.patient_id)).toBe(true)
    expect(rows.map((a) => a.ref)).toContain(inside.ref)
    expect(rows.map((a) => a.ref)).not.toContain(outside.ref)
    expect(r.appointments).toBe(expected.length)

    const progress = events.filter((e) => e.name === 'syncProgress').map((e) => e.payload)
    expect(new Set(progress.map((p) => p.phase))).toEqual(
      new Set(['reference', 'patients', 'appointments', 'done']),
    )
    expect(progress.at(-1)).toEqual({ connectionId: fast.connectionId, phase: 'done', done: 1, total: 1 })
    expect(progress.filter((p) => p.phase === 'appointments').at(-1)).toMatchObject({ done: 29, total: 29 })
    expect(rt.sync.state(fast.connectionId).lastSuccessAt).not.toBeNull()
  })

  it('drops an appointment the vendor no longer has, but keeps one with an unsent change as the receptionist left it', async () => {
    const refresh = refreshFor()
    const future = cached(fast).filter(
      (a) => a.status === 'booked' && Date.parse(a.start) > clock.now().getTime() + HOUR,
    )
    const [mine, gone] = [future[0]!, future[1]!]
    // Hold the sender so the change stays queued.
    await rt.sync.worker(fast.connectionId).stop()
    const newStart = new Date(Date.parse(mine.start) + 30 * 24 * HOUR).toISOString()
    const moved = await rt.dispatch('appointments.reschedule', {
      appointmentId: mine.id,
      start: newStart,
      end: new Date(Date.parse(newStart) + 15 * 60_000).toISOString(),
    })
    expect(moved.ok).toBe(true)
    const cancelled = await rt.dispatch('appointments.cancel', { appointmentId: mine.id, reason: 'Unwell' })
    expect(cancelled.ok).toBe(true)
    expect(rt.outbox.counts(fast.connectionId).pending).toBe(2)
    // Meanwhile the vendor loses another appointment altogether.
    fast.sim.control.state.appointments.delete(gone.ref!)

    const r = (await refresh.refreshNow(fast.connectionId)).connections[0]!
    expect(r.outcome).toBe('refreshed')
    const after = rt.cache.appointmentRow(mine.id)!
    expect(after).toMatchObject({ start: newStart, status: 'cancelled' })
    expect(fast.sim.control.state.appointments.get(mine.ref!)!.startMs).toBe(Date.parse(mine.start))
    expect(rt.cache.appointmentRow(gone.id)).toBeUndefined()
    expect(rt.outbox.counts(fast.connectionId).pending).toBe(2)
  })

  it('runs on start and on its timer, joining a refresh already under way', async () => {
    const refresh = refreshFor({ everyMinutes: 60, dayEveryMinutes: 0.004 })
    const before = fast.sim.control.requestCount()
    const twice = await Promise.all([
      refresh.refreshNow(fast.connectionId),
      refresh.refreshNow(fast.connectionId),
    ])
    expect(twice[1].connections[0]).toBe(twice[0].connections[0])
    const one = fast.sim.control.requestCount() - before

    events.length = 0
    refresh.start()
    // The start refresh of every connection, then day refreshes every quarter second or so.
    await expect
      .poll(
        () =>
          events.filter(
            (e) => e.name === 'syncProgress' && e.payload.phase === 'appointments' && e.payload.total === 1,
          ).length,
        { timeout: 10_000 },
      )
      .toBeGreaterThanOrEqual(2)
    await refresh.stop()
    const fullRuns = events.filter(
      (e) =>
        e.name === 'syncProgress' &&
        e.payload.connectionId === fast.connectionId &&
        e.payload.phase === 'appointments' &&
        e.payload.total === 29 &&
        e.payload.done === 29,
    )
    expect(fullRuns).toHaveLength(1)
    expect(one).toBeGreaterThan(29)
  })
})

describe('an offline connection', () => {
  it('is marked offline when the vendor cannot be reached, and skipped while it stays offline', async () => {
    const away = await healthie('away', { patients: 20 })
    const refresh = refreshFor()
    expect(rt.sync.state(away.connectionId).online).toBe(true)
    await away.sim.control.setOffline(true)
    events.length = 0
    const first = (await refresh.refreshNow(away.connectionId)).connections[0]!
    expect(first.outcome).toBe('offline')
    expect(rt.sync.state(away.connectionId).online).toBe(false)
    expect(events).toContainEqual({
      name: 'connectivityChanged',
      payload: expect.objectContaining({ connectionId: away.connectionId, online: false }),
    })

    // The vendor is back, but until the sync engine's probe says so the refresh leaves it alone.
    await away.sim.control.setOffline(false)
    const before = away.sim.control.requestCount()
    const all = await refresh.refreshNow()
    expect(all.connections.map((c) => [c.connectionId, c.outcome])).toEqual([
      ['refresh-fast', 'refreshed'],
      [away.connectionId, 'skipped'],
    ])
    expect(away.sim.control.requestCount()).toBe(before)
    expect(
      rt.db.prepare(`SELECT count(*) AS n FROM appointments WHERE connection_id = ?`).get(away.connectionId),
    ).toEqual({
      n: 0,
    })

    // Once the probe succeeds the connection is refreshed straight away.
    refresh.start()
    await rt.sync.probe(away.connectionId)
    await expect
      .poll(
        () =>
          (
            rt.db
              .prepare(`SELECT count(*) AS n FROM appointments WHERE connection_id = ?`)
              .get(away.connectionId) as {
              n: number
            }
          ).n,
        { timeout: 10_000 },
      )
      .toBeGreaterThan(0)
    await refresh.stop()
  }, 60_000)
})

describe('inside the vendor limit', () => {
  it('paces a full refresh with the connection limiter: the simulator at 120/min never says 429', async () => {
    const slow = await semble('paced', { patients: 150, rateLimitPerMinute: 120 })
    const counts: { at: number; n: number }[] = []
    const sample = setInterval(() => counts.push({ at: Date.now(), n: slow.sim.control.requestCount() }), 50)
    const t0 = Date.now()
    // A second service refreshing today at the same time: both take from the connection's one bucket.
    const [summary] = await Promise.all([
      refreshFor().refreshNow(slow.connectionId),
      refreshFor().refreshToday(slow.connectionId),
    ])
    clearInterval(sample)
    const seconds = (Date.now() - t0) / 1000
    expect(summary.connections[0]).toMatchObject({ outcome: 'refreshed', days: 29, errors: [] })
    const requests = slow.sim.control.requestCount()
    expect(slow.sim.control.rateLimitedCount()).toBe(0)
    expect(requests).toBeGreaterThan(40)
    // The client's bucket: a burst of 10, then 110 a minute. Nothing faster got through.
    expect(seconds).toBeGreaterThanOrEqual(((requests - 11) * 60) / 110 - 1)
    let worst = -Infinity
    for (const a of counts) {
      for (const b of counts) {
        if (b.at > a.at) worst = Math.max(worst, b.n - a.n - (11 + ((b.at - a.at + 100) * 110) / 60_000))
      }
    }
    expect(worst).toBeLessThanOrEqual(0)
  }, 60_000)
})

describe('stopping', () => {
  /**
   * A refresh of the connection through its real adapter, noting every adapter call made once
   * `stopAfter` has asked the service to stop (the app closing, which waits for the refresh).
   */
  function stoppable(c: Clinic, stopAfter: (method: string) => boolean) {
    const real = rt.adapters.get(c.connectionId)
    const afterStop: string[] = []
    let stopping = false
    const watched = new Proxy(real, {
      get(target, key, receiver) {
        const value: unknown = Reflect.get(target, key, receiver)
        if (typeof value !== 'function') return value
        return async (...args: unknown[]) => {
          if (stopping) afterStop.push(String(key))
          const answer: unknown = await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args)
          if (!stopping && stopAfter(String(key))) {
            stopping = true
            void service.stop()
          }
          return answer
        }
      },
    }) as VendorAdapter
    const service = refreshFor(
      { slotCache: new SlotCache(new SlotCacheRepo(rt.db), clock, () => false) },
      () => watched,
    )
    return { service, afterStop, stopped: () => stopping }
  }

  it('asks for none of the day’s missing patients once stopped', async () => {
    const c = await healthie('stopping-day', { patients: 40 })
    const today = dayBounds(DateTime.fromJSDate(clock.now(), { zone: ZONE }).toISODate()!, ZONE)
    // The copy knows none of these patients yet, so each would be a request of its own.
    const named = (await rt.adapters.get(c.connectionId).listAppointments!(today)).filter((a) => a.patientRef)
    expect(named.length).toBeGreaterThan(1)
    const { service, afterStop, stopped } = stoppable(c, (method) => method === 'listAppointments')
    const summary = (await service.refreshToday(c.connectionId)).connections[0]!
    expect(stopped()).toBe(true)
    expect(afterStop).toEqual([])
    expect(summary.outcome).toBe('stopped')
  })

  it('asks for no more free slots once stopped', async () => {
    const c = await healthie('stopping-slots', { patients: 20 })
    // Stopped with the first free-slot answer in: without stopping, the fill asks once per type.
    const { service, afterStop, stopped } = stoppable(c, (method) => method === 'findSlots')
    const summary = (await service.refreshNow(c.connectionId)).connections[0]!
    expect(stopped()).toBe(true)
    expect(summary.days).toBe(29)
    expect(afterStop).toEqual([])
    expect(summary.slotRequests).toBe(1)
    expect(summary.outcome).toBe('stopped')
  })
})
