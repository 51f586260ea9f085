/**
 * The local store: one SQLite file, encrypted at rest with a random 32-byte key that lives in the
 * OS keychain (SQLCipher format through better-sqlite3-multiple-ciphers).
 */
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import Database from 'better-sqlite3-multiple-ciphers'
import { latestSchemaVersion, migrations as defaultMigrations, type Migration } from './migrations'
import { accounts, type SecretStore } from '../secrets/secret-store'

export type Db = Database.Database

export class StoreError extends Error {
  constructor(
    readonly reason: 'wrong-key' | 'missing-key' | 'newer-schema' | 'not-a-database',
    message: string,
  ) {
    super(message)
    this.name = 'StoreError'
  }
}

const HEX_KEY = /^[0-9a-f]{64}$/

export interface OpenOptions {
  file: string
  /** 64 lowercase hex characters (32 bytes). */
  key: string
  migrations?: Migration[]
}

/** Opens (or creates) the encrypted file, checks the key, and brings the schema up to date. */
export function openDatabase({ file, key, migrations = defaultMigrations }: OpenOptions): Db {
  if (!HEX_KEY.test(key)) throw new StoreError('wrong-key', 'The database key is not a 32-byte hex key.')
  mkdirSync(dirname(file), { recursive: true })
  const db = new Database(file)
  try {
    unlock(db, key, file)
    db.pragma('journal_mode = WAL')
    // FULL: a write acknowledged to a receptionist survives a power cut or a killed process.
    db.pragma('synchronous = FULL')
    db.pragma('foreign_keys = ON')
    db.pragma('busy_timeout = 5000')
    migrate(db, migrations)
    immediateTransactions(db)
    return db
  } catch (err) {
    db.close()
    throw err
  }
}

/** Sets the cipher and key, and proves the key with a first read. */
function unlock(db: Db, key: string, file: string) {
  db.pragma(`cipher='sqlcipher'`)
  db.pragma(`legacy=4`)
  db.pragma(`hexkey='${key}'`)
  try {
    // The first read is what proves the key: a wrong key makes the header unreadable.
    db.prepare('SELECT count(*) FROM sqlite_master').get()
  } catch {
    throw new StoreError(
      'wrong-key',
      `The local database at ${file} could not be unlocked: its key in the keychain is wrong, or the file is not a Frontdesk database.`,
    )
  }
}

/**
 * A second connection to a file `openDatabase` has opened (and migrated), for reads only: a read
 * on it keeps one snapshot while the main connection goes on writing (WAL).
 */
export function openReadConnection({ file, key }: Pick<OpenOptions, 'file' | 'key'>): Db {
  if (!HEX_KEY.test(key)) throw new StoreError('wrong-key', 'The database key is not a 32-byte hex key.')
  const db = new Database(file, { fileMustExist: true })
  try {
    unlock(db, key, file)
    db.pragma('query_only = ON')
    db.pragma('busy_timeout = 5000')
    return db
  } catch (err) {
    db.close()
    throw err
  }
}

/** Per connection: how many of its transactions are running now, shared with background writers' threads. */
const gates = new WeakMap<Db, Int32Array>()

/**
 * The counter a background writer (store/background-writer.ts) reads between its own short
 * transactions, so it lets this connection's transaction in first rather than race it.
 */
export function writeGate(db: Db): Int32Array {
  const gate = gates.get(db)
  if (!gate) throw new Error('This database was not opened by openDatabase().')
  return gate
}

/**
 * Every transaction on this connection begins IMMEDIATE: it takes the write lock before it reads,
 * so a commit by another connection to the same file (the background writer's, in its own thread)
 * can never make it fail half way with SQLITE_BUSY_SNAPSHOT; it waits (busy_timeout) instead. While
 * it runs, the gate counts it, so the background writer starts no new transaction of its own.
 */
function immediateTransactions(db: Db) {
  const gate = new Int32Array(new SharedArrayBuffer(4))
  gates.set(db, gate)
  const make = db.transaction.bind(db)
  const transaction = (fn: (...args: unknown[]) => unknown) => {
    const t = make(fn)
    const run = (...args: unknown[]) => {
      Atomics.add(gate, 0, 1)
      try {
        return t.immediate(...args)
      } finally {
        if (Atomics.sub(gate, 0, 1) === 1) Atomics.notify(gate, 0)
      }
    }
    return Object.assign(run, {
      default: run,
      deferred: t.deferred,
      immediate: run,
      exclusive: t.exclusive,
      database: db,
    })
  }
  db.transaction = transaction as Db['transaction']
}

export function migrate(db: Db, list: Migration[] = defaultMigrations): { from: number; to: number } {
  const from = db.pragma('user_version', { simple: true }) as number
  const latest = latestSchemaVersion(list)
  if (from > latest) {
    throw new StoreError(
      'newer-schema',
      `This database was written by a newer version of Frontdesk (schema ${from}; this version knows up to ${latest}). Install the latest Frontdesk to open it.`,
    )
  }
  const pending = list.filter((m) => m.version > from)
  if (pending.length === 0) return { from, to: from }
  db.transaction(() => {
    for (const m of pending) db.exec(m.sql)
    db.pragma(`user_version = ${latest}`)
  })()
  return { from, to: latest }
}

/**
 * Gets this profile's database key from the keychain, making one on first use. If the file exists
 * but the key does not, it refuses rather than make a new key: that would orphan the data.
 */
export async function databaseKey(secrets: SecretStore, profile: string, file: string): Promise<string> {
  const account = accounts.databaseKey(profile)
  const existing = await secrets.get(account)
  if (existing) return existing
  if (existsSync(file)) {
    throw new StoreError(
      'missing-key',
      `The local database at ${file} exists but its key is missing from the keychain, so it cannot be opened. Restore the keychain entry "${account}" (see docs/deployment.md) or move the file away to start afresh.`,
    )
  }
  const key = randomBytes(32).toString('hex')
  await secrets.set(account, key)
  return key
}
