import { type Clock, systemClock } from '../../shared/clock'
import { randomUUID } from 'node:crypto'
import { IANAZone } from 'luxon'
import type { Connection, Vendor } from '../../shared/model'
import { AppFailure } from '../../shared/result'
import type { Db } from './database'

interface Row {
  id: string
  vendor: Vendor
  label: string
  base_url: string
  time_zone: string
  locale: string
  options: string
  demo: number
}

const toConnection = (r: Row): Connection => ({
  id: r.id,
  vendor: r.vendor,
  label: r.label,
  baseUrl: r.base_url,
  timeZone: r.time_zone,
  locale: r.locale,
  options: JSON.parse(r.options) as Record<string, string>,
  demo: r.demo === 1,
})

/** Scheme, host and port of an address (`https://api.example:443`): what credentials are bound to. */
export function addressOf(baseUrl: string): string {
  try {
    const u = new URL(baseUrl)
    const port = u.port || (u.protocol === 'https:' ? '443' : u.protocol === 'http:' ? '80' : '')
    return `${u.protocol}//${u.hostname.toLowerCase()}:${port}`
  } catch {
    return `invalid:${baseUrl}`
  }
}

/** The clinic's connections to its practice-management systems (no secrets here: see credentials). */
export class ConnectionsRepo {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock = systemClock,
  ) {}

  list(): Connection[] {
    return (this.db.prepare('SELECT * FROM connections ORDER BY created_at, id').all() as Row[]).map(
      toConnection,
    )
  }

  get(id: string): Connection {
    const row = this.db.prepare('SELECT * FROM connections WHERE id = ?').get(id) as Row | undefined
    if (!row) throw new AppFailure('not-found', `There is no connection "${id}".`, 'connectionId')
    return toConnection(row)
  }

  /** Add or edit a connection from the settings screen, checking what a typo would break. */
  save(input: Omit<Connection, 'id' | 'demo'> & { id?: string }): Connection {
    if (!IANAZone.isValidZone(input.timeZone)) {
      throw new AppFailure(
        'invalid-input',
        `"${input.timeZone}" is not a time zone; use a name like Europe/London.`,
        'timeZone',
      )
    }
    const url = new URL(input.baseUrl)
    if (url.username || url.password) {
      // It would be kept in the database and shown on screen, and never sent (requests use the origin).
      throw new AppFailure(
        'invalid-input',
        'Leave the sign-in name and password out of the address: enter them under the connection’s credentials.',
        'baseUrl',
      )
    }
    const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)
    if (url.protocol !== 'https:' && !loopback) {
      throw new AppFailure(
        'invalid-input',
        'The address must start with https:// so patient data is encrypted on the way.',
        'baseUrl',
      )
    }
    const existing = input.id ? this.list().find((c) => c.id === input.id) : undefined
    if (existing && existing.vendor !== input.vendor) {
      throw new AppFailure(
        'invalid-input',
        'A connection cannot change vendor; add a new connection instead.',
        'vendor',
      )
    }
    return this.upsert({
      ...input,
      id: input.id ?? `c-${randomUUID().slice(0, 8)}`,
      demo: existing?.demo ?? false,
    })
  }

  /** Only when nothing is waiting to be sent to it: its cached copy goes, the audit log stays. */
  remove(id: string) {
    this.get(id)
    const waiting = this.db
      .prepare(
        `SELECT count(*) FROM outbox WHERE connection_id = ? AND state IN ('pending','sending','needs-attention')`,
      )
      .pluck()
      .get(id) as number
    if (waiting > 0) {
      throw new AppFailure(
        'conflict',
        `${waiting} change(s) are still waiting to be sent to this clinic system. Send or discard them first.`,
      )
    }
    this.db.transaction(() => {
      this.db.prepare(`DELETE FROM outbox WHERE connection_id = ?`).run(id)
      this.db.prepare(`DELETE FROM id_map WHERE connection_id = ?`).run(id)
      this.db.prepare(`DELETE FROM connections WHERE id = ?`).run(id)
    })()
  }

  upsert(c: Connection): Connection {
    this.db
      .prepare(
        `INSERT INTO connections (id, vendor, label, base_url, time_zone, locale, options, demo, created_at)
         VALUES (@id, @vendor, @label, @baseUrl, @timeZone, @locale, @options, @demo, @now)
         ON CONFLICT(id) DO UPDATE SET vendor = excluded.vendor, label = excluded.label, base_url = excluded.base_url,
           time_zone = excluded.time_zone, locale = excluded.locale, options = excluded.options, demo = excluded.demo`,
      )
      .run({
        ...c,
        options: JSON.stringify(c.options),
        demo: c.demo ? 1 : 0,
        now: this.clock.now().toISOString(),
      })
    return this.get(c.id)
  }
}
