/**
 * Crash safety: a real Frontdesk process is killed with SIGKILL at random moments while it drains
 * its outbox against the Semble simulator, which also resets connections before and after
 * applying writes. After the last restart every booking is at the vendor exactly once.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRuntime } from '../../../src/main/app/runtime'
import { silentLogger } from '../../../src/main/log/logger'
import { mulberry32 } from '../../../src/sandbox/seed'
import { seedClinic, type SimulatorHandle } from '../../../src/sandbox'
import { startSembleSimulator, type SembleState } from '../../../src/sandbox/semble'
import { tempDir, testKeychainService } from '../../support/temp'

const KILLS = Number(process.env.FRONTDESK_CRASH_KILLS ?? 25)
const BOOKINGS = 30
const CONNECTION = 'crash-semble'

let sim: SimulatorHandle<SembleState>
let dataDir: string
let cleanup: () => void
const keychainService = testKeychainService('crash')
const clientRefs: string[] = []

function child(): { proc: ChildProcess; exited: Promise<number | null>; started: Promise<void> } {
  const proc = spawn(
    process.execPath,
    ['--import', 'tsx', resolve('test/support/drain-child.ts'), dataDir, keychainService, CONNECTION],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: process.env,
    },
  )
  let out = ''
  const started = new Promise<void>((ok) =>
    proc.stdout!.on('data', (c: Buffer) => {
      out += c.toString()
      if (out.includes('started')) ok()
    }),
  )
  const exited = new Promise<number | null>((ok) => proc.on('exit', (code) => ok(code)))
  return { proc, exited, started }
}

beforeAll(async () => {
  const t = tempDir()
  cleanup = t.cleanup
  dataDir = t.dir
  const clinic = seedClinic({ patients: 30, seed: 7, timeZone: 'Europe/London', today: new Date() })
  sim = await startSembleSimulator(clinic, { rateLimitPerMinute: 100_000 })

  // Set up the clinic profile once, queue the bookings without sending, and close.
  const rt = await createRuntime({
    shell: 'browser',
    version: 'crash-test',
    dataDir,
    profile: 'clinic',
    log: silentLogger,
    keychainService,
    startSync: false,
  })
  rt.connections.upsert({
    id: CONNECTION,
    vendor: 'semble',
    label: 'Crash Clinic',
    baseUrl: `${sim.url}/graphql`,
    timeZone: 'Europe/London',
    locale: 'en-GB',
    options: { nhsNumberTypeId: sim.credentials.nhsNumberTypeId! },
    demo: false,
  })
  const set = await rt.dispatch('credentials.set', {
    connectionId: CONNECTION,
    fields: { apiToken: sim.credentials.apiToken! },
  })
  expect(set.ok).toBe(true)
  await rt.sync.stop()
  const adapter = rt.adapters.get(CONNECTION)
  const [types, locations, patients] = await Promise.all([
    adapter.listAppointmentTypes!(),
    adapter.listLocations!(),
    adapter.findPatients!({ text: '', limit: 30 }),
  ])
  const type = types.find((x) => x.lengthMinutes <= 30)!
  const from = new Date(Date.now() + 2 * 24 * 3600_000)
  const slots = await adapter.findSlots!({
    from: from.toISOString(),
    to: new Date(from.getTime() + 6 * 24 * 3600_000).toISOString(),
    appointmentTypeRef: type.ref,
    locationRef: locations[0]!.ref,
  })
  const used = new Set<string>()
  const free = slots.filter((s) => {
    const key = `${s.practitionerRef}:${s.start.slice(0, 13)}`
    return used.has(key) ? false : (used.add(key), true)
  })
  for (let i = 0; i < BOOKINGS; i++) {
    const slot = free[i]!
    const patientId = rt.cache.upsertPatient(patients[i % patients.length]!)
    const r = await rt.dispatch('appointments.book', {
      connectionId: CONNECTION,
      patientId,
      appointmentTypeRef: type.ref,
      practitionerRef: slot.practitionerRef!,
      locationRef: locations[0]!.ref,
      start: slot.start,
      end: slot.end,
    })
    if (!r.ok) throw new Error(r.error.message)
  }
  for (const row of rt.db.prepare(`SELECT client_ref FROM outbox ORDER BY seq`).all() as {
    client_ref: string
  }[]) {
    clientRefs.push(row.client_ref)
  }
  await rt.close()
}, 120_000)

afterAll(async () => {
  await sim?.close()
  cleanup?.()
})

describe('killing the main process while it drains', () => {
  it(`loses nothing and duplicates nothing across ${KILLS} SIGKILLs`, async () => {
    expect(clientRefs).toHaveLength(BOOKINGS)
    const random = mulberry32(20261121)
    for (let kill = 0; kill < KILLS; kill++) {
      // Reset connections before and after the vendor applies a write, at random.
      const fault = random() < 0.5 ? 'reset-after-write' : 'reset-before-write'
      sim.control.inject({ kind: fault, count: 1 })
      const c = child()
      await c.started
      await new Promise((r) => setTimeout(r, 20 + Math.floor(random() * 400)))
      c.proc.kill('SIGKILL')
      await c.exited
      sim.control.clearFaults()
    }
    const last = child()
    const code = await Promise.race([
      last.exited,
      new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 90_000)),
    ])
    if (code === 'timeout') last.proc.kill('SIGKILL')
    expect(code).toBe(0)

    const applied = sim.control
      .writes()
      .filter((w) => w.operation === 'createBooking' && w.outcome === 'applied')
    const counts = clientRefs.map(
      (ref) => applied.filter((w) => JSON.stringify(w.input).includes(ref)).length,
    )
    const lost = counts.filter((n) => n === 0).length
    const duplicated = counts.filter((n) => n > 1).length
    expect({ lost, duplicated }).toEqual({ lost: 0, duplicated: 0 })
  }, 300_000)
})
