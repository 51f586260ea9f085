import { afterEach, describe, expect, it } from 'vitest'
import { insertConnection, storeAtVersion } from '../../../support/migrations'

const cleanups: (() => void)[] = []
afterEach(() => cleanups.splice(0).forEach((c) => c()))

const AT = '2026-03-02T08:00:00.000Z'

describe('migration 9: staff at the desk', () => {
  it('keeps the typed name and every change recorded under it, starts with nobody listed, and holds only hashes', () => {
    const store = storeAtVersion(8)
    cleanups.push(store.cleanup)
    const { db } = store
    insertConnection(db, 'riverside', 'semble', AT)
    db.prepare(`INSERT INTO settings (key, value) VALUES ('staffName', 'Front desk 1')`).run()
    db.prepare(
      `INSERT INTO audit_log (at, actor, connection_id, entity, entity_id, action, change, outcome)
       VALUES (?, 'Front desk 1', 'riverside', 'appointment', 'a-1', 'book', '{}', 'queued')`,
    ).run(AT)

    store.migrateTo(9)

    expect(db.prepare(`SELECT value FROM settings WHERE key = 'staffName'`).pluck().get()).toBe(
      'Front desk 1',
    )
    expect(db.prepare(`SELECT actor FROM audit_log`).pluck().all()).toEqual(['Front desk 1'])
    expect(db.prepare(`SELECT count(*) FROM staff`).pluck().get()).toBe(0)
    const add = db.prepare(
      `INSERT INTO staff (id, name, pin_salt, pin_hash, created_at) VALUES (?, ?, ?, ?, ?)`,
    )
    add.run('s-1', 'Ana Costa', Buffer.alloc(16, 1), Buffer.alloc(32, 2), AT)
    // One person a name, whatever its case; a PIN itself (not a 32-byte hash) does not fit.
    expect(() => add.run('s-2', 'ANA COSTA', Buffer.alloc(16, 3), Buffer.alloc(32, 4), AT)).toThrow(/UNIQUE/)
    expect(() => add.run('s-3', 'Ben Okafor', Buffer.alloc(16, 3), Buffer.from('4821'), AT)).toThrow(/CHECK/)
    expect(() => add.run('s-4', '  ', Buffer.alloc(16, 3), Buffer.alloc(32, 4), AT)).toThrow(/CHECK/)
  })
})
