/** Each connection's reachability as the sync engine last saw it (the offline banner reads it). */
import type { Db } from './database'

export interface ConnectionStateRow {
  online: number
  since: string
  last_success_at: string | null
  last_error: string | null
}

export class ConnectionStateRepo {
  constructor(private readonly db: Db) {}

  get(connectionId: string): ConnectionStateRow | undefined {
    return this.db
      .prepare(
        `SELECT online, since, last_success_at, last_error FROM connection_state WHERE connection_id = ?`,
      )
      .get(connectionId) as ConnectionStateRow | undefined
  }

  /** `since` moves only when `online` changes; a success time, once known, is kept. */
  save(s: { id: string; online: 0 | 1; now: string; success: string | null; error: string | null }): void {
    this.db
      .prepare(
        `INSERT INTO connection_state (connection_id, online, since, last_success_at, last_error)
         VALUES (@id, @online, @now, @success, @error)
         ON CONFLICT(connection_id) DO UPDATE SET
           online = excluded.online,
           since = CASE WHEN online = excluded.online THEN since ELSE excluded.since END,
           last_success_at = coalesce(excluded.last_success_at, last_success_at),
           last_error = excluded.last_error`,
      )
      .run(s)
  }
}
