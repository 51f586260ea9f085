import { afterEach, describe, expect, it } from 'vitest'
import { insertConnection, storeAtVersion } from '../../../support/migrations'

const cleanups: (() => void)[] = []
afterEach(() => cleanups.splice(0).forEach((c) => c()))

const AT = '2026-03-02T08:00:00.000Z'

describe('migration 8: arrival time', () => {
  it('keeps every appointment, arrivals made before it with no time, and takes only a UTC instant', () => {
    const store = storeAtVersion(7)
    cleanups.push(store.cleanup)
    const { db } = store
    insertConnection(db, 'riverside', 'semble', AT)
    const add = db.prepare(
      `INSERT INTO appointments (id, connection_id, start, end, status, fetched_at) VALUES (?, 'riverside', ?, ?, ?, ?)`,
    )
    add.run('a-1', '2026-03-02T09:00:00.000Z', '2026-03-02T09:15:00.000Z', 'arrived', AT)
    add.run('a-2', '2026-03-02T09:30:00.000Z', '2026-03-02T09:45:00.000Z', 'booked', AT)

    store.migrateTo(8)

    expect(db.prepare(`SELECT id, status, arrived_at FROM appointments ORDER BY id`).all()).toEqual([
      { id: 'a-1', status: 'arrived', arrived_at: null },
      { id: 'a-2', status: 'booked', arrived_at: null },
    ])
    db.prepare(`UPDATE appointments SET arrived_at = '2026-03-02T08:52:10.000Z' WHERE id = 'a-1'`).run()
    expect(db.prepare(`SELECT arrived_at FROM appointments WHERE id = 'a-1'`).pluck().get()).toBe(
      '2026-03-02T08:52:10.000Z',
    )
    // A local time without its offset is not an instant: refused, not guessed.
    expect(() =>
      db.prepare(`UPDATE appointments SET arrived_at = '2026-03-02 08:52' WHERE id = 'a-1'`).run(),
    ).toThrow(/CHECK constraint failed/)
  })
})
