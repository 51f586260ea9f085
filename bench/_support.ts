import { mkdtempSync, rmSync } from 'node:fs'
import { testClock } from '../test/support/clock'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createRuntime, type Runtime } from '../src/main/app/runtime'
import { silentLogger } from '../src/main/log/logger'
import { seedClinic } from '../src/sandbox'
import type { SeedPatient } from '../src/sandbox/seed'
import { startSembleSimulator } from '../src/sandbox/semble'
import type { Patient } from '../src/shared/model'

export const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN
export const round = (n: number) => Math.round(n * 1000) / 1000

/** Seeded patients as Frontdesk's cache holds them, for one connection. */
export const asCachedPatients = (seeded: SeedPatient[], connectionId: string): Patient[] =>
  seeded.map((p) => ({
    ref: p.key,
    connectionId,
    givenName: p.givenName,
    familyName: p.familyName,
    birthDate: p.birthDate,
    nhsNumber: p.nhsNumber,
    phone: p.phone,
    email: p.email,
    postcode: p.address.postcode,
  }))

/** A clinic-profile runtime on a real encrypted file in a temporary folder. */
/**
 * The benches' one clock: a Monday morning in London, running at real speed, so what they seed,
 * find free and book is the same at 07:00 and at 22:00, on any weekday.
 */
export const benchClock = testClock()

export async function benchRuntime(): Promise<{ rt: Runtime; done(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'frontdesk-bench-'))
  const rt = await createRuntime({
    shell: 'browser',
    version: 'bench',
    dataDir: dir,
    profile: 'clinic',
    log: silentLogger,
    keychainService: `Frontdesk-bench-${process.pid}`,
    startSync: false,
    backgroundRefresh: false,
    clock: benchClock,
  })
  return {
    rt,
    done: async () => {
      await rt.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** The bench's Semble clinic: a seeded simulator at Semble's documented 120 a minute, and a runtime connected to it. */
export async function benchSembleClinic(seed: { patients: number; seed: number }) {
  const connectionId = 'bench-semble'
  const clinic = seedClinic({ ...seed, timeZone: 'Europe/London', today: benchClock.now() })
  const sim = await startSembleSimulator(clinic, { rateLimitPerMinute: 120, clock: benchClock })
  const { rt, done } = await benchRuntime()
  rt.connections.upsert({
    id: connectionId,
    vendor: 'semble',
    label: 'Bench Clinic',
    baseUrl: `${sim.url}/graphql`,
    timeZone: 'Europe/London',
    locale: 'en-GB',
    options: { nhsNumberTypeId: sim.credentials.nhsNumberTypeId! },
    demo: false,
  })
  await rt.credentials.set(connectionId, { apiToken: sim.credentials.apiToken! })
  return { connectionId, clinic, sim, rt, done, adapter: rt.adapters.get(connectionId) }
}
