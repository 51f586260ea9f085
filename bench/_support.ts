import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { testClock } from '../test/support/clock'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { createRuntime, type Runtime } from '../src/main/app/runtime'
import { startBrowserHost } from '../src/main/browser-host/server'
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

/**
 * The benches' one clock: a Monday morning in London, running at real speed, so what they seed,
 * find free and book is the same at 07:00 and at 22:00, on any weekday.
 */
export const benchClock = testClock()

/** A clinic-profile runtime on a real encrypted file in a temporary folder. */
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

/**
 * The app as the browser host serves it over a bench runtime (the renderer built first when its
 * sources are newer), in one Chromium page sized like a reception PC screen. bypassCSP only lets
 * the harness evaluate its timers in the page; the app is unchanged.
 */
export async function openBenchPage(
  rt: Pick<Runtime, 'dispatch' | 'bus'>,
): Promise<{ page: Page; close(): Promise<void> }> {
  execFileSync(
    process.execPath,
    ['-e', "import('./scripts/build-if-stale.mjs').then((m) => m.buildIfStale(process.cwd()))"],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  )
  // Loaded here, not at the top: playwright-core is about 34 MB of heap (its bundled sources and
  // their code), which the benches that open no page must not carry on the main thread they time.
  const { launchChromium } = await import('../test/support/browser')
  const browser = await launchChromium()
  const host = await startBrowserHost({
    dispatch: rt.dispatch,
    bus: rt.bus,
    rendererDir: resolve('out/renderer'),
    log: silentLogger,
  }).catch(async (err: unknown) => {
    await browser.close()
    throw err
  })
  const context = await browser.newContext({
    bypassCSP: true,
    viewport: { width: 1440, height: 900 },
    locale: 'en-GB',
    timezoneId: 'Europe/London',
  })
  const page = await context.newPage()
  await page.goto(host.url)
  return {
    page,
    async close() {
      await browser.close()
      await host.close()
    },
  }
}

/** This thread's time waiting for a CPU so far (ms), where the system tells; else null. */
export function cpuWaitMs(): number | null {
  try {
    return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[1]) / 1e6
  } catch {
    return null
  }
}
