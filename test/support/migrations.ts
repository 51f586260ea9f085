import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { migrate, openDatabase, type Db } from '../../src/main/store/database'
import { migrations } from '../../src/main/store/migrations'
import { tempDir } from './temp'

const upTo = (version: number) => migrations.filter((m) => m.version <= version)

/**
 * A real, encrypted store file at an old schema version, for a migration's data test: fill it with
 * rows as that version wrote them, then `migrateTo` the next version and check the data.
 */
export function storeAtVersion(version: number): {
  db: Db
  migrateTo(target: number): void
  cleanup(): void
} {
  const t = tempDir('frontdesk-migration-')
  const db = openDatabase({
    file: join(t.dir, 'clinic.db'),
    key: randomBytes(32).toString('hex'),
    migrations: upTo(version),
  })
  if (db.pragma('user_version', { simple: true }) !== version)
    throw new Error(`store did not open at version ${version}`)
  return {
    db,
    migrateTo: (target) => void migrate(db, upTo(target)),
    cleanup: () => {
      db.close()
      t.cleanup()
    },
  }
}

/** A connection row as every schema since migration 1 stores it. */
export function insertConnection(
  db: Db,
  id: string,
  vendor: 'semble' | 'healthie' | 'hero' | 'heim',
  createdAt: string,
) {
  db.prepare(
    `INSERT INTO connections (id, vendor, label, base_url, time_zone, created_at) VALUES (?, ?, ?, ?, 'Europe/London', ?)`,
  ).run(id, vendor, `${vendor} clinic`, `https://${vendor}.example.test`, createdAt)
}

/** A patient row as every schema since migration 2 stores it: `[id, given, family, birth date]`, ref `S-<id>`. */
export type PatientRow = [id: string, given: string, family: string, birthDate: string]

/** Writes patients into `connectionId`'s cache; returns a writer for more of them later. */
export function insertPatients(db: Db, connectionId: string, rows: PatientRow[], fetchedAt: string) {
  const insert = db.prepare(
    `INSERT INTO patients (id, connection_id, ref, given_name, family_name, birth_date, fetched_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  )
  const write = ([id, given, family, birth]: PatientRow) =>
    insert.run(id, connectionId, `S-${id}`, given, family, birth, fetchedAt)
  rows.forEach(write)
  return write
}
