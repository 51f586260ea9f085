/**
 * A clinic-profile Frontdesk on a real encrypted file, connected to its own Semble simulator, with
 * patients in the cache and a pool of free slots that never overlap each other. Shared by the
 * outbox's crash and property tests.
 */
import { createRuntime, type Runtime } from '../../src/main/app/runtime'
import { silentLogger } from '../../src/main/log/logger'
import type { SyncEngineOptions } from '../../src/main/sync/sync-engine'
import { seedClinic, type SimulatorHandle } from '../../src/sandbox'
import { startSembleSimulator, type SembleState } from '../../src/sandbox/semble'
import type { StartedAtClock } from '../../src/shared/clock'
import type { Slot } from '../../src/shared/model'
import { testClock } from './clock'
import { tempDir, testKeychainService } from './temp'

export interface SembleClinic {
  sim: SimulatorHandle<SembleState>
  /** The clinic's and the app's clock; a child process is started at its `now()`. */
  clock: StartedAtClock
  connectionId: string
  dataDir: string
  keychainService: string
  /** Opens (or reopens, after a "restart") the app on the same file and keychain. */
  open(opts?: { startSync?: boolean; sync?: SyncEngineOptions }): Promise<Runtime>
  typeRef: string
  locationRef: string
  patientIds: string[]
  /** One slot per practitioner-hour, two days out onwards. */
  slots: Slot[]
  close(): Promise<void>
}

export async function sembleClinic(
  name: string,
  opts: { patients?: number; seed?: number } = {},
): Promise<SembleClinic> {
  const t = tempDir()
  // The clinic, the app and any child process share one clock pinned to a Monday morning, so the
  // free slots (and so what the tests can book) are the same whatever day and hour they run.
  const clock = testClock()
  const connectionId = `${name}-semble`
  const keychainService = testKeychainService(name)
  const sim = await startSembleSimulator(
    seedClinic({
      patients: opts.patients ?? 30,
      seed: opts.seed ?? 7,
      timeZone: 'Europe/London',
      today: clock.now(),
    }),
    { rateLimitPerMinute: 100_000, clock },
  )
  const open = (o: { startSync?: boolean; sync?: SyncEngineOptions } = {}) =>
    createRuntime({
      shell: 'browser',
      version: name,
      dataDir: t.dir,
      profile: 'clinic',
      log: silentLogger,
      keychainService,
      sync: o.sync ?? { random: () => 0.01, probeEveryMs: 100, settleMs: { semble: 0 } },
      startSync: o.startSync ?? true,
      backgroundRefresh: false,
      clock,
    })

  const rt = await open({ startSync: false })
  rt.connections.upsert({
    id: connectionId,
    vendor: 'semble',
    label: 'Test Clinic',
    baseUrl: `${sim.url}/graphql`,
    timeZone: 'Europe/London',
    locale: 'en-GB',
    options: { nhsNumberTypeId: sim.credentials.nhsNumberTypeId! },
    demo: false,
  })
  await rt.credentials.set(connectionId, { apiToken: sim.credentials.apiToken! })
  const adapter = rt.adapters.get(connectionId)
  const [types, locations, patients] = await Promise.all([
    adapter.listAppointmentTypes!(),
    adapter.listLocations!(),
    adapter.findPatients!({ text: '', limit: 30 }),
  ])
  const typeRef = types.find((x) => x.lengthMinutes <= 30)!.ref
  const locationRef = locations[0]!.ref
  const patientIds = patients.map((p) => rt.cache.upsertPatient(p))
  const from = new Date(clock.now().getTime() + 2 * 24 * 3600_000)
  const all = await adapter.findSlots!({
    from: from.toISOString(),
    to: new Date(from.getTime() + 6 * 24 * 3600_000).toISOString(),
    appointmentTypeRef: typeRef,
    locationRef,
  })
  const seen = new Set<string>()
  const slots = all.filter((s) => {
    const key = `${s.practitionerRef}:${s.start.slice(0, 13)}`
    return seen.has(key) ? false : (seen.add(key), true)
  })
  await rt.close()
  return {
    sim,
    clock,
    connectionId,
    dataDir: t.dir,
    keychainService,
    open,
    typeRef,
    locationRef,
    patientIds,
    slots,
    close: async () => {
      await sim.close()
      t.cleanup()
    },
  }
}

/** The contract input for booking `slot` for a patient at this clinic. */
export const bookingOf = (c: SembleClinic, slot: Slot, patientId: string) => ({
  connectionId: c.connectionId,
  patientId,
  appointmentTypeRef: c.typeRef,
  practitionerRef: slot.practitionerRef!,
  locationRef: c.locationRef,
  start: slot.start,
  end: slot.end,
  // The tests book many slots for few patients on purpose.
  confirmOverlap: true,
})
