import { randomBytes } from 'node:crypto'
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { KeychainSecretStore, accounts } from '../../../src/main/secrets/secret-store'
import { databaseKey, migrate, openDatabase, StoreError } from '../../../src/main/store/database'
import { latestSchemaVersion, migrations, type Migration } from '../../../src/main/store/migrations'
import { tempDir, testKeychainService } from '../../support/temp'

const key = () => randomBytes(32).toString('hex')
const cleanups: (() => void)[] = []
afterEach(() => cleanups.splice(0).forEach((c) => c()))

function dbFile() {
  const t = tempDir()
  cleanups.push(t.cleanup)
  return join(t.dir, 'clinic.db')
}

describe('the encrypted store', () => {
  it('keeps no plaintext of a stored row on disk, in the database or its WAL', () => {
    const file = dbFile()
    const db = openDatabase({ file, key: key() })
    const marker = 'Zoë O’Brien-Łukasiewicz 943 476 5919'
    db.prepare(`INSERT INTO settings (key, value) VALUES ('staffName', ?)`).run(marker)
    const before = readFileSync(file).length + 0
    expect(before).toBeGreaterThan(0)
    // Check the WAL while the connection is open, then the main file after a checkpoint.
    const dir = join(file, '..')
    const scan = () => {
      for (const name of readdirSync(dir)) {
        const bytes = readFileSync(join(dir, name))
        expect(bytes.includes(Buffer.from('943 476 5919')), name).toBe(false)
        expect(bytes.includes(Buffer.from('staffName')), name).toBe(false)
        expect(bytes.includes(Buffer.from('CREATE TABLE')), name).toBe(false)
        expect(bytes.subarray(0, 16).toString('latin1'), name).not.toBe('SQLite format 3\0')
      }
    }
    scan()
    db.pragma('wal_checkpoint(TRUNCATE)')
    db.close()
    scan()
  })

  it('reopens with the right key and gives a clear error with a wrong one', () => {
    const file = dbFile()
    const k = key()
    const db = openDatabase({ file, key: k })
    db.prepare(`INSERT INTO settings (key, value) VALUES ('a', 'b')`).run()
    db.close()

    const again = openDatabase({ file, key: k })
    expect(again.prepare(`SELECT value FROM settings WHERE key = 'a'`).get()).toEqual({ value: 'b' })
    again.close()

    expect(() => openDatabase({ file, key: key() })).toThrow(StoreError)
    expect(() => openDatabase({ file, key: key() })).toThrow(
      /could not be unlocked: its key in the keychain is wrong/,
    )
    expect(() => openDatabase({ file, key: 'short' })).toThrow(/not a 32-byte hex key/)
  })

  it('refuses a plain (unencrypted) SQLite file instead of reading it', () => {
    const file = dbFile()
    writeFileSync(file, Buffer.concat([Buffer.from('SQLite format 3\0'), randomBytes(4096)]))
    expect(() => openDatabase({ file, key: key() })).toThrow(/could not be unlocked/)
  })

  it('runs migrations once, and is idempotent on restart', () => {
    const file = dbFile()
    const k = key()
    const db = openDatabase({ file, key: k })
    expect(db.pragma('user_version', { simple: true })).toBe(latestSchemaVersion())
    expect(migrate(db)).toEqual({ from: latestSchemaVersion(), to: latestSchemaVersion() })
    db.close()
    const reopened = openDatabase({ file, key: k })
    expect(migrate(reopened)).toEqual({ from: latestSchemaVersion(), to: latestSchemaVersion() })
    expect(reopened.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(reopened.pragma('foreign_keys', { simple: true })).toBe(1)
    reopened.close()
  })

  it('applies all pending migrations in one transaction: a failing one leaves nothing behind', () => {
    const file = dbFile()
    const k = key()
    openDatabase({ file, key: k }).close()
    const broken: Migration[] = [
      ...migrations,
      { version: 900, name: 'adds a table', sql: 'CREATE TABLE extra (id INTEGER PRIMARY KEY) STRICT;' },
      { version: 901, name: 'fails', sql: 'CREATE TABLE nope (id INTEGER PRIMARY KEY REFERENCES;' },
    ]
    expect(() => openDatabase({ file, key: k, migrations: broken })).toThrow()
    const db = openDatabase({ file, key: k })
    expect(db.pragma('user_version', { simple: true })).toBe(latestSchemaVersion())
    expect(db.prepare(`SELECT name FROM sqlite_master WHERE name = 'extra'`).get()).toBeUndefined()
    db.close()
  })

  it('says clearly when the file was written by a newer version', () => {
    const file = dbFile()
    const k = key()
    const db = openDatabase({ file, key: k })
    db.pragma(`user_version = ${latestSchemaVersion() + 5}`)
    db.close()
    expect(() => openDatabase({ file, key: k })).toThrow(/written by a newer version of Frontdesk/)
  })
})

describe('the database key in the keychain', () => {
  it('is made once, kept in the OS keychain, and reused', async () => {
    const secrets = new KeychainSecretStore(testKeychainService('dbkey'))
    cleanups.push(() => void secrets.delete(accounts.databaseKey('clinic')))
    const file = dbFile()
    const first = await databaseKey(secrets, 'clinic', file)
    expect(first).toMatch(/^[0-9a-f]{64}$/)
    openDatabase({ file, key: first }).close()
    expect(await databaseKey(secrets, 'clinic', file)).toBe(first)
    expect(await secrets.get(accounts.databaseKey('clinic'))).toBe(first)
  })

  it('refuses to invent a new key for an existing file whose key is missing', async () => {
    const secrets = new KeychainSecretStore(testKeychainService('missing'))
    const file = dbFile()
    openDatabase({ file, key: key() }).close()
    await expect(databaseKey(secrets, 'clinic', file)).rejects.toThrow(
      /exists but its key is missing from the keychain/,
    )
    expect(await secrets.get(accounts.databaseKey('clinic'))).toBeNull()
  })
})
