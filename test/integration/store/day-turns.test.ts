/**
 * A packed day in short turns, over a real encrypted file.
 * - Read from the copy on the day reader's own connection (cache/day-read-repo.ts): the event loop
 *   runs between its batches, the whole read is one snapshot while the main connection writes, reads
 *   asked for at once take turns, and closing waits for a read under way.
 * - Written from a clinic system's list (`CacheRepo.replaceAppointments`): the event loop runs
 *   between its transactions, and what the desk changes meanwhile is kept.
 */
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { CacheRepo, type AppointmentWithPatientRow } from '../../../src/main/cache/cache-repo'
import { DayReadRepo, type DayHead } from '../../../src/main/cache/day-read-repo'
import { ConnectionsRepo } from '../../../src/main/store/connections-repo'
import { OutboxRepo } from '../../../src/main/sync/outbox-repo'
import type { Appointment } from '../../../src/shared/model'
import { openDatabase, openReadConnection, StoreError, type Db } from '../../../src/main/store/database'
import { tempDir } from '../../support/temp'

const CONNECTION = 'day-read'
const FROM = '2026-03-30T00:00:00.000Z'
const TO = '2026-03-31T00:00:00.000Z'
const APPOINTMENTS = 350

let file: string
let key: string
let db: Db
let cache: CacheRepo
const cleanups: (() => void | Promise<void>)[] = []

/** `APPOINTMENTS` appointments through the day, one a minute from 08:00, with two practitioners. */
async function fillDay() {
  new ConnectionsRepo(db).upsert({
    id: CONNECTION,
    vendor: 'healthie',
    label: 'Day read',
    baseUrl: 'http://127.0.0.1:9/graphql',
    timeZone: 'Europe/London',
    locale: 'en-GB',
    options: {},
    demo: false,
  })
  cache.replaceReference(
    CONNECTION,
    [
      { connectionId: CONNECTION, ref: 'pr-1', name: 'Dr One' },
      { connectionId: CONNECTION, ref: 'pr-2', name: 'Dr Two' },
    ],
    null,
    null,
  )
  await cache.replaceAppointments(CONNECTION, FROM, TO, vendorList(), cache.instant())
}

/** The clinic system's list of the day: `APPOINTMENTS` appointments, one a minute from 08:00. */
function vendorList(note?: string): Appointment[] {
  const at = (minute: number) => new Date(Date.parse('2026-03-30T08:00:00.000Z') + minute * 60_000)
  return Array.from({ length: APPOINTMENTS }, (_, i) => ({
    ref: `a-${i}`,
    connectionId: CONNECTION,
    practitionerRef: i % 2 ? 'pr-2' : 'pr-1',
    start: at(i).toISOString(),
    end: at(i + 10).toISOString(),
    status: 'booked' as const,
    ...(note ? { note } : {}),
  }))
}

const idOf = (ref: string) =>
  (db.prepare(`SELECT id FROM appointments WHERE ref = ?`).get(ref) as { id: string }).id
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve))

/** A reader over its own connection, closed after the test. */
function reader(budgetMs: number) {
  const r = new DayReadRepo(openReadConnection({ file, key }), { budgetMs })
  cleanups.push(() => r.close())
  return r
}

/** Reads the day: its head, and every row with the batch it came in. */
async function readAll(r: DayReadRepo, onHead?: (h: DayHead) => void, onBatch?: (n: number) => void) {
  let head: DayHead | undefined
  const rows: AppointmentWithPatientRow[] = []
  const batches: number[] = []
  await r.read(
    CONNECTION,
    FROM,
    TO,
    (h) => {
      head = h
      onHead?.(h)
    },
    (batch) => {
      batches.push(batch.length)
      rows.push(...batch)
      onBatch?.(batches.length)
    },
  )
  return { head: head!, rows, batches }
}

beforeEach(async () => {
  const t = tempDir()
  cleanups.push(t.cleanup)
  file = join(t.dir, 'day-read.db')
  key = randomBytes(32).toString('hex')
  db = openDatabase({ file, key })
  cleanups.push(() => void db.close())
  cache = new CacheRepo(db)
  await fillDay()
})

afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

describe('the day reader', () => {
  it('reads the whole day in start order, in batches of a fixed size', async () => {
    const { head, rows, batches } = await readAll(reader(0))
    expect(head.practitioners.map((p) => p.name)).toEqual(['Dr One', 'Dr Two'])
    expect(head.fetchedAt).not.toBeNull()
    expect(rows.map((r) => r.ref)).toEqual(Array.from({ length: APPOINTMENTS }, (_, i) => `a-${i}`))
    expect(batches).toEqual([100, 100, 100, 50])
  })

  it('lets the event loop run once a turn has used its budget', async () => {
    let otherWorkRan = false
    setImmediate(() => (otherWorkRan = true))
    // Whether other work had run when the head was read, and when each batch was taken.
    let atHead: boolean | undefined
    const seen: boolean[] = []
    await readAll(
      reader(0),
      () => (atHead = otherWorkRan),
      () => seen.push(otherWorkRan),
    )
    expect(atHead).toBe(false)
    expect(seen.at(-1)).toBe(true)
  })

  it('reads one snapshot: writes the main connection commits meanwhile wait for the next read', async () => {
    const r = reader(0)
    const { head, rows } = await readAll(
      r,
      () => {
        // After the head is read, before any appointment is: a new appointment and a renamed practitioner.
        cache.putAppointment('late-booking', {
          connectionId: CONNECTION,
          ref: 'late',
          start: '2026-03-30T07:00:00.000Z',
          end: '2026-03-30T07:10:00.000Z',
          status: 'booked',
        })
        db.prepare(`UPDATE practitioners SET name = 'Dr Renamed' WHERE ref = 'pr-2'`).run()
      },
      (batch) => {
        // Between batches: the last appointment moved to the start of the day.
        if (batch === 1)
          cache.setAppointmentTimes(lastAppointmentId(), FROM, '2026-03-30T00:10:00.000Z', 'pr-1')
      },
    )
    expect(head.practitioners.map((p) => p.name)).toEqual(['Dr One', 'Dr Two'])
    expect(rows).toHaveLength(APPOINTMENTS)
    expect(rows.map((x) => x.ref)).not.toContain('late')
    expect(rows.at(-1)!.ref).toBe(`a-${APPOINTMENTS - 1}`)

    // The next read sees all three.
    const next = await readAll(r)
    expect(next.head.practitioners.map((p) => p.name)).toEqual(['Dr One', 'Dr Renamed'])
    expect(next.rows).toHaveLength(APPOINTMENTS + 1)
    expect(next.rows[0]!.ref).toBe(`a-${APPOINTMENTS - 1}`)
  })

  it('takes reads asked for at once in turn on its one connection', async () => {
    const r = reader(0)
    const [a, b, c] = await Promise.all([readAll(r), readAll(r), readAll(r)])
    for (const read of [a, b, c]) expect(read.rows).toHaveLength(APPOINTMENTS)
  })

  it('lets a read under way finish before it closes, and refuses reads after', async () => {
    const r = new DayReadRepo(openReadConnection({ file, key }), { budgetMs: 0 })
    const read = readAll(r)
    const closed = r.close()
    expect((await read).rows).toHaveLength(APPOINTMENTS)
    await closed
    await expect(readAll(r)).rejects.toThrow('The day reader is closed.')
  })

  it('refuses to open with a wrong key, and opens read-only', () => {
    expect(() => openReadConnection({ file, key: randomBytes(32).toString('hex') })).toThrow(StoreError)
    const conn = openReadConnection({ file, key })
    cleanups.push(() => void conn.close())
    expect(() => conn.prepare(`DELETE FROM appointments`).run()).toThrow(/readonly|read-only|query_only/i)
  })
})

describe("a clinic system's day list written to the copy", () => {
  it('lets the event loop run between its transactions', async () => {
    let otherWorkRan = false
    setImmediate(() => (otherWorkRan = true))
    const written = cache.replaceAppointments(
      CONNECTION,
      FROM,
      TO,
      vendorList('read again'),
      cache.instant(),
      0,
    )
    // Whether other work had run when the write ended.
    const ranFirst = await written.then(() => otherWorkRan)
    expect(ranFirst).toBe(true)
    expect(idOf('a-0')).toBeTruthy()
    expect(cache.appointmentRow(idOf(`a-${APPOINTMENTS - 1}`))!.note).toBe('read again')
  })

  it('keeps what the desk changed between its turns: a cancellation still to send, a booking just made', async () => {
    const outbox = new OutboxRepo(db)
    const listedAt = cache.instant()
    const written = cache.replaceAppointments(CONNECTION, FROM, TO, vendorList('read again'), listedAt, 0)
    // The list's first turn is written; its last appointment is not yet.
    await nextTurn()
    const last = idOf(`a-${APPOINTMENTS - 1}`)
    expect(cache.appointmentRow(last)!.note).toBeNull()
    outbox.enqueue(
      {
        connectionId: CONNECTION,
        entityKey: `appointment:${last}`,
        kind: 'cancel',
        payload: { appointmentId: last },
        undo: null,
        actor: 'Reception',
      },
      () => cache.setAppointmentStatus(last, 'cancelled'),
      { entity: 'appointment', entityId: last, action: 'cancel' },
    )
    // A booking the queue has just sent, with the clinic system's id: not in the list read before it.
    cache.putAppointment('just-booked', {
      connectionId: CONNECTION,
      ref: 'just-booked-ref',
      start: '2026-03-30T16:00:00.000Z',
      end: '2026-03-30T16:10:00.000Z',
      status: 'booked',
    })
    await written

    expect(cache.appointmentRow(last)!.status).toBe('cancelled')
    expect(cache.appointmentRow('just-booked')).toBeDefined()
    // The rest of the list is the clinic system's.
    expect(cache.appointmentRow(idOf(`a-${APPOINTMENTS - 2}`))!.note).toBe('read again')
  })
})

/** The id of the day's last appointment, as the main connection has it. */
function lastAppointmentId(): string {
  return (
    db
      .prepare(`SELECT id FROM appointments WHERE connection_id = ? ORDER BY start DESC LIMIT 1`)
      .get(CONNECTION) as { id: string }
  ).id
}
