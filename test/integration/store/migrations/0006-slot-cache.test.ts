import { afterEach, describe, expect, it } from 'vitest'
import { insertConnection, storeAtVersion } from '../../../support/migrations'

const cleanups: (() => void)[] = []
afterEach(() => cleanups.splice(0).forEach((c) => c()))

const AT = '2026-03-02T08:00:00.000Z'

describe('migration 6: free slots in the local copy', () => {
  it('adds the slot copy and its coverage beside the existing cache, both removed with their connection', () => {
    const store = storeAtVersion(5)
    cleanups.push(store.cleanup)
    const { db } = store
    insertConnection(db, 'riverside', 'semble', AT)
    insertConnection(db, 'harbour', 'heim', AT)
    db.prepare(
      `INSERT INTO appointments (id, connection_id, ref, start, end, status, fetched_at)
       VALUES ('a1', 'riverside', 'A-1', '2026-03-02T09:00:00.000Z', '2026-03-02T09:15:00.000Z', 'booked', ?)`,
    ).run(AT)

    store.migrateTo(6)

    expect(db.prepare(`SELECT id, start FROM appointments`).all()).toEqual([
      { id: 'a1', start: '2026-03-02T09:00:00.000Z' },
    ])
    const slot = db.prepare(
      `INSERT INTO slot_cache (connection_id, appointment_type_ref, practitioner_ref, location_ref, start, end, fetched_at)
       VALUES (?, '', 'dr-1', 'loc-1', ?, ?, ?)`,
    )
    slot.run('riverside', '2026-03-02T10:00:00.000Z', '2026-03-02T10:15:00.000Z', AT)
    slot.run('harbour', '2026-03-02T10:00:00.000Z', '2026-03-02T10:15:00.000Z', AT)
    expect(() => slot.run('riverside', '2026-03-02T10:00:00.000Z', '2026-03-02T10:30:00.000Z', AT)).toThrow(
      /UNIQUE constraint failed/,
    )
    db.prepare(
      `INSERT INTO slot_coverage (connection_id, appointment_type_ref, practitioner_ref, location_ref, range_start, range_end, fetched_at)
       VALUES ('riverside', '', 'dr-1', 'loc-1', '2026-03-02T00:00:00.000Z', '2026-03-09T00:00:00.000Z', ?)`,
    ).run(AT)
    db.prepare(`DELETE FROM connections WHERE id = 'riverside'`).run()
    expect(db.prepare(`SELECT connection_id FROM slot_cache`).all()).toEqual([{ connection_id: 'harbour' }])
    expect(db.prepare(`SELECT count(*) AS n FROM slot_coverage`).get()).toEqual({ n: 0 })
  })
})
