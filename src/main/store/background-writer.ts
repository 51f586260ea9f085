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
 * A list read in passes (the patient list, page after page) can have the worker keep the keys each
 * pass saw (`note`), in its own memory, and at the end of a whole pass run a caller's statements
 * over the rows the pass did not see (`sweep`): first a read outside any transaction, then one
 * short write. So the main thread neither holds nor sends a whole list's keys, and a list read
 * again unchanged still commits nothing.
 *
 * It also runs the WAL checkpoints the main connection leaves to it (store/checkpoints.ts).
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
// A sweep's list of keys is a temporary index: kept in memory, never a file beside the database.
db.pragma('temp_store = MEMORY')
const statement = db.prepare(sql)
const statements = new Map()
function prepared(text) {
  let s = statements.get(text)
  if (!s) statements.set(text, (s = db.prepare(text)))
  return s
}
// Per pass: the keys it saw, and how many were noted (compared with the caller's count).
const passes = new Map()
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
function note(m) {
  let pass = passes.get(m.pass)
  if (!pass) passes.set(m.pass, (pass = { keys: new Set(), noted: 0 }))
  for (const key of m.keys) pass.keys.add(key)
  pass.noted += m.keys.length
}
// The rows the pass did not see, read without holding the write lock; then one short write.
function sweep(m) {
  const pass = passes.get(m.pass)
  passes.delete(m.pass)
  const noted = pass ? pass.noted : 0
  if (noted !== m.expected) throw new Error('the pass has ' + noted + ' keys here, not ' + m.expected)
  const keys = pass ? [...pass.keys] : []
  const rows = prepared(m.select).raw().all({ ...m.params, listed: JSON.stringify(keys) })
  if (rows.length === 0) return []
  mainFirst()
  begin.run()
  try {
    const changed = prepared(m.update).raw().all({ ...m.params, candidates: JSON.stringify(rows.map((r) => r[0])) })
    commit.run()
    return changed
  } catch (err) {
    if (db.inTransaction) rollback.run()
    throw err
  }
}
parentPort.on('message', (m) => {
  if (m.type === 'close') {
    db.close()
    parentPort.close()
    return
  }
  if (m.type === 'note') return note(m)
  if (m.type === 'forget') return void passes.delete(m.pass)
  try {
    if (m.type === 'sweep') parentPort.postMessage({ type: 'swept', id: m.id, rows: sweep(m) })
    else if (m.type === 'checkpoint') {
      // PASSIVE: copies what no reader still needs, and waits for no one.
      const [r] = db.pragma('wal_checkpoint(PASSIVE)')
      parentPort.postMessage({ type: 'checkpointed', id: m.id, log: r.log, checkpointed: r.checkpointed })
    } else parentPort.postMessage({ type: 'done', id: m.id, transactions: writeAll(m.rows) })
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
  | { type: 'swept'; id: number; rows: unknown[][] }
  | { type: 'checkpointed'; id: number; log: number; checkpointed: number }
  | { type: 'error'; id: number; message: string }

/** The statements of a sweep (see `BackgroundWriter.sweep`). */
export interface Sweep {
  /** Reads the rows the pass did not see: its keys come as `@listed`, a JSON array. */
  select: string
  /** Writes them: the first column of each row read comes as `@candidates`, a JSON array. */
  update: string
  /** Named parameters of both. */
  params: Record<string, string | number | null>
  /** How many keys the caller noted for the pass: the sweep is refused if the worker holds another count. */
  expected: number
}

// One sequence for every writer: a writer reached through another object (a test's wrapper)
// never reuses an id still waiting for its answer.
let lastId = 0

export class BackgroundWriterError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'BackgroundWriterError'
  }
}

export class BackgroundWriter {
  private worker: Worker | null = null
  private readonly pending = new Map<number, { resolve(answer: never): void; reject(e: Error): void }>()
  private readonly inFlight = new Set<Promise<unknown>>()
  private broken: Error | null = null
  private closing: Promise<void> | null = null

  constructor(private readonly opts: BackgroundWriterOptions) {}

  /** Why the writer stopped working, or null; a stopped writer refuses every later write. */
  get failed(): Error | null {
    return this.broken
  }

  /** Writes the rows (committed when this resolves) and answers how many transactions it took. */
  write(rows: readonly (readonly unknown[])[]): Promise<number> {
    return this.ask<number>({ type: 'write', rows })
  }

  /**
   * Notes keys a pass saw (after their rows are written), kept in the worker until the pass is
   * swept or forgotten. Nothing is answered: a lost note shows as a wrong count at the sweep.
   */
  note(pass: string, keys: readonly string[]): void {
    if (this.broken || this.closing) return
    this.started().postMessage({ type: 'note', pass, keys })
  }

  /** Drops the keys of a pass that will not be swept (cut short). */
  forget(pass: string): void {
    if (this.broken || this.closing || !this.worker) return
    this.worker.postMessage({ type: 'forget', pass })
  }

  /**
   * At the end of a whole pass: reads the rows it did not see and writes them, in the worker's
   * thread; answers the rows the update returned. The pass's keys are dropped either way.
   */
  sweep(pass: string, sweep: Sweep): Promise<unknown[][]> {
    return this.ask<unknown[][]>({ type: 'sweep', pass, ...sweep })
  }

  /**
   * Copies the WAL's frames into the database file from the worker's thread (a PASSIVE checkpoint):
   * answers how many frames the WAL holds and how many of them are in the file now.
   */
  checkpoint(): Promise<{ log: number; checkpointed: number }> {
    return this.ask<{ log: number; checkpointed: number }>({ type: 'checkpoint' })
  }

  private ask<T>(message: Record<string, unknown>): Promise<T> {
    if (this.broken) return Promise.reject(this.broken)
    if (this.closing) return Promise.reject(new BackgroundWriterError('The background writer is closed.'))
    const worker = this.started()
    const id = ++lastId
    const done = new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (answer: never) => void, reject })
      worker.ref()
      worker.postMessage({ ...message, id })
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
      if (m.type === 'done') p?.resolve(m.transactions as never)
      else if (m.type === 'swept') p?.resolve(m.rows as never)
      else if (m.type === 'checkpointed') p?.resolve({ log: m.log, checkpointed: m.checkpointed } as never)
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
