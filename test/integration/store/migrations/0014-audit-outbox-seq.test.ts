import { afterEach, describe, expect, it } from 'vitest'
import { insertConnection, storeAtVersion } from '../../../support/migrations'

const cleanups: (() => void)[] = []
afterEach(() => cleanups.splice(0).forEach((c) => c()))

const AT = '2026-03-02T08:00:00.000Z'

describe('migration 14: audit outbox seq', () => {
  it('keeps every audit entry as it was, with no outbox row named, and finds an entry by its row from the index', () => {
    const store = storeAtVersion(13)
    cleanups.push(store.cleanup)
    const { db } = store
    insertConnection(db, 'riverside', 'semble', AT)
    const add = db.prepare(
      `INSERT INTO audit_log (at, actor, connection_id, entity, entity_id, action, change, outcome, detail)
       VALUES (?, ?, 'riverside', 'appointment', 'a-1', ?, ?, ?, ?)`,
    )
    add.run(AT, 'Ann', 'book', '{"start":"2026-03-03T09:00:00.000Z","patientId":"p-1"}', 'queued', null)
    add.run('2026-03-02T08:01:00.000Z', 'Ann', 'book', null, 'sent', 'ref s-1')

    store.migrateTo(14)

    expect(
      db
        .prepare(`SELECT actor, action, change, outcome, detail, outbox_seq FROM audit_log ORDER BY id`)
        .all(),
    ).toEqual([
      {
        actor: 'Ann',
        action: 'book',
        change: '{"start":"2026-03-03T09:00:00.000Z","patientId":"p-1"}',
        outcome: 'queued',
        detail: null,
        outbox_seq: null,
      },
      { actor: 'Ann', action: 'book', change: null, outcome: 'sent', detail: 'ref s-1', outbox_seq: null },
    ])
    db.prepare(
      `INSERT INTO audit_log (at, actor, action, outcome, outbox_seq) VALUES (?, 'Bob', 'cancel', 'queued', 7)`,
    ).run(AT)
    expect(db.prepare(`SELECT actor FROM audit_log WHERE outbox_seq = 7`).pluck().all()).toEqual(['Bob'])
    const plan = db
      .prepare(
        `EXPLAIN QUERY PLAN SELECT change FROM audit_log WHERE outbox_seq IN (7, 8) AND outcome = 'queued'`,
      )
      .all() as { detail: string }[]
    expect(plan.map((p) => p.detail).join(' ')).toContain('audit_by_outbox_seq')
  })
})
