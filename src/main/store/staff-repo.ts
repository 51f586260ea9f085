/** The people at the desk (migration 9) and the idle-lock setting. PINs are stored hashed only. */
import type { Db } from './database'

export interface StaffRow {
  id: string
  name: string
  pinSalt: Buffer
  pinHash: Buffer
}

const IDLE_KEY = 'idleLockMinutes'

export class StaffRepo {
  constructor(private readonly db: Db) {}

  list(): StaffRow[] {
    return this.db
      .prepare(
        `SELECT id, name, pin_salt AS pinSalt, pin_hash AS pinHash FROM staff ORDER BY name COLLATE NOCASE`,
      )
      .all() as StaffRow[]
  }

  get(id: string): StaffRow | undefined {
    return this.db
      .prepare(`SELECT id, name, pin_salt AS pinSalt, pin_hash AS pinHash FROM staff WHERE id = ?`)
      .get(id) as StaffRow | undefined
  }

  hasName(name: string): boolean {
    return this.db.prepare(`SELECT 1 FROM staff WHERE name = ? COLLATE NOCASE`).get(name.trim()) !== undefined
  }

  count(): number {
    return this.db.prepare(`SELECT count(*) FROM staff`).pluck().get() as number
  }

  add(row: StaffRow, at: string): void {
    this.db
      .prepare(`INSERT INTO staff (id, name, pin_salt, pin_hash, created_at) VALUES (?, ?, ?, ?, ?)`)
      .run(row.id, row.name, row.pinSalt, row.pinHash, at)
  }

  remove(id: string): boolean {
    return this.db.prepare(`DELETE FROM staff WHERE id = ?`).run(id).changes > 0
  }

  idleLockMinutes(fallback: number): number {
    const v = this.db.prepare(`SELECT value FROM settings WHERE key = ?`).pluck().get(IDLE_KEY) as
      string | undefined
    const n = Number(v)
    return v !== undefined && Number.isInteger(n) && n > 0 ? n : fallback
  }

  setIdleLockMinutes(minutes: number): void {
    this.db
      .prepare(
        `INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`,
      )
      .run(IDLE_KEY, String(minutes))
  }
}
