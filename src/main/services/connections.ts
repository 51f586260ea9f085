import type { Connection, Vendor } from '../../shared/model'
import { AppFailure } from '../../shared/result'
import type { Db } from '../store/database'

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

/** The clinic's connections to its practice-management systems (no secrets here: see credentials). */
export class ConnectionsRepo {
  constructor(private readonly db: Db) {}

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

  upsert(c: Connection): Connection {
    this.db
      .prepare(
        `INSERT INTO connections (id, vendor, label, base_url, time_zone, locale, options, demo, created_at)
         VALUES (@id, @vendor, @label, @baseUrl, @timeZone, @locale, @options, @demo, @now)
         ON CONFLICT(id) DO UPDATE SET vendor = excluded.vendor, label = excluded.label, base_url = excluded.base_url,
           time_zone = excluded.time_zone, locale = excluded.locale, options = excluded.options, demo = excluded.demo`,
      )
      .run({ ...c, options: JSON.stringify(c.options), demo: c.demo ? 1 : 0, now: new Date().toISOString() })
    return this.get(c.id)
  }
}
