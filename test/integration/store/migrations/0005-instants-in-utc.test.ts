import { afterEach, describe, expect, it } from 'vitest'
import { insertConnection, storeAtVersion } from '../../../support/migrations'

const cleanups: (() => void)[] = []
afterEach(() => cleanups.splice(0).forEach((c) => c()))

const AT = '2027-10-01T09:00:00.000Z'

describe('migration 5: stored instants in one UTC form', () => {
  it('rewrites appointment times and outbox payloads, drops free slots, and leaves unreadable values alone', () => {
    const store = storeAtVersion(4)
    cleanups.push(store.cleanup)
    const { db } = store
    insertConnection(db, 'riverside', 'semble', AT)
    const appt = db.prepare(
      `INSERT INTO appointments (id, connection_id, start, end, status, fetched_at) VALUES (?, 'riverside', ?, ?, 'booked', ?)`,
    )
    appt.run('sat', '2027-10-30T23:30:00+01:00', '2027-10-31T00:00:00+01:00', AT)
    appt.run('canonical', '2027-06-02T10:00:00.000Z', '2027-06-02T10:30:00.000Z', AT)
    appt.run('unreadable', 'next tuesday', null, AT)
    db.prepare(
      `INSERT INTO slots (connection_id, start, end, practitioner_ref, fetched_at)
       VALUES ('riverside', '2027-10-30T10:00:00+01:00', '2027-10-30T10:15:00+01:00', 'dr-1', ?)`,
    ).run(AT)
    const outbox = db.prepare(
      `INSERT INTO outbox (connection_id, entity_key, kind, payload, client_ref, state, next_attempt_at, undo, actor, created_at, updated_at)
       VALUES ('riverside', ?, ?, ?, ?, 'pending', ?, ?, 'Priya Shah', ?, ?)`,
    )
    outbox.run(
      'appointment:sat',
      'reschedule',
      JSON.stringify({
        appointmentId: 'sat',
        start: '2027-10-30T23:30:00+01:00',
        end: '2027-10-31T00:00:00+01:00',
      }),
      'ref-1',
      AT,
      JSON.stringify({
        table: 'appointments',
        id: 'sat',
        before: { start: '2027-10-29T09:00:00+01:00', end: null },
      }),
      AT,
      AT,
    )
    outbox.run(
      'appointment:canonical',
      'check-in',
      JSON.stringify({ appointmentId: 'canonical' }),
      'ref-2',
      AT,
      null,
      AT,
      AT,
    )

    store.migrateTo(5)

    expect(db.prepare(`SELECT id, start, end FROM appointments ORDER BY id`).all()).toEqual([
      { id: 'canonical', start: '2027-06-02T10:00:00.000Z', end: '2027-06-02T10:30:00.000Z' },
      { id: 'sat', start: '2027-10-30T22:30:00.000Z', end: '2027-10-30T23:00:00.000Z' },
      { id: 'unreadable', start: 'next tuesday', end: null },
    ])
    expect(db.prepare(`SELECT count(*) AS n FROM slots`).get()).toEqual({ n: 0 })
    const rows = db.prepare(`SELECT client_ref, payload, undo FROM outbox ORDER BY seq`).all() as {
      payload: string
      undo: string | null
    }[]
    expect(JSON.parse(rows[0]!.payload)).toEqual({
      appointmentId: 'sat',
      start: '2027-10-30T22:30:00.000Z',
      end: '2027-10-30T23:00:00.000Z',
    })
    expect(JSON.parse(rows[0]!.undo!)).toEqual({
      table: 'appointments',
      id: 'sat',
      before: { start: '2027-10-29T08:00:00.000Z', end: null },
    })
    expect(JSON.parse(rows[1]!.payload)).toEqual({ appointmentId: 'canonical' })
    expect(rows[1]!.undo).toBeNull()
  })
})
