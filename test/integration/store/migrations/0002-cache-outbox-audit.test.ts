import { afterEach, describe, expect, it } from 'vitest'
import { insertConnection, storeAtVersion } from '../../../support/migrations'

const cleanups: (() => void)[] = []
afterEach(() => cleanups.splice(0).forEach((c) => c()))

const AT = '2026-03-02T08:00:00.000Z'

describe('migration 2: cache, outbox, id map and audit log', () => {
  it('keeps the settings and connections of schema 1 and adds the cache beside them', () => {
    const store = storeAtVersion(1)
    cleanups.push(store.cleanup)
    const { db } = store
    db.prepare(`INSERT INTO settings (key, value) VALUES ('staffName', 'Priya Shah')`).run()
    insertConnection(db, 'riverside', 'semble', AT)
    insertConnection(db, 'harbour', 'heim', AT)

    store.migrateTo(2)

    expect(db.prepare(`SELECT key, value FROM settings`).all()).toEqual([
      { key: 'staffName', value: 'Priya Shah' },
    ])
    expect(db.prepare(`SELECT id, vendor FROM connections ORDER BY id`).all()).toEqual([
      { id: 'harbour', vendor: 'heim' },
      { id: 'riverside', vendor: 'semble' },
    ])
    db.prepare(
      `INSERT INTO patients (id, connection_id, ref, given_name, family_name, birth_date, postcode, fetched_at)
       VALUES ('p1', 'riverside', 'S-1', 'Siobhán', 'O''Brien', '1971-08-16', 'sw1a 1aa', ?)`,
    ).run(AT)
    db.prepare(
      `INSERT INTO appointments (id, connection_id, ref, patient_id, start, end, status, fetched_at)
       VALUES ('a1', 'riverside', 'A-1', 'p1', '2026-03-02T09:00:00.000Z', '2026-03-02T09:15:00.000Z', 'booked', ?)`,
    ).run(AT)
    db.prepare(
      `INSERT INTO outbox (connection_id, entity_key, kind, payload, client_ref, state, next_attempt_at, actor, created_at, updated_at)
       VALUES ('riverside', 'appointment:a1', 'check-in', '{}', 'ref-1', 'pending', ?, 'Priya Shah', ?, ?)`,
    ).run(AT, AT, AT)
    // The postcode search key is derived by the table itself.
    expect(db.prepare(`SELECT postcode_key FROM patients WHERE id = 'p1'`).get()).toEqual({
      postcode_key: 'SW1A1AA',
    })
    // The outbox names each write once, and only known states.
    expect(() =>
      db
        .prepare(
          `INSERT INTO outbox (connection_id, entity_key, kind, payload, client_ref, state, next_attempt_at, actor, created_at, updated_at)
           VALUES ('riverside', 'appointment:a1', 'check-in', '{}', 'ref-1', 'pending', ?, 'Priya Shah', ?, ?)`,
        )
        .run(AT, AT, AT),
    ).toThrow(/UNIQUE constraint failed: outbox.client_ref/)
    // Removing a connection removes its cached copy.
    db.prepare(`DELETE FROM outbox`).run()
    db.prepare(`DELETE FROM connections WHERE id = 'riverside'`).run()
    expect(db.prepare(`SELECT count(*) AS n FROM patients`).get()).toEqual({ n: 0 })
    expect(db.prepare(`SELECT count(*) AS n FROM appointments`).get()).toEqual({ n: 0 })
  })
})
