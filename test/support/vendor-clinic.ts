/**
 * A clinic-profile Frontdesk on a real encrypted file, connected to one vendor's simulator (any of
 * the four), with patients in the cache and free times today and later. The simulator takes
 * overlapping bookings, so a write sent twice shows up twice instead of being refused as a clash.
 * Shared by the outbox's kill-point, property and soak runs.
 */
import { createRuntime, type Runtime } from '../../src/main/app/runtime'
import { silentLogger } from '../../src/main/log/logger'
import type { SyncEngineOptions } from '../../src/main/sync/sync-engine'
import type { HttpTimeouts } from '../../src/main/vendors/http/client'
import type { OutboxKind as WriteKind } from '../../src/shared/outbox-rows'
import { seedClinic, type SimulatorHandle } from '../../src/sandbox'
import type { Clock } from '../../src/sandbox/core'
import { startHealthieSimulator } from '../../src/sandbox/healthie'
import { startHeimSimulator } from '../../src/sandbox/heim'
import { startHeroSimulator } from '../../src/sandbox/hero'
import type { SeedClinic } from '../../src/sandbox/seed'
import { startSembleSimulator } from '../../src/sandbox/semble'
import type { StartedAtClock } from '../../src/shared/clock'
import type { ReferenceData, SlotView, TraceOutcome } from '../../src/shared/contract'
import type { Patient, Vendor } from '../../src/shared/model'
import { testClock } from './clock'
import { tempDir, testKeychainService } from './temp'

export const VENDORS: readonly Vendor[] = ['semble', 'healthie', 'hero', 'heim']

/** Every kind of write an outbox row can carry, in the order a receptionist makes them. */
export const WRITE_KINDS: readonly WriteKind[] = [
  'createPatient',
  'updatePatient',
  'book',
  'reschedule',
  'cancel',
  'markArrived',
  'markNoShow',
  'updateNote',
]

/** Starts the vendor's simulator on the clinic's clock, unthrottled and taking overlapping bookings. */
const simulators: Record<Vendor, (c: SeedClinic, clock: Clock) => Promise<SimulatorHandle<unknown>>> = {
  // Semble's own default: overlapping bookings are accepted.
  semble: (c, clock) => startSembleSimulator(c, { rateLimitPerMinute: 100_000, clock }),
  healthie: async (c, clock) => {
    const sim = await startHealthieSimulator(c, { rateLimitPerMinute: 100_000, clock })
    sim.control.state.options.allowOverlaps = true
    return sim
  },
  // 0: no limit.
  hero: (c, clock) => startHeroSimulator(c, { clock, allowOverlaps: true, rateLimitPerMinute: 0 }),
  heim: (c, clock) => startHeimSimulator(c, { clock, windowCapacity: 100_000, rateLimitPerMinute: 100_000 }),
}

/** Where the connection points and what it is given, as the demo clinic connects (src/main/app/demo.ts). */
function connectionOf(
  vendor: Vendor,
  sim: SimulatorHandle<unknown>,
): { baseUrl: string; options: Record<string, string>; secrets: Record<string, string> } {
  const c = sim.credentials
  switch (vendor) {
    case 'semble':
      return {
        baseUrl: `${sim.url}/graphql`,
        options: { nhsNumberTypeId: c.nhsNumberTypeId! },
        secrets: { apiToken: c.apiToken! },
      }
    case 'healthie':
      return {
        baseUrl: `${sim.url}/graphql`,
        options: { apiVersion: '2026-01-01', rateLimitPerMinute: '100000' },
        secrets: { apiKey: c.apiKey! },
      }
    case 'hero':
      return {
        baseUrl: sim.url,
        options: { practiceGroupId: c.practiceGroupId!, rateLimitPerMinute: '100000' },
        secrets: { apiKey: c.apiKey! },
      }
    case 'heim':
      return { baseUrl: sim.url, options: { rateLimitPerMinute: '100000' }, secrets: { apiKey: c.apiKey! } }
  }
}

export interface VendorClinic {
  vendor: Vendor
  sim: SimulatorHandle<unknown>
  /** The clinic's and the app's clock; a child process is started at its `now()`. */
  clock: StartedAtClock
  connectionId: string
  dataDir: string
  keychainService: string
  /** The writes this vendor's adapter can make (a kind it lacks is never queued). */
  writes: WriteKind[]
  /** Opens (or reopens, after a "restart") the app on the same file and keychain. */
  open(opts?: {
    startSync?: boolean
    sync?: SyncEngineOptions
    httpTimeouts?: Partial<HttpTimeouts>
  }): Promise<Runtime>
  /** The credentials the connection was given, as the settings screen would save them again. */
  secrets: Record<string, string>
  typeRef: string
  locationRef?: string
  /** Local ids of patients in the cache, each known to the vendor. */
  patientIds: string[]
  /** Free times on the clinic's first day (arrivals and no-shows), then later ones; none overlap. */
  todaySlots: SlotView[]
  laterSlots: SlotView[]
  /** Moves the clinic's clock on to that day's evening, when every one of today's times has started. */
  toEvening(): void
  close(): Promise<void>
}

/** The quiet sync options: settled at once (the simulators commit at once), short backoff. */
export const quickSync = (vendor: Vendor): SyncEngineOptions => ({
  random: () => 0.01,
  probeEveryMs: 100,
  settleMs: { [vendor]: 0 },
})

export async function vendorClinic(
  vendor: Vendor,
  name: string,
  /** `laterDays`: how many days of later free times to gather (default 7, at most 28). */
  opts: { patients?: number; seed?: number; laterDays?: number } = {},
): Promise<VendorClinic> {
  const t = tempDir()
  // 06:00 in London on the tests' Monday: the whole working day is still ahead to book.
  const clock = testClock(new Date('2026-03-30T05:00:00.000Z'))
  const connectionId = `${name}-${vendor}`
  const keychainService = testKeychainService(`${name}-${vendor}`)
  const seeded = seedClinic({
    patients: opts.patients ?? 40,
    seed: opts.seed ?? 7,
    timeZone: 'Europe/London',
    today: clock.now(),
  })
  const sim = await simulators[vendor](seeded, clock)
  const open = (
    o: { startSync?: boolean; sync?: SyncEngineOptions; httpTimeouts?: Partial<HttpTimeouts> } = {},
  ) =>
    createRuntime({
      shell: 'browser',
      version: name,
      dataDir: t.dir,
      profile: 'clinic',
      log: silentLogger,
      keychainService,
      sync: o.sync ?? quickSync(vendor),
      startSync: o.startSync ?? true,
      backgroundRefresh: false,
      clock,
      ...(o.httpTimeouts ? { httpTimeouts: o.httpTimeouts } : {}),
    })
  const ok = async <T>(rt: Runtime, method: string, input: unknown): Promise<T> => {
    const r = await rt.dispatch(method, input)
    if (!r.ok) throw new Error(`${vendor} ${method}: ${r.error.code} ${r.error.message}`)
    return r.value as T
  }

  const rt = await open({ startSync: false })
  try {
    const { baseUrl, options, secrets } = connectionOf(vendor, sim)
    rt.connections.upsert({
      id: connectionId,
      vendor,
      label: `Test ${vendor}`,
      baseUrl,
      timeZone: 'Europe/London',
      locale: 'en-GB',
      options,
      demo: false,
    })
    await rt.credentials.set(connectionId, secrets)
    const adapter = rt.adapters.get(connectionId)
    const writes = WRITE_KINDS.filter((k) => typeof adapter[k] === 'function')

    let patientIds: string[]
    if (adapter.listPatients) {
      const { patients } = await adapter.listPatients({})
      // Heim visits at home: only patients it can book a visit for (phone and postcode).
      patientIds = patients
        .filter((p: Patient) => vendor !== 'heim' || (p.phone && p.postcode))
        .map((p) => rt.cache.upsertPatient(p))
    } else {
      // Hero has no patient list: the PDS trace registers and caches each one.
      patientIds = []
      for (const p of seeded.patients.slice(0, opts.patients ?? 40)) {
        const found = await ok<TraceOutcome>(rt, 'patients.trace', {
          connectionId,
          nhsNumber: p.nhsNumber,
          birthDate: p.birthDate,
        })
        if (found.outcome === 'found' && found.patient.id) patientIds.push(found.patient.id)
      }
    }

    const ref = await ok<ReferenceData>(rt, 'reference.get', { connectionId })
    const type = [...ref.appointmentTypes].sort((a, b) => a.lengthMinutes - b.lengthMinutes)[0]!
    const locationRef = ref.locations[0]?.ref
    const find = (from: Date, days: number) =>
      ok<SlotView[]>(rt, 'slots.find', {
        connectionId,
        appointmentTypeRef: type.ref,
        from: from.toISOString(),
        days,
        limit: 200,
        ...(vendor === 'heim' ? { patientId: patientIds[0] } : {}),
      })
    // One time per practitioner and hour (Heim: per window), so no two of them overlap.
    const spread = (slots: SlotView[]) => {
      const seen = new Set<string>()
      return slots.filter((s) => {
        const key = `${s.practitionerRef ?? ''}:${s.token ?? s.start.slice(0, 13)}`
        return seen.has(key) ? false : (seen.add(key), true)
      })
    }
    const todaySlots = spread(await find(clock.now(), 1))
    // A week at a time: each answer is capped at 200 times.
    const found: SlotView[] = []
    for (let day = 0; day < (opts.laterDays ?? 7); day += 7) {
      const from = new Date(clock.now().getTime() + (2 + day) * 86_400_000)
      found.push(...(await find(from, Math.min(7, (opts.laterDays ?? 7) - day))))
    }
    const laterSlots = spread(found)
    if (todaySlots.length === 0 || laterSlots.length === 0)
      throw new Error(
        `${vendor}: no free times to book (${todaySlots.length} today, ${laterSlots.length} later)`,
      )
    return {
      vendor,
      sim,
      clock,
      connectionId,
      dataDir: t.dir,
      keychainService,
      writes,
      open,
      secrets,
      typeRef: type.ref,
      ...(locationRef ? { locationRef } : {}),
      patientIds,
      todaySlots,
      laterSlots,
      toEvening: () => clock.advance(Date.parse('2026-03-30T20:30:00.000Z') - clock.now().getTime()),
      close: async () => {
        await sim.close()
        t.cleanup()
      },
    }
  } finally {
    await rt.close()
  }
}

/** The contract input for booking `slot` for a patient at this clinic. */
export const bookingAt = (c: VendorClinic, slot: SlotView, patientId: string) => ({
  connectionId: c.connectionId,
  patientId,
  appointmentTypeRef: c.typeRef,
  ...(slot.practitionerRef ? { practitionerRef: slot.practitionerRef } : {}),
  ...(c.locationRef ? { locationRef: c.locationRef } : {}),
  start: slot.start,
  end: slot.end,
  ...(slot.token ? { slotToken: slot.token } : {}),
  // The tests book many times for few patients on purpose.
  confirmOverlap: true,
})
