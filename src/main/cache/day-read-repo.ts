/**
 * A day's read from the copy, on a connection of its own, in short turns. A packed day (ten thousand
 * appointments) takes over a hundred milliseconds to read and shape; read in one go it would hold
 * up every IPC answer meanwhile. Here the rows are handed over a batch at a time, and once a turn
 * has used its budget the event loop runs before the next row is read; one read transaction holds
 * the whole read to one snapshot while the main connection goes on writing.
 */
import type { Statement } from 'better-sqlite3-multiple-ciphers'
import type { Db } from '../store/database'
import { DAY_SQL, nextTurn, type AppointmentWithPatientRow, type UnsentState } from './cache-repo'

/** What a day's read knows before its appointments: from the same snapshot as they are. */
export interface DayHead {
  practitioners: { ref: string; name: string }[]
  /** The connection's unfinished outbox states. */
  unsent: UnsentState[]
  /** When the newest appointment in the copy was fetched. */
  fetchedAt: string | null
}

/** Rows handed over at a time: fixed, so what is made of them does not depend on the machine's speed. */
export const DAY_BATCH = 100

export interface DayReadOptions {
  /** Longest a turn goes on reading before it lets the event loop run; default 8 ms. */
  budgetMs?: number
}

export class DayReadRepo {
  private readonly budgetMs: number
  /** The read under way: one at a time, as a connection runs one statement at a time. */
  private tail: Promise<unknown> = Promise.resolve()
  private closed = false
  /** Compiled when the reader opens (reading the schema then too), not in a receptionist's first read. */
  private readonly statements: { [K in keyof typeof DAY_SQL]: Statement }

  constructor(
    private readonly db: Db,
    opts: DayReadOptions = {},
  ) {
    this.budgetMs = opts.budgetMs ?? 8
    this.statements = {
      appointments: db.prepare(DAY_SQL.appointments),
      fetchedAt: db.prepare(DAY_SQL.fetchedAt),
      unsentStates: db.prepare(DAY_SQL.unsentStates),
      practitionerNames: db.prepare(DAY_SQL.practitionerNames),
    }
  }

  /**
   * Reads a connection's appointments starting in [from, to), in start order: `head` first, then
   * `take` with each batch of rows. Resolves when the last batch is taken.
   */
  read(
    connectionId: string,
    from: string,
    to: string,
    head: (h: DayHead) => void,
    take: (rows: AppointmentWithPatientRow[]) => void,
  ): Promise<void> {
    if (this.closed) return Promise.reject(new Error('The day reader is closed.'))
    const run = this.tail.then(() => this.readNow(connectionId, from, to, head, take))
    this.tail = run.catch(() => undefined)
    return run
  }

  private async readNow(
    connectionId: string,
    from: string,
    to: string,
    head: (h: DayHead) => void,
    take: (rows: AppointmentWithPatientRow[]) => void,
  ) {
    // One snapshot for the head and every batch: begun here, held by the first read below.
    this.db.exec('BEGIN')
    try {
      const s = this.statements
      head({
        practitioners: s.practitionerNames.all(connectionId) as DayHead['practitioners'],
        unsent: s.unsentStates.all(connectionId, null, 'appointment:') as UnsentState[],
        fetchedAt: (s.fetchedAt.get(connectionId) as { at: string | null }).at,
      })
      const rows = s.appointments.iterate(
        connectionId,
        from,
        to,
      ) as IterableIterator<AppointmentWithPatientRow>
      let batch: AppointmentWithPatientRow[] = []
      let turnStart = performance.now()
      for (const row of rows) {
        batch.push(row)
        if (batch.length === DAY_BATCH) {
          take(batch)
          batch = []
        }
        // Looked at every row: a row read cold (after another connection's commit empties this
        // one's page cache) costs many times a warm one.
        if (performance.now() - turnStart >= this.budgetMs) {
          await nextTurn()
          turnStart = performance.now()
        }
      }
      if (batch.length) take(batch)
    } finally {
      // The statement is finished (or let go by the loop's exit), so the snapshot can end; an error
      // SQLite rolled back on its own has ended it already, and is the one to report.
      if (this.db.inTransaction) this.db.exec('COMMIT')
    }
  }

  /** Lets the read under way finish, then closes the connection. */
  async close(): Promise<void> {
    this.closed = true
    await this.tail
    this.db.close()
  }
}
