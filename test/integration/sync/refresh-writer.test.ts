/**
 * The background refresh writing the patient list from its own thread (store/background-writer.ts)
 * over real HTTP from the Healthie simulator into the real encrypted file: the cache and the search
 * answers are the same as when the main thread writes them, and the main connection's own
 * read-then-write transactions keep working while the worker commits beside them. A list read
 * again unchanged writes nothing, so the main connection keeps its page cache; pages read before
 * the vendor fails are kept, and the next refresh goes on from there.
 */
import { join } from 'node:path'
import type { Worker } from 'node:worker_threads'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { createRuntime, type Runtime } from '../../../src/main/app/runtime'
import { silentLogger, type Logger } from '../../../src/main/log/logger'
import { PATIENT_UPSERT_SQL, searchPatients } from '../../../src/main/search'
import { KeychainSecretStore } from '../../../src/main/secrets/secret-store'
import { BackgroundWriter } from '../../../src/main/store/background-writer'
import { databaseKey, openDatabase, writeGate } from '../../../src/main/store/database'
import type { RefreshOptions } from '../../../src/main/sync/refresh'
import type { VendorAdapter } from '../../../src/main/vendors/types'
import { seedClinic, type SimulatorHandle } from '../../../src/sandbox'
import { startHealthieSimulator } from '../../../src/sandbox/healthie'
import { testClock } from '../../support/clock'
import { tempDir, testKeychainService } from '../../support/temp'
import { ownRefresh } from '../../support/refresh'

type HealthieState = Awaited<ReturnType<typeof startHealthieSimulator>>['control']['state']

const ZONE = 'Europe/London'
const PATIENTS = 2_000
const clock = testClock()
const service = testKeychainService('refresh-writer')

let rt: Runtime
let dir: string
let cleanup: () => void
let writer: BackgroundWriter
let writerKey: string
const sims: SimulatorHandle<HealthieState>[] = []
const warnings: string[] = []
const log: Logger = { ...silentLogger, warn: (msg: string) => void warnings.push(msg) }

/** Two clinic systems holding the same seeded patients, one connection each. */
async function clinic(name: string) {
  const sim = await startHealthieSimulator(
    seedClinic({ patients: PATIENTS, seed: 23, timeZone: ZONE, today: clock.now() }),
    { rateLimitPerMinute: 600_000, clock },
  )
  sims.push(sim)
  const connectionId = `writer-${name}`
  rt.connections.upsert({
    id: connectionId,
    vendor: 'healthie',
    label: `Writer ${name}`,
    baseUrl: `${sim.url}/graphql`,
    timeZone: ZONE,
    locale: 'en-GB',
    options: { rateLimitPerMinute: '600000' },
    demo: false,
  })
  await rt.credentials.set(connectionId, { apiKey: sim.credentials.apiKey! })
  return connectionId
}

const refreshFor = (opts: RefreshOptions, adapterFor = (id: string) => rt.adapters.get(id)) =>
  ownRefresh(
    rt,
    // Only the patient list: every page of it in one run.
    { now: () => clock.now(), patientPagesPerRun: 100, windowDays: 0, ...opts },
    { adapterFor, log },
  )

beforeAll(async () => {
  const t = tempDir()
  dir = t.dir
  cleanup = t.cleanup
  rt = await createRuntime({
    shell: 'browser',
    version: 'refresh-writer-test',
    dataDir: dir,
    profile: 'clinic',
    log: silentLogger,
    keychainService: service,
    startSync: false,
    backgroundRefresh: false,
    clock,
  })
  const file = join(dir, 'clinic.db')
  writerKey = await databaseKey(new KeychainSecretStore(service), 'clinic', file)
  // A small budget: many short transactions, so the main connection's own meet them often.
  writer = new BackgroundWriter({
    file,
    key: writerKey,
    sql: PATIENT_UPSERT_SQL,
    gate: writeGate(rt.db),
    budgetMs: 1,
  })
}, 60_000)

afterAll(async () => {
  await writer?.close()
  await rt?.close()
  await Promise.all(sims.map((s) => s.close()))
  cleanup?.()
})

type Cached = {
  ref: string
  given_name: string
  family_name: string
  birth_date: string
  nhs_number: string | null
  phone: string | null
  email: string | null
  postcode: string | null
}
const cachedPatients = (connectionId: string) =>
  rt.db
    .prepare(
      `SELECT ref, given_name, family_name, birth_date, nhs_number, phone, email, postcode FROM patients
       WHERE connection_id = ? ORDER BY ref`,
    )
    .all(connectionId) as Cached[]

describe('the patient list written by the background writer', () => {
  it('gives the same cache and the same search answers as writing on the main thread', async () => {
    const [byWorker, byMain] = [await clinic('worker'), await clinic('main')]
    const writes: number[] = []
    const counted = counting(writes)

    // Meanwhile the main connection reads and then writes in one transaction, again and again, as
    // the outbox does: a commit of the worker's between its read and its write must never fail it.
    let filling = true
    let mainTransactions = 0
    const touch = rt.db.transaction((connectionId: string) => {
      const { n } = rt.db.prepare('SELECT count(*) AS n FROM patients').get() as { n: number }
      rt.db.prepare('UPDATE connections SET label = ? WHERE id = ?').run(`Writer main ${n}`, connectionId)
    })
    const alongside = (async () => {
      while (filling) {
        touch(byMain)
        mainTransactions++
        await new Promise((r) => setImmediate(r))
      }
    })()
    const viaWorker = await refreshFor({ writer: counted })
      .refreshNow(byWorker)
      .finally(() => (filling = false))
    await alongside
    const viaMain = await refreshFor({}).refreshNow(byMain)

    expect(viaWorker.connections[0]).toMatchObject({
      outcome: 'refreshed',
      errors: [],
      patientListComplete: true,
    })
    expect(viaMain.connections[0]).toMatchObject({
      outcome: 'refreshed',
      errors: [],
      patientListComplete: true,
    })
    expect(warnings).toEqual([])
    expect(writer.failed).toBeNull()
    // Healthie's pages hold 50 patients, one write a page.
    expect(writes).toHaveLength(Math.ceil(viaWorker.connections[0]!.patientsListed / 50))
    expect(sum(writes)).toBe(viaWorker.connections[0]!.patientsListed)
    expect(mainTransactions).toBeGreaterThan(10)

    const active = [...sims[0]!.control.state.users.values()].filter((u) => u.kind === 'patient' && u.active)
    const workerRows = cachedPatients(byWorker)
    expect(workerRows).toHaveLength(active.length)
    expect(workerRows.length).toBeGreaterThan(PATIENTS / 2)
    expect(workerRows).toEqual(cachedPatients(byMain))

    // Search finds them the same way in both connections: name prefixes, full names, NHS numbers.
    const refsOf = (text: string, connectionId: string) =>
      searchPatients(rt.db, { text, today: '2026-03-30', connectionIds: [connectionId], limit: 500 })
        .results.map((h) => h.ref)
        .sort()
    for (const p of workerRows.filter((_, i) => i % 97 === 0)) {
      for (const text of [
        p.family_name.slice(0, 3),
        `${p.given_name} ${p.family_name}`,
        p.nhs_number ?? p.family_name,
      ]) {
        const found = refsOf(text, byWorker)
        expect(found, text).toContain(p.ref)
        expect(found, text).toEqual(refsOf(text, byMain))
      }
    }
  }, 180_000)

  it('writes nothing for a list read again unchanged, and only the patient who changed', async () => {
    const [byWorker, byMain] = [await clinic('again-worker'), await clinic('again-main')]
    const [workerSim, mainSim] = sims.slice(-2)
    for (const [i, connectionId] of [byWorker, byMain].entries())
      await refreshFor(i === 0 ? { writer } : {}).refreshNow(connectionId)
    // Another connection's view: `data_version` moves only when some other connection commits.
    const reader = openDatabase({ file: join(dir, 'clinic.db'), key: writerKey })
    const version = () => reader.pragma('data_version', { simple: true }) as number
    try {
      const rows = rt.db
        .prepare(
          `SELECT id, connection_id, ref, given_name, family_name, birth_date, nhs_number, phone, email,
             postcode, updated_at, fetched_at FROM patients WHERE connection_id = ? ORDER BY ref`,
        )
        .raw()
        .all(byWorker) as unknown[][]
      const before = version()
      await writer.write(rows.map((r) => [...r.slice(0, 11), '2099-01-01T00:00:00Z']))
      expect(version(), 'the worker committed a write for unchanged patients').toBe(before)

      // Each clinic system changes one patient's phone; both lists are read again an hour later.
      const changed = [workerSim!, mainSim!].map((sim) => {
        const user = [...sim.control.state.users.values()].find((u) => u.kind === 'patient' && u.active)!
        user.phone_number = '+44 20 7946 0999'
        return user.id
      })
      clock.advance(60 * 60_000)
      const later = clock.now().toISOString()
      for (const [i, connectionId] of [byWorker, byMain].entries()) {
        const r = await refreshFor(i === 0 ? { writer } : {}).refreshNow(connectionId)
        expect(r.connections[0]).toMatchObject({
          outcome: 'refreshed',
          errors: [],
          patientListComplete: true,
        })
        const written = rt.db
          .prepare('SELECT ref, phone FROM patients WHERE connection_id = ? AND fetched_at >= ?')
          .all(connectionId, later)
        expect(written, connectionId).toEqual([{ ref: changed[i], phone: '+442079460999' }])
      }
    } finally {
      reader.close()
    }
  }, 180_000)

  it('keeps the pages it read when the clinic system fails part way through, and goes on from the page that failed', async () => {
    const connectionId = await clinic('cut-short')
    const sim = sims.at(-1)!
    const writes: number[] = []
    const counted = counting(writes)
    // The real adapter over HTTP; the clinic system starts failing once the twelfth page is in.
    const cursors: (string | undefined)[] = []
    const listed: number[] = []
    const adapterFor = (id: string) => {
      const real = rt.adapters.get(id)
      return Object.assign(Object.create(real) as VendorAdapter, {
        listPatients: async (q: { cursor?: string }) => {
          cursors.push(q.cursor)
          const page = await real.listPatients!(q)
          listed.push(page.patients.length)
          if (listed.length === 12)
            sim.control.inject({ kind: 'status', status: 503, count: 1000, scope: 'reads' })
          return page
        },
      })
    }
    const service = refreshFor({ writer: counted }, adapterFor)
    const first = (await service.refreshNow(connectionId)).connections[0]!
    expect(first.outcome).toBe('failed')
    expect(first.patientsListed).toBe(sum(listed))
    expect(listed).toHaveLength(12)
    expect(writes).toEqual(listed)
    expect(cachedPatients(connectionId)).toHaveLength(sum(listed))

    // Once it answers again, the list goes on from the page that failed, to its end.
    sim.control.clearFaults()
    const failedAt = cursors[12]
    expect(failedAt).toBeTruthy()
    const second = (await service.refreshNow(connectionId)).connections[0]!
    expect(second).toMatchObject({ outcome: 'refreshed', errors: [], patientListComplete: true })
    expect(cursors[13]).toBe(failedAt)
    const active = [...sim.control.state.users.values()].filter((u) => u.kind === 'patient' && u.active)
    expect(cachedPatients(connectionId)).toHaveLength(active.length)
  }, 180_000)

  it('writes on the main thread when the writer stops part way through the list, and closes without waiting for it', async () => {
    const connectionId = await clinic('writer-stops')
    const own = new BackgroundWriter({
      file: join(dir, 'clinic.db'),
      key: writerKey,
      sql: PATIENT_UPSERT_SQL,
      gate: writeGate(rt.db),
    })
    // Its thread started (an empty write), then ended as the fourth page comes in.
    await own.write([])
    let pages = 0
    const adapterFor = (id: string) => {
      const real = rt.adapters.get(id)
      return Object.assign(Object.create(real) as VendorAdapter, {
        listPatients: async (q: { cursor?: string }) => {
          const page = await real.listPatients!(q)
          if (++pages === 4) await (own as unknown as { worker: Worker }).worker.terminate()
          return page
        },
      })
    }
    const r = (await refreshFor({ writer: own }, adapterFor).refreshNow(connectionId)).connections[0]!
    expect(r).toMatchObject({ outcome: 'refreshed', errors: [], patientListComplete: true })
    expect(own.failed?.message).toMatch(/ended unexpectedly/)
    const active = [...sims.at(-1)!.control.state.users.values()].filter(
      (u) => u.kind === 'patient' && u.active,
    )
    expect(cachedPatients(connectionId)).toHaveLength(active.length)
    // Closing (the app quitting) does not wait for the ended thread to end again.
    let closed = false
    void own.close().then(() => (closed = true))
    await vi.waitFor(() => expect(closed, 'close() is still waiting').toBe(true), { timeout: 10_000 })
  }, 180_000)
})

const sum = (ns: number[]) => ns.reduce((a, b) => a + b, 0)

/** The test's writer, noting how many rows each write wrote. */
function counting(writes: number[]): BackgroundWriter {
  return Object.assign(Object.create(writer) as BackgroundWriter, {
    write: (rows: unknown[][]) => {
      writes.push(rows.length)
      return writer.write(rows)
    },
  })
}
