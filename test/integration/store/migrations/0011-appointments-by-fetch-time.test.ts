import { afterEach, describe, expect, it } from 'vitest'
import { insertConnection, storeAtVersion } from '../../../support/migrations'

const cleanups: (() => void)[] = []
afterEach(() => cleanups.splice(0).forEach((c) => c()))

const AT = '2026-03-02T08:00:00.000Z'

describe('migration 11: appointments by fetch time', () => {
  it("keeps every appointment and answers a connection's newest fetch from the index", () => {
    const store = storeAtVersion(10)
    cleanups.push(store.cleanup)
    const { db } = store
    insertConnection(db, 'riverside', 'semble', AT)
    insertConnection(db, 'hillside', 'hero', AT)
    const add = db.prepare(
      `INSERT INTO appointments (id, connection_id, start, end, status, fetched_at) VALUES (?, ?, ?, ?, 'booked', ?)`,
    )
    add.run('a-1', 'riverside', '2026-03-02T09:00:00.000Z', '2026-03-02T09:15:00.000Z', AT)
    add.run(
      'a-2',
      'riverside',
      '2026-03-03T09:00:00.000Z',
      '2026-03-03T09:15:00.000Z',
      '2026-03-02T08:10:00.000Z',
    )
    add.run(
      'a-3',
      'hillside',
      '2026-03-02T10:00:00.000Z',
      '2026-03-02T10:10:00.000Z',
      '2026-03-02T08:20:00.000Z',
    )

    store.migrateTo(11)

    expect(db.prepare(`SELECT id, connection_id, fetched_at FROM appointments ORDER BY id`).all()).toEqual([
      { id: 'a-1', connection_id: 'riverside', fetched_at: AT },
      { id: 'a-2', connection_id: 'riverside', fetched_at: '2026-03-02T08:10:00.000Z' },
      { id: 'a-3', connection_id: 'hillside', fetched_at: '2026-03-02T08:20:00.000Z' },
    ])
    const newest = db.prepare(`SELECT max(fetched_at) FROM appointments WHERE connection_id = ?`).pluck()
    expect(newest.get('riverside')).toBe('2026-03-02T08:10:00.000Z')
    expect(newest.get('hillside')).toBe('2026-03-02T08:20:00.000Z')
    const plan = db
      .prepare(`EXPLAIN QUERY PLAN SELECT max(fetched_at) FROM appointments WHERE connection_id = ?`)
      .all('riverside') as { detail: string }[]
    expect(plan.map((p) => p.detail).join(' ')).toContain('appointments_fetched')
  })
})
