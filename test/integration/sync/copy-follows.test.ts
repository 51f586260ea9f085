/**
 * The local copy follows the clinic system: an appointment given to another patient there shows
 * that patient, never the one it had, and a day longer than an adapter reads is said to be partial
 * and loses nothing from the copy. Healthie simulator over real HTTP, real encrypted SQLite, the
 * real runtime's services.
 */
import { DateTime } from 'luxon'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRuntime, type Runtime } from '../../../src/main/app/runtime'
import { silentLogger } from '../../../src/main/log/logger'
import { dayBounds } from '../../../src/main/services/day-book'
import { seedClinic, type SimulatorHandle } from '../../../src/sandbox'
import { startHealthieSimulator } from '../../../src/sandbox/healthie'
import type { DayColumn } from '../../../src/shared/contract'
import { testClock } from '../../support/clock'
import { tempDir, testKeychainService } from '../../support/temp'
import { ownRefresh } from '../../support/refresh'

type HealthieState = Awaited<ReturnType<typeof startHealthieSimulator>>['control']['state']

const ZONE = 'Europe/London'
const HOUR = 3600_000
const clock = testClock()

let rt: Runtime
let cleanup: () => void
const sims: SimulatorHandle<HealthieState>[] = []

async function clinic(name: string, patients: number) {
  const sim = await startHealthieSimulator(
    seedClinic({ patients, seed: 23, timeZone: ZONE, today: clock.now() }),
    { rateLimitPerMinute: 60_000, clock },
  )
  sims.push(sim)
  const connectionId = `copy-${name}`
  rt.connections.upsert({
    id: connectionId,
    vendor: 'healthie',
    label: `Review ${name}`,
    baseUrl: `${sim.url}/graphql`,
    timeZone: ZONE,
    locale: 'en-GB',
    options: { rateLimitPerMinute: '60000' },
    demo: false,
  })
  await rt.credentials.set(connectionId, { apiKey: sim.credentials.apiKey! })
  return { sim, connectionId, state: sim.control.state }
}

const refreshFor = () => ownRefresh(rt, { now: () => clock.now() })

async function ok<T>(p: Promise<unknown>): Promise<T> {
  const r = (await p) as { ok: boolean; value?: T; error?: unknown }
  if (!r.ok) throw new Error(`call failed: ${JSON.stringify(r.error)}`)
  return r.value as T
}

const today = () => DateTime.fromJSDate(clock.now(), { zone: ZONE }).toISODate()!

beforeAll(async () => {
  const t = tempDir()
  cleanup = t.cleanup
  rt = await createRuntime({
    shell: 'browser',
    version: 'copy-follows-test',
    dataDir: t.dir,
    profile: 'clinic',
    log: silentLogger,
    keychainService: testKeychainService('copy-follows-copy'),
    sync: { random: () => 0.01, probeEveryMs: HOUR },
    startSync: false,
    // Each test runs the refreshes it means to; the runtime's own timers would race them.
    backgroundRefresh: false,
    clock,
  })
}, 60_000)

afterAll(async () => {
  await rt?.close()
  await Promise.all(sims.map((s) => s.close()))
  cleanup?.()
})

describe('the copy follows the clinic system', () => {
  it('shows the patient the clinic system now has on an appointment, not the one it had before', async () => {
    const c = await clinic('repatient', 40)
    await refreshFor().refreshNow(c.connectionId)
    const { from, to } = dayBounds(today(), ZONE)
    const appt = [...c.state.appointments.values()].find(
      (x) =>
        x.deleted_at === null && x.patientId && x.startMs >= Date.parse(from) && x.startMs < Date.parse(to),
    )!
    const old = c.state.users.get(appt.patientId!)!
    // At the clinic system the booking is corrected to another person, one the copy has not read yet.
    const other = {
      ...old,
      id: '999001',
      first_name: 'Zebedee',
      last_name: 'Quartermaine',
      dob: '1961-07-04',
    }
    c.state.users.set(other.id, other)
    appt.patientId = other.id

    const [column] = await ok<DayColumn[]>(
      rt.dispatch('appointments.day', { date: today(), connectionIds: [c.connectionId] }),
    )
    expect(column!.fromCache).toBe(false)
    const card = column!.appointments.find((x) => x.ref === appt.id)!
    expect(card.patientRef).toBe(other.id)
    // The card must not name the previous patient for a booking that is now someone else's.
    expect(card.patient?.familyName).not.toBe(old.last_name)
    expect(card.patientId).not.toBe(rt.cache.patientByRef(c.connectionId, old.id)!.id)
  }, 60_000)

  it("keeps a busy day's every appointment, and says the day is not whole, when the vendor's list runs past the pages read", async () => {
    const c = await clinic('busy', 20)
    await refreshFor().refreshToday(c.connectionId)
    const { from, to } = dayBounds(today(), ZONE)
    const inDay = () =>
      [...c.state.appointments.values()].filter(
        (x) => x.deleted_at === null && x.startMs >= Date.parse(from) && x.startMs < Date.parse(to),
      )
    const late = inDay().sort((x, y) => y.startMs - x.startMs)[0]!
    const cachedRefs = () =>
      new Set(rt.cache.appointmentsStarting(c.connectionId, from, to).map((r) => r.ref))
    expect(cachedRefs().has(late.id)).toBe(true)

    // A busy day at the clinic system: 2,100 more bookings that morning (group sessions, a clinic day).
    const template = inDay()[0]!
    const morning = DateTime.fromISO(today(), { zone: ZONE }).set({ hour: 7 }).toMillis()
    for (let i = 0; i < 2100; i++) {
      const id = String(5_000_000 + i)
      c.state.appointments.set(id, { ...template, id, startMs: morning + i * 1000, metadata: null })
    }
    const total = inDay().length

    // The day is longer than the adapter reads: said so, and nothing the copy held is dropped.
    const r = await refreshFor().refreshToday(c.connectionId)
    expect(r.connections[0]).toMatchObject({ outcome: 'partial' })
    expect(r.connections[0]!.errors.join(' ')).toMatch(/longer than Frontdesk reads at once/)
    // The late appointment is still at the clinic system; the copy must not lose it.
    expect(cachedRefs().has(late.id)).toBe(true)
    expect(total).toBeGreaterThan(2000)
  }, 120_000)
})
