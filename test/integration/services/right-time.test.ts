/**
 * Right time: instants reach the cache and the outbox in one UTC form whatever offset or notation
 * the caller wrote, so offline bookings land on the right local day and clash (or not) by time,
 * not by text. Through the contract, on a real encrypted SQLite file, with the demo clinic's Semble
 * simulator offline so every booking stays in Frontdesk's own copy.
 */
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import fc from 'fast-check'
import { DateTime, FixedOffsetZone } from 'luxon'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Runtime } from '../../../src/main/app/runtime'
import { openDatabase } from '../../../src/main/store/database'
import { latestSchemaVersion, migrations } from '../../../src/main/store/migrations'
import type { ActionResult, DayColumn } from '../../../src/shared/contract'
import type { Result } from '../../../src/shared/result'
import { openDemoRuntime } from '../../support/demo-runtime'

const CONNECTION = 'demo-semble'
const ZONE = 'Europe/London'
let rt: Runtime
let cleanup: () => void
let dataDir = ''
// Frontdesk keeps what the receptionist chose; Semble only sees it when the booking is sent.
const typeRef = 'rt-type'
let people = 0

async function call<T>(name: string, input: unknown): Promise<T> {
  const r = await rt.dispatch(name, input)
  if (!r.ok) throw new Error(`${name}: ${r.error.code} ${r.error.message}`)
  return r.value as T
}

const newPatient = () =>
  rt.cache.upsertPatient({
    connectionId: CONNECTION,
    givenName: `Tess${++people}`,
    familyName: 'Time',
    birthDate: '1980-01-01',
  })

const book = (practitionerRef: string, start: string, end: string, patientId = newPatient()) =>
  rt.dispatch('appointments.book', {
    connectionId: CONNECTION,
    patientId,
    appointmentTypeRef: typeRef,
    practitionerRef,
    start,
    end,
  }) as Promise<Result<ActionResult>>

async function dayIds(date: string): Promise<string[]> {
  const [column] = await call<DayColumn[]>('appointments.day', {
    date,
    connectionIds: [CONNECTION],
    cacheOnly: true,
  })
  return column!.appointments.map((a) => a.id!)
}

beforeAll(async () => {
  ;({ rt, cleanup, dataDir } = await openDemoRuntime('right-time', {
    demoPatients: 20,
    backgroundRefresh: false,
  }))
  // Offline from here on: each booking stays queued in Frontdesk's copy.
  await rt.sandbox!.semble.control.setOffline(true)
})

afterAll(async () => {
  await rt?.close()
  cleanup?.()
})

describe('instants at the contract boundary', () => {
  it('an offline booking for 23:30 +01:00 on Saturday 30 October 2027 appears on Saturday 30 October', async () => {
    const r = await book('rt-sat', '2027-10-30T23:30:00+01:00', '2027-10-31T00:00:00+01:00')
    expect(r.ok, JSON.stringify(r)).toBe(true)
    if (!r.ok) return
    const id = r.value.appointment.id!
    expect(r.value.appointment).toMatchObject({
      start: '2027-10-30T22:30:00.000Z',
      end: '2027-10-30T23:00:00.000Z',
    })
    expect(await dayIds('2027-10-30')).toContain(id)
    expect(await dayIds('2027-10-31')).not.toContain(id)
    // What will be sent is the same one form.
    const payload = JSON.parse(
      (
        rt.db.prepare(`SELECT payload FROM outbox WHERE entity_key = ?`).get(`appointment:${id}`) as {
          payload: string
        }
      ).payload,
    ) as { start: string; end: string }
    expect(payload).toMatchObject({ start: '2027-10-30T22:30:00.000Z', end: '2027-10-30T23:00:00.000Z' })
  })

  it('the same clinician at 10:00Z and at 11:00+01:00 is one time and clashes', async () => {
    const first = await book('rt-same', '2027-06-01T10:00:00Z', '2027-06-01T10:30:00Z')
    expect(first.ok).toBe(true)
    const second = await book('rt-same', '2027-06-01T11:00:00+01:00', '2027-06-01T11:30:00+01:00')
    expect(second).toMatchObject({ ok: false, error: { code: 'conflict', field: 'start' } })
  })

  it('adjacent slots written with and without milliseconds do not clash', async () => {
    expect((await book('rt-adj', '2027-06-02T10:00:00Z', '2027-06-02T10:30:00Z')).ok).toBe(true)
    const next = await book('rt-adj', '2027-06-02T10:30:00.000Z', '2027-06-02T11:00:00.000Z')
    expect(next.ok, JSON.stringify(next)).toBe(true)
    const before = await book('rt-adj', '2027-06-02T09:30:00.000+00:00', '2027-06-02T10:00:00Z')
    expect(before.ok, JSON.stringify(before)).toBe(true)
  })

  it('a reschedule written with an offset is stored in UTC and moves to its local day', async () => {
    const r = await book('rt-move', '2027-03-27T12:00:00Z', '2027-03-27T12:15:00Z')
    if (!r.ok) throw new Error(r.error.message)
    const id = r.value.appointment.id!
    // 00:30 on Sunday 28 March in London, written as New York's 20:30 the evening before.
    const moved = await call<ActionResult>('appointments.reschedule', {
      appointmentId: id,
      start: '2027-03-27T20:30:00-04:00',
      end: '2027-03-27T20:45:00-04:00',
    })
    expect(moved.appointment).toMatchObject({
      start: '2027-03-28T00:30:00.000Z',
      end: '2027-03-28T00:45:00.000Z',
    })
    expect(await dayIds('2027-03-28')).toContain(id)
    expect(await dayIds('2027-03-27')).not.toContain(id)
  })
})

describe('confirmations on clock-change nights', () => {
  it('name the zone when the clocks go back or forward that day, and only then', async () => {
    const message = async (start: string, end: string) => {
      const r = await book('rt-dst', start, end)
      if (!r.ok) throw new Error(r.error.message)
      return r.value.message
    }
    // Sunday 31 October 2027: 01:30 happens twice in London.
    expect(await message('2027-10-31T00:30:00Z', '2027-10-31T00:45:00Z')).toContain(', 31 Oct 01:30 BST — ')
    expect(await message('2027-10-31T01:30:00Z', '2027-10-31T01:45:00Z')).toContain(', 31 Oct 01:30 GMT — ')
    // Sunday 28 March 2027: 01:00–02:00 does not happen; either side is named.
    expect(await message('2027-03-28T00:30:00Z', '2027-03-28T00:45:00Z')).toContain(', 28 Mar 00:30 GMT — ')
    expect(await message('2027-03-28T01:30:00Z', '2027-03-28T01:45:00Z')).toContain(', 28 Mar 02:30 BST — ')
    // An ordinary day needs no zone.
    expect(await message('2027-10-29T09:00:00Z', '2027-10-29T09:15:00Z')).toContain(', 29 Oct 10:00 — ')
  })
})

/** A random way of writing one instant: any offset in quarter hours, Z, with or without ms. */
const written = (ms: number, offsetQuarters: number, notation: 'Z' | 'offset' | 'offset-no-ms') => {
  const local = DateTime.fromMillis(ms).setZone(FixedOffsetZone.instance(offsetQuarters * 15))
  if (notation === 'Z')
    return DateTime.fromMillis(ms, { zone: 'utc' }).toFormat("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
  return local.toFormat(notation === 'offset' ? "yyyy-MM-dd'T'HH:mm:ss.SSSZZ" : "yyyy-MM-dd'T'HH:mm:ssZZ")
}
const utc = (ms: number) => DateTime.fromMillis(ms, { zone: 'utc' }).toISO()!
const localDay = (ms: number) => DateTime.fromMillis(ms, { zone: ZONE }).toISODate()!

describe('random instants in random offsets and notations', () => {
  it('book, reschedule, the day book and the clash check agree with luxon', async () => {
    const minute = 60_000
    const when = fc.integer({ min: Date.UTC(2027, 0, 1) / minute, max: Date.UTC(2029, 0, 1) / minute })
    const spelling = fc.record({
      offset: fc.integer({ min: -48, max: 56 }),
      notation: fc.constantFrom('Z' as const, 'offset' as const, 'offset-no-ms' as const),
    })
    let run = 0
    await fc.assert(
      fc.asyncProperty(
        when,
        fc.integer({ min: 5, max: 120 }),
        fc.integer({ min: -180, max: 180 }),
        fc.integer({ min: 5, max: 120 }),
        fc.integer({ min: -600, max: 600 }),
        fc.array(spelling, { minLength: 6, maxLength: 6 }),
        async (startMin, len, otherShift, otherLen, moveShift, s) => {
          const practitioner = `rt-prop-${++run}`
          const a = { start: startMin * minute, end: (startMin + len) * minute }
          const write = (ms: number, i: number) => written(ms, s[i]!.offset, s[i]!.notation)

          const first = await book(practitioner, write(a.start, 0), write(a.end, 1))
          if (!first.ok) throw new Error(first.error.message)
          const id = first.value.appointment.id!
          expect(first.value.appointment.start).toBe(utc(a.start))
          expect(first.value.appointment.end).toBe(utc(a.end))
          expect(await dayIds(localDay(a.start))).toContain(id)

          // The clash check against luxon's own overlap test.
          const b = { start: a.start + otherShift * minute, end: a.start + (otherShift + otherLen) * minute }
          const overlapsA = b.start < a.end && b.end > a.start
          const second = await book(practitioner, write(b.start, 2), write(b.end, 3))
          expect(second.ok, `${JSON.stringify(a)} vs ${JSON.stringify(b)}`).toBe(!overlapsA)

          const c = { start: a.start + moveShift * minute, end: a.start + (moveShift + len) * minute }
          const overlapsB = second.ok && c.start < b.end && c.end > b.start
          const moved = await rt.dispatch('appointments.reschedule', {
            appointmentId: id,
            start: write(c.start, 4),
            end: write(c.end, 5),
          })
          expect(moved.ok, `${JSON.stringify(c)} vs ${JSON.stringify(b)}`).toBe(!overlapsB)
          const stored = rt.cache.appointmentRow(id)!
          const expected = overlapsB ? a : c
          expect(stored.start).toBe(utc(expected.start))
          expect(stored.end).toBe(utc(expected.end))
          expect(await dayIds(localDay(expected.start))).toContain(id)
        },
      ),
      { numRuns: 40 },
    )
  })
})

describe('migration 5: stored instants rewritten to the one form', () => {
  it('rewrites the cache and outbox rows of the previous schema version', () => {
    const file = join(dataDir, 'previous.db')
    const key = randomBytes(32).toString('hex')
    const previous = migrations.filter((m) => m.version < 5)
    const old = openDatabase({ file, key, migrations: previous })
    expect(old.pragma('user_version', { simple: true })).toBe(4)
    const at = '2027-10-01T09:00:00.000Z'
    old
      .prepare(
        `INSERT INTO connections (id, vendor, label, base_url, time_zone, created_at)
         VALUES ('c', 'semble', 'Riverside', 'https://example.test', 'Europe/London', ?)`,
      )
      .run(at)
    const appt = old.prepare(
      `INSERT INTO appointments (id, connection_id, start, end, status, fetched_at) VALUES (?, 'c', ?, ?, 'booked', ?)`,
    )
    appt.run('sat', '2027-10-30T23:30:00+01:00', '2027-10-31T00:00:00+01:00', at)
    appt.run('ms', '2027-06-02T10:30:00Z', '2027-06-02T11:00:00.5-04:00', at)
    appt.run('done', '2027-06-02T10:00:00.000Z', '2027-06-02T10:30:00.000Z', at)
    appt.run('none', null, null, at)
    const outbox = old.prepare(
      `INSERT INTO outbox (connection_id, entity_key, kind, payload, client_ref, state, next_attempt_at, undo, actor, created_at, updated_at)
       VALUES ('c', ?, ?, ?, ?, 'pending', ?, ?, 'Reception', ?, ?)`,
    )
    outbox.run(
      'appointment:sat',
      'book',
      JSON.stringify({
        appointmentId: 'sat',
        start: '2027-10-30T23:30:00+01:00',
        end: '2027-10-31T00:00:00+01:00',
      }),
      'ref-1',
      at,
      JSON.stringify({ table: 'appointments', id: 'sat', before: null }),
      at,
      at,
    )
    outbox.run(
      'appointment:ms',
      'reschedule',
      JSON.stringify({
        appointmentId: 'ms',
        start: '2027-06-02T06:30:00-04:00',
        end: '2027-06-02T07:00:00-04:00',
      }),
      'ref-2',
      at,
      JSON.stringify({
        table: 'appointments',
        id: 'ms',
        before: { id: 'ms', start: '2027-06-02T11:30:00+01:00', end: '2027-06-02T12:00:00+01:00' },
      }),
      at,
      at,
    )
    outbox.run(
      'appointment:done',
      'cancel',
      JSON.stringify({ appointmentId: 'done', reason: 'ill' }),
      'ref-3',
      at,
      null,
      at,
      at,
    )
    old.close()

    const db = openDatabase({ file, key })
    expect(db.pragma('user_version', { simple: true })).toBe(latestSchemaVersion())
    const rows = db.prepare(`SELECT id, start, end FROM appointments ORDER BY id`).all()
    expect(rows).toEqual([
      { id: 'done', start: '2027-06-02T10:00:00.000Z', end: '2027-06-02T10:30:00.000Z' },
      { id: 'ms', start: '2027-06-02T10:30:00.000Z', end: '2027-06-02T15:00:00.500Z' },
      { id: 'none', start: null, end: null },
      { id: 'sat', start: '2027-10-30T22:30:00.000Z', end: '2027-10-30T23:00:00.000Z' },
    ])
    const box = (
      db.prepare(`SELECT payload, undo FROM outbox ORDER BY seq`).all() as {
        payload: string
        undo: string | null
      }[]
    ).map((r) => ({
      payload: JSON.parse(r.payload) as unknown,
      undo: r.undo ? (JSON.parse(r.undo) as unknown) : null,
    }))
    expect(box).toEqual([
      {
        payload: { appointmentId: 'sat', start: '2027-10-30T22:30:00.000Z', end: '2027-10-30T23:00:00.000Z' },
        undo: { table: 'appointments', id: 'sat', before: null },
      },
      {
        payload: { appointmentId: 'ms', start: '2027-06-02T10:30:00.000Z', end: '2027-06-02T11:00:00.000Z' },
        undo: {
          table: 'appointments',
          id: 'ms',
          before: { id: 'ms', start: '2027-06-02T10:30:00.000Z', end: '2027-06-02T11:00:00.000Z' },
        },
      },
      { payload: { appointmentId: 'done', reason: 'ill' }, undo: null },
    ])
    // The day query now finds the Saturday-night booking on Saturday.
    const saturday = db
      .prepare(`SELECT id FROM appointments WHERE connection_id = 'c' AND start >= ? AND start < ?`)
      .all('2027-10-29T23:00:00.000Z', '2027-10-30T23:00:00.000Z')
    expect(saturday).toEqual([{ id: 'sat' }])
    db.close()
  })
})
