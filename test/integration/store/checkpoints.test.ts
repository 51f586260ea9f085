/**
 * WAL checkpoints in the background writer's thread (store/checkpoints.ts), over a real encrypted
 * file and a real worker: the main connection's commits no longer copy the WAL into the file, a
 * check once the WAL has grown has the writer's thread do it, and a stopped thread hands it back
 * to the main connection rather than let the WAL grow without end.
 */
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import type { Worker } from 'node:worker_threads'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { CacheRepo } from '../../../src/main/cache/cache-repo'
import { silentLogger, type Logger } from '../../../src/main/log/logger'
import { PATIENT_UPSERT_SQL } from '../../../src/main/search'
import { BackgroundWriter } from '../../../src/main/store/background-writer'
import { Checkpoints } from '../../../src/main/store/checkpoints'
import { ConnectionsRepo } from '../../../src/main/store/connections-repo'
import { openDatabase, writeGate, type Db } from '../../../src/main/store/database'
import { tempDir } from '../../support/temp'
import { until } from '../../support/until'

const CONNECTION = 'checkpoints'
/** More frames than SQLite's own checkpoint lets the WAL hold (1,000 pages). */
const COMMITS = 600

let file: string
let db: Db
let writer: BackgroundWriter
let cache: CacheRepo
const warnings: string[] = []
const log: Logger = { ...silentLogger, warn: (msg: string) => void warnings.push(msg) }
const cleanups: (() => void | Promise<void>)[] = []

/** `COMMITS` appointments, each its own commit on the main connection (as the desk's writes are). */
function writeMany(from = 0) {
  for (let i = from; i < from + COMMITS; i++) {
    cache.putAppointment(`ap-${i}`, {
      connectionId: CONNECTION,
      ref: `ref-${i}`,
      start: new Date(Date.UTC(2026, 2, 30, 8) + i * 60_000).toISOString(),
      end: new Date(Date.UTC(2026, 2, 30, 8, 10) + i * 60_000).toISOString(),
      status: 'booked',
      note: 'x'.repeat(300),
    })
  }
}

/**
 * Frames in the WAL after one more commit, as a checkpoint on the main connection sees them
 * before copying: a handful once every earlier frame was copied (the WAL began again), else all.
 */
function framesAfterOneMoreWrite() {
  cache.setAppointmentNote('ap-0', 'one more')
  const [r] = db.pragma('wal_checkpoint(PASSIVE)') as { log: number }[]
  return r!.log
}

beforeEach(() => {
  const t = tempDir()
  cleanups.push(t.cleanup)
  file = join(t.dir, 'checkpoints.db')
  const key = randomBytes(32).toString('hex')
  db = openDatabase({ file, key })
  writer = new BackgroundWriter({ file, key, sql: PATIENT_UPSERT_SQL, gate: writeGate(db) })
  cleanups.push(
    () => void db.close(),
    () => writer.close(),
  )
  cache = new CacheRepo(db)
  new ConnectionsRepo(db).upsert({
    id: CONNECTION,
    vendor: 'healthie',
    label: 'Checkpoints',
    baseUrl: 'http://127.0.0.1:9/graphql',
    timeZone: 'Europe/London',
    locale: 'en-GB',
    options: {},
    demo: false,
  })
  warnings.length = 0
})

afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

describe('WAL checkpoints', () => {
  it("leave the main connection's commits: the WAL keeps every frame until a check", async () => {
    const checkpoints = new Checkpoints(db, file, writer, log, { everyMs: 3_600_000 })
    checkpoints.start()
    cleanups.push(() => checkpoints.stop())
    writeMany()
    // SQLite's own checkpoint would have copied them at 1,000 frames and begun the WAL again.
    const { log: frames } = await writer.checkpoint()
    expect(frames).toBeGreaterThan(1_000)
  })

  it("run in the writer's thread once the WAL has grown", async () => {
    const checkpoints = new Checkpoints(db, file, writer, log, {
      everyMs: 3_600_000,
      thresholdBytes: 1024 * 1024,
    })
    checkpoints.start()
    cleanups.push(() => checkpoints.stop())
    const asked = vi.spyOn(writer, 'checkpoint')
    writeMany()
    await checkpoints.check()
    expect(asked).toHaveBeenCalledTimes(1)
    // Copied by the writer's thread: the WAL began again at the next commit.
    expect(framesAfterOneMoreWrite()).toBeLessThan(50)
    expect(warnings).toEqual([])
  })

  it('look at the WAL on their own, every so often', async () => {
    const checkpoints = new Checkpoints(db, file, writer, log, { everyMs: 20, thresholdBytes: 1024 * 1024 })
    const asked = vi.spyOn(writer, 'checkpoint')
    checkpoints.start()
    cleanups.push(() => checkpoints.stop())
    writeMany()
    await until('a checkpoint of its own', () => asked.mock.calls.length > 0)
    await checkpoints.stop()
    expect(framesAfterOneMoreWrite()).toBeLessThan(50)
  })

  it('runs on the main connection when the writer has stopped, rather than let the WAL grow', async () => {
    const checkpoints = new Checkpoints(db, file, writer, log, { everyMs: 3_600_000 })
    checkpoints.start()
    cleanups.push(() => checkpoints.stop())
    await writer.checkpoint()
    await (writer as unknown as { worker: Worker }).worker.terminate()
    writeMany()
    await checkpoints.check()
    expect(warnings).toEqual(['checkpoint on the main connection: the background writer has stopped'])
    expect(framesAfterOneMoreWrite()).toBeLessThan(50)
  })
})
