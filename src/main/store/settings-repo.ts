/** App settings kept in the store (key/value): today only the staff name the audit log records. */
import type { Db } from './database'

const DEFAULT_STAFF_NAME = 'Reception'

export class SettingsRepo {
  constructor(private readonly db: Db) {}

  /** The name written into the audit log and the outbox for each change ("Reception" until set). */
  staffName(): string {
    const row = this.db.prepare(`SELECT value FROM settings WHERE key = 'staffName'`).get() as
      { value: string } | undefined
    return row?.value ?? DEFAULT_STAFF_NAME
  }

  setStaffName(name: string): void {
    this.db
      .prepare(
        `INSERT INTO settings (key, value) VALUES ('staffName', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`,
      )
      .run(name)
  }
}
