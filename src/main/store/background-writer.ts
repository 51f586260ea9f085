/**
 * Bulk writes off the main thread: a worker thread (node:worker_threads) with its own connection
 * to the same encrypted file runs one prepared statement over batches of rows, so the main process
 * (which answers every IPC call) stays free while the background refresh fills the cache.
 *
 * The worker commits in short transactions (`budgetMs` of rows each, BEGIN IMMEDIATE), and before
 * each one waits while the main connection has a transaction running (the gate from
 * `writeGate`), so a receptionist's write waits at most for one short transaction; the main
 * connection's transactions are IMMEDIATE too (store/database.ts), so neither side fails on the
 * other's commit. WAL lets the main connection read (search, day book) while the worker writes.
 *
 * The key goes to the worker in memory (workerData), is used once to unlock the file the same way
 * `openDatabase` does, and is never logged or sent back; errors carry SQLite's message only.
 * The worker is source text run with `eval`, so it loads the same way from the TypeScript sources
 * (tests, benches) and from the built main bundle.
 */
import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'

const WORKER = String.raw`
const { parentPort, workerData } = require('node:worker_threads')
const Database = require(workerData.driver)
const { file, key, sql, gate, budgetMs } = workerData
const db = new Database(file)
db.pragma("cipher='sqlcipher'")
db.pragma('legacy=4')
db.pragma("hexkey='" + key + "'")
db.prepare('SELECT count(*) FROM sqlite_master').get()
db.pragma('synchronous = FULL')
db.pragma('foreign_keys = ON')
db.pragma('busy_timeout = 5000')
const statement = db.prepare(sql)
const begin = db.prepare('BEGIN IMMEDIATE')
const commit = db.prepare('COMMIT')
const rollback = db.prepare('ROLLBACK')
function mainFirst() {
  for (;;) {
    const running = Atomics.load(gate, 0)
    if (running === 0) return
    Atomics.wait(gate, 0, running, 50)
  }
}
function writeAll(rows) {
  let i = 0
  let transactions = 0
  while (i < rows.length) {
    mainFirst()
    const t0 = performance.now()
    begin.run()
    try {
      do statement.run(rows[i++])
      while (i < rows.length && performance.now() - t0 < budgetMs)
      commit.run()
      transactions++
    } catch (err) {
      if (db.inTransaction) rollback.run()
      throw err
    }
  }
  return transactions
}
parentPort.on('message', (m) => {
  if (m.type === 'close') {
    db.close()
    parentPort.close()
    return
  }
  try {
    parentPort.postMessage({ type: 'done', id: m.id, transactions: writeAll(m.rows) })
  } catch (err) {
    parentPort.postMessage({ type: 'error', id: m.id, message: err && err.message ? String(err.message) : 'write failed' })
  }
})
parentPort.postMessage({ type: 'ready' })
`

export interface BackgroundWriterOptions {
  file: string
  /** The database key (64 hex characters), as `openDatabase` takes it. */
  key: string
  /** The one statement the writer runs, with positional parameters: one row is one run. */
  sql: string
  /** The main connection's gate (`writeGate(db)`). */
  gate: Int32Array
  /** Longest a transaction of the worker's goes on taking rows before it commits; default 8 ms. */
  budgetMs?: number
}

type Reply =
  | { type: 'ready' }
  | { type: 'done'; id: number; transactions: number }
  | { type: 'error'; id: number; message: string }

export class BackgroundWriterError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'BackgroundWriterError'
  }
}

export class BackgroundWriter {
  private worker: Worker | null = null
  private nextId = 1
  private readonly pending = new Map<number, { resolve(n: number): void; reject(e: Error): void }>()
  private readonly inFlight = new Set<Promise<number>>()
  private broken: Error | null = null
  private closing: Promise<void> | null = null

  constructor(private readonly opts: BackgroundWriterOptions) {}

  /** Why the writer stopped working, or null; a stopped writer refuses every later write. */
  get failed(): Error | null {
    return this.broken
  }

  /** Writes the rows (committed when this resolves) and answers how many transactions it took. */
  write(rows: readonly (readonly unknown[])[]): Promise<number> {
    if (this.broken) return Promise.reject(this.broken)
    if (this.closing) return Promise.reject(new BackgroundWriterError('The background writer is closed.'))
    const worker = this.started()
    const id = this.nextId++
    const done = new Promise<number>((resolve, reject) => {
      this.pending.set(id, { resolve, reject })
      worker.ref()
      worker.postMessage({ type: 'write', id, rows })
    })
    this.inFlight.add(done)
    const settle = () => {
      this.inFlight.delete(done)
      // Idle, the thread keeps no process alive.
      if (this.inFlight.size === 0) this.worker?.unref()
    }
    done.then(settle, settle)
    return done
  }

  /** Lets writes under way finish, then closes the worker's connection and ends the thread. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      const worker = this.worker
      if (!worker) return
      await Promise.allSettled([...this.inFlight])
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()))
      worker.ref()
      worker.postMessage({ type: 'close' })
      await exited
      this.worker = null
    })()
    return this.closing
  }

  private started(): Worker {
    if (this.worker) return this.worker
    const worker = new Worker(WORKER, {
      eval: true,
      workerData: {
        driver: createRequire(import.meta.url).resolve('better-sqlite3-multiple-ciphers'),
        file: this.opts.file,
        key: this.opts.key,
        sql: this.opts.sql,
        gate: this.opts.gate,
        budgetMs: this.opts.budgetMs ?? 8,
      },
    })
    worker.on('message', (m: Reply) => {
      if (m.type === 'ready') return
      const p = this.pending.get(m.id)
      this.pending.delete(m.id)
      if (m.type === 'done') p?.resolve(m.transactions)
      else p?.reject(new BackgroundWriterError(`The background write failed: ${m.message}`))
    })
    const fail = (why: string) => {
      this.broken ??= new BackgroundWriterError(why)
      for (const p of this.pending.values()) p.reject(this.broken)
      this.pending.clear()
    }
    // Error messages from the worker are SQLite's or Node's; none holds the key.
    worker.on('error', (err) => fail(`The background writer stopped: ${err.message}`))
    worker.on('exit', (code) => {
      if (!this.closing) fail(`The background writer ended unexpectedly (exit code ${code}).`)
      // Ended: `close` must not wait for it to end again.
      if (this.worker === worker) this.worker = null
    })
    worker.unref()
    this.worker = worker
    return worker
  }
}
