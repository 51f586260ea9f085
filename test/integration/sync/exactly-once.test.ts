/**
 * The outbox's guards against sending twice or never finishing, against the Semble simulator over
 * real HTTP on a real encrypted file: compare-and-set on every transition (two connections, two
 * processes), an unexpected error ending in needs-attention, ambiguous rows backing off and
 * asking a person, and retry reconciling before it sends. Writes are counted at the simulator.
 * A vendor that commits late is in slow-vendor.test.ts.
 */
import { spawn } from 'node:child_process'
import { resolve } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { Runtime } from '../../../src/main/app/runtime'
import { silentLogger } from '../../../src/main/log/logger'
import { KeychainSecretStore } from '../../../src/main/secrets/secret-store'
import { databaseKey, openDatabase } from '../../../src/main/store/database'
import { VendorExecutor } from '../../../src/main/sync/executor'
import { OutboxRepo } from '../../../src/main/sync/outbox-repo'
import {
  INTERNAL_ERROR_MESSAGE,
  OutboxWorker,
  UNCONFIRMED_MESSAGE,
  UNREADABLE_MESSAGE,
  type OutboxExecutor,
  type WorkerOptions,
} from '../../../src/main/sync/worker'
import { ManualClock, systemClock } from '../../../src/shared/clock'
import type { QueueItem } from '../../../src/shared/contract'
import { bookingOf, sembleClinic, type SembleClinic } from '../../support/semble-clinic'

let clinic: SembleClinic
let rt: Runtime
let nextSlot = 0

beforeAll(async () => {
  clinic = await sembleClinic('exactly-once', { seed: 19 })
}, 60_000)

afterAll(async () => {
  await clinic?.close()
})

/** The runtime, with its own worker stopped: the test drives the workers. */
async function openQuiet() {
  rt = await clinic.open({ startSync: false })
  rt.sync.worker(clinic.connectionId)
  await rt.sync.stop()
  return rt
}

async function book(): Promise<{ seq: number; clientRef: string }> {
  const slot = clinic.slots[nextSlot++]!
  const r = await rt.dispatch('appointments.book', bookingOf(clinic, slot, clinic.patientIds[nextSlot % 20]!))
  if (!r.ok) throw new Error(r.error.message)
  const row = rt.db.prepare(`SELECT seq, client_ref FROM outbox ORDER BY seq DESC LIMIT 1`).get() as {
    seq: number
    client_ref: string
  }
  return { seq: row.seq, clientRef: row.client_ref }
}

/** Every createBooking the simulator received for this reference, applied or refused. */
const received = (clientRef: string) =>
  clinic.sim.control
    .writes()
    .filter((w) => w.operation === 'createBooking' && JSON.stringify(w.input).includes(clientRef))

const hooks = { offline() {}, online() {}, authFailed() {}, changed() {} }

function worker(clock: ManualClock, opts: WorkerOptions = {}, wrap?: (e: OutboxExecutor) => OutboxExecutor) {
  const store = new OutboxRepo(rt.db, () => clock.now())
  const real = new VendorExecutor(
    rt.connections.get(clinic.connectionId),
    () => rt.adapters.get(clinic.connectionId),
    rt.cache,
  )
  const w = new OutboxWorker(clinic.connectionId, store, wrap ? wrap(real) : real, hooks, silentLogger, {
    clock,
    timer: false,
    random: () => 0.5,
    settleMs: 10_000,
    ...opts,
  })
  return { store, w }
}

beforeEach(() => {
  clinic.sim.control.clearFaults()
})

describe('compare-and-set on every outbox transition', () => {
  it('a row claimed through one database connection cannot be claimed, finished or discarded through another', async () => {
    await openQuiet()
    try {
      const { seq } = await book()
      const secrets = new KeychainSecretStore(clinic.keychainService)
      const file = resolve(clinic.dataDir, 'clinic.db')
      const other = openDatabase({ file, key: await databaseKey(secrets, 'clinic', file) })
      try {
        const a = new OutboxRepo(rt.db)
        const b = new OutboxRepo(other)
        // Both read the row while it is pending, as two drains would.
        const [seenA] = a.eligible(clinic.connectionId, undefined, 1)
        const [seenB] = b.eligible(clinic.connectionId, undefined, 1)
        expect(seenA!.seq).toBe(seq)
        expect(seenB!.seq).toBe(seq)
        const claimed = a.claim(seenA!, 60_000, true)
        expect(claimed).toMatchObject({ state: 'sending', attempts: 1 })
        expect(b.claim(seenB!, 60_000, true)).toBeNull()
        expect(b.markRetry(seenB!, 0, { kind: 'x', message: 'x' })).toBe(false)
        let applied = false
        expect(b.markDone(seenB!, () => (applied = true), 'stale')).toBe(false)
        expect(applied).toBe(false)
        expect(a.markDone(claimed!, () => (applied = true), 'sent')).toBe(true)
        expect(applied).toBe(true)
        expect(a.get(seq)).toMatchObject({ state: 'done', attempts: 1 })
        expect(b.markAttention(claimed!, { kind: 'x', message: 'late' })).toBe(false)
        expect(a.get(seq).state).toBe('done')
      } finally {
        other.close()
      }
    } finally {
      await rt.close()
    }
  })

  it('two processes draining one database file send each row exactly once', async () => {
    await openQuiet()
    const refs: string[] = []
    for (let i = 0; i < 16; i++) refs.push((await book()).clientRef)
    await rt.close()

    const children = [0, 1].map(() => {
      const proc = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          resolve('test/integration/sync/worker-child.ts'),
          clinic.dataDir,
          clinic.keychainService,
          clinic.connectionId,
          clinic.clock.now().toISOString(),
        ],
        { stdio: ['pipe', 'pipe', 'inherit'], env: process.env },
      )
      let out = ''
      const ready = new Promise<void>((ok) =>
        proc.stdout!.on('data', (c: Buffer) => {
          out += c.toString()
          if (out.includes('ready')) ok()
        }),
      )
      const exited = new Promise<number | null>((ok) => proc.on('exit', (code) => ok(code)))
      return { proc, ready, exited }
    })
    await Promise.all(children.map((c) => c.ready))
    for (const c of children) c.proc.stdin!.write('go\n')
    expect(await Promise.all(children.map((c) => c.exited))).toEqual([0, 0])

    await openQuiet()
    try {
      // A drain that failed inside Frontdesk (its own database write after the vendor answered,
      // say: the child's stderr above says why) leaves its row for a reconcile, never a resend (in
      // flight, or needing attention with a look first) and the rows after it waiting. Settle
      // those as the app's next drain would.
      const left = rt.db
        .prepare(`SELECT seq, state, last_error AS lastError FROM outbox WHERE state != 'done'`)
        .all() as { seq: number; state: string; lastError: string | null }[]
      if (left.length) console.log('left after both drains:', JSON.stringify(left))
      for (const r of left) {
        const reconcileFirst = !!r.lastError && JSON.parse(r.lastError).reconcileFirst === true
        const settles =
          ['pending', 'sending'].includes(r.state) || (r.state === 'needs-attention' && reconcileFirst)
        expect(settles, JSON.stringify(r)).toBe(true)
        if (r.state === 'needs-attention')
          expect((await rt.dispatch('queue.retry', { seq: r.seq })).ok).toBe(true)
      }
      if (left.length) {
        // Past any lease the dead drain left on its row.
        const later = new ManualClock(new Date(clinic.clock.now().getTime() + 10 * 60_000))
        await worker(later).w.drain()
      }
      const twice = refs.filter((r) => received(r).length !== 1)
      expect(
        twice.map((r) => ({
          r,
          writes: received(r),
          audit: rt.db.prepare(`SELECT * FROM audit_log WHERE detail LIKE ?`).all(`%${r}%`),
        })),
      ).toEqual([])
      expect(refs.map((r) => received(r).length)).toEqual(refs.map(() => 1))
      const states = rt.db.prepare(`SELECT DISTINCT state FROM outbox`).all() as { state: string }[]
      expect(states.map((s) => s.state)).toEqual(['done'])
    } finally {
      await rt.close()
    }
  }, 60_000)
})

describe('every path out of a send ends in a defined state', () => {
  it('an unexpected error puts the row in needs-attention; retry (after reconciling) and discard both work', async () => {
    await openQuiet()
    try {
      const clock = new ManualClock(new Date(systemClock.now().getTime() + 1_000))
      const first = await book()
      const second = await book()
      let failNext = 2
      const { w, store } = worker(clock, {}, (real) => ({
        reconcile: (row) => real.reconcile(row),
        send: (row) => {
          if (failNext-- > 0) throw new TypeError("Cannot read properties of undefined (reading 'ref')")
          return real.send(row)
        },
      }))
      await w.drain()
      for (const { seq } of [first, second]) {
        expect(store.get(seq)).toMatchObject({
          state: 'needs-attention',
          lastError: { kind: 'internal', message: INTERNAL_ERROR_MESSAGE },
        })
      }
      const listed = await rt.dispatch('queue.list', { connectionId: clinic.connectionId })
      expect(listed.ok && (listed.value as QueueItem[]).map((q) => q.state)).toEqual([
        'needs-attention',
        'needs-attention',
      ])

      const discarded = await rt.dispatch('queue.discard', { seq: second.seq })
      expect(discarded.ok).toBe(true)
      expect(store.get(second.seq).state).toBe('discarded')

      const retried = await rt.dispatch('queue.retry', { seq: first.seq })
      expect(retried.ok).toBe(true)
      // Back to `sending`: it may have left before the error, so it is looked up before any resend.
      expect(store.get(first.seq)).toMatchObject({ state: 'sending', attempts: 0 })
      await w.drain()
      expect(store.get(first.seq).state).toBe('sending')
      clock.advance(10_000)
      await w.drain()
      expect(store.get(first.seq).state).toBe('done')
      expect(received(first.clientRef)).toHaveLength(1)
      expect(received(second.clientRef)).toHaveLength(0)
      // It was sent again after a reconcile, so once that has settled Frontdesk looks for a twin.
      const [check] = store.unfinished(clinic.connectionId)
      expect(check).toMatchObject({ kind: 'checkDuplicate', state: 'pending' })
      clock.advance(10_000)
      await w.drain()
      expect(store.get(check!.seq).state).toBe('done')
      expect(received(first.clientRef)).toHaveLength(1)
      await w.stop()
    } finally {
      await rt.close()
    }
  })

  it('ambiguous answers back off exponentially with full jitter, then ask a person; retry reconciles first', async () => {
    await openQuiet()
    try {
      const clock = new ManualClock(new Date(systemClock.now().getTime() + 1_000))
      const { seq, clientRef } = await book()
      // The write is applied and the connection drops; then every answer is a 500.
      clinic.sim.control.inject({ kind: 'reset-after-write', count: 1 })
      const { w, store } = worker(clock, {
        maxUnconfirmed: 6,
        backoff: { baseMs: 2_000, capMs: 20_000 },
      })
      const requestsBefore = clinic.sim.control.requestCount()
      const waits: number[] = []
      const attempts: number[] = []
      for (let i = 0; (i < 10 && store.get(seq).state === 'sending') || i === 0; i++) {
        await w.drain()
        if (i === 0) {
          expect(received(clientRef)).toHaveLength(1)
          clinic.sim.control.inject({ kind: 'status', status: 500, count: 1000 })
        }
        const row = store.get(seq)
        attempts.push(row.attempts)
        if (row.state !== 'sending') break
        const wait = Date.parse(row.nextAttemptAt) - clock.now().getTime()
        waits.push(wait)
        clock.advance(wait)
      }
      // random() = 0.5 of the ceiling: 2 s doubling, capped at 20 s; the settling wait (10 s after
      // the send) is already over by the time each reconcile is due.
      expect(waits).toEqual([1_000, 2_000, 4_000, 8_000, 10_000])
      expect(attempts).toEqual([1, 2, 3, 4, 5, 6])
      const row = store.get(seq)
      expect(row.state).toBe('needs-attention')
      expect(row.lastError).toMatchObject({ kind: 'unconfirmed', message: UNCONFIRMED_MESSAGE })
      // The queue screen is told it may be there already, so Discard does not say nothing was sent.
      const listed = await rt.dispatch('queue.list', { connectionId: clinic.connectionId })
      expect(listed.ok && (listed.value as QueueItem[]).find((q) => q.seq === seq)).toMatchObject({
        mayHaveReached: true,
      })
      // One send and five look-ups (a request or two each), not a hot loop.
      expect(clinic.sim.control.requestCount() - requestsBefore).toBeLessThanOrEqual(12)
      // The drain stopped at needs-attention: no request until a person acts.
      clock.advance(3_600_000)
      await w.drain()
      expect(store.get(seq).state).toBe('needs-attention')

      clinic.sim.control.clearFaults()
      const retried = await rt.dispatch('queue.retry', { seq })
      expect(retried.ok).toBe(true)
      await w.drain()
      const done = store.get(seq)
      expect(done.state).toBe('done')
      expect(received(clientRef)).toHaveLength(1)
      const audit = rt.db
        .prepare(`SELECT detail FROM audit_log WHERE outcome = 'sent' ORDER BY id DESC LIMIT 1`)
        .get() as { detail: string }
      expect(audit.detail).toContain('found at the clinic system after an interrupted send')
      await w.stop()
    } finally {
      await rt.close()
    }
  })
})

describe('the durable sending mark', () => {
  it('is in the database before the request reaches the vendor, so a crash then is reconciled, not resent', async () => {
    await openQuiet()
    try {
      const clock = new ManualClock(new Date(systemClock.now().getTime() + 1_000))
      const { seq, clientRef } = await book()
      clinic.sim.control.inject({ kind: 'hang', ms: 3_000, count: 1, scope: 'writes' })
      const requests = clinic.sim.control.requestCount()
      const { w } = worker(clock)
      const draining = w.drain()
      const end = performance.now() + 10_000
      while (clinic.sim.control.requestCount() === requests && performance.now() < end) {
        await new Promise((r) => setTimeout(r, 20))
      }
      // Read through a store of its own: what a restarted process would find.
      const seen = new OutboxRepo(rt.db).get(seq)
      expect(seen.state).toBe('sending')
      expect(seen.attempts).toBe(1)
      expect(received(clientRef)).toHaveLength(0)
      await draining
      expect(received(clientRef)).toHaveLength(1)
    } finally {
      await rt.close()
    }
  })
})

describe('typed rows', () => {
  it('a stored row that no longer parses goes to needs-attention; the worker goes on with the others', async () => {
    await openQuiet()
    try {
      const clock = new ManualClock(new Date(systemClock.now().getTime() + 1_000))
      const bad = await book()
      const good = await book()
      // As an older version might have stored it: no start, and the type under another name.
      const payload = JSON.parse(
        (rt.db.prepare(`SELECT payload FROM outbox WHERE seq = ?`).get(bad.seq) as { payload: string })
          .payload,
      ) as Record<string, unknown>
      delete payload.start
      payload.typeRef = payload.appointmentTypeRef
      delete payload.appointmentTypeRef
      rt.db.prepare(`UPDATE outbox SET payload = ? WHERE seq = ?`).run(JSON.stringify(payload), bad.seq)

      const { w, store } = worker(clock)
      const row = store.get(bad.seq)
      expect(row.kind).toBe('unreadable')
      // Listed as needing a person before the worker has even reached it.
      const early = await rt.dispatch('queue.list', { connectionId: clinic.connectionId })
      expect(early.ok && (early.value as QueueItem[]).find((q) => q.seq === bad.seq)).toMatchObject({
        kind: 'unreadable',
        storedKind: 'book',
        state: 'needs-attention',
        // Never sent: Discard can say nothing was.
        mayHaveReached: false,
        error: { kind: 'unreadable', message: expect.stringContaining(UNREADABLE_MESSAGE) as unknown },
      })
      await w.drain()
      expect(store.get(bad.seq)).toMatchObject({
        state: 'needs-attention',
        lastError: { kind: 'unreadable', message: expect.stringContaining(UNREADABLE_MESSAGE) as unknown },
      })
      expect(store.get(good.seq).state).toBe('done')
      expect(received(bad.clientRef)).toHaveLength(0)
      expect(received(good.clientRef)).toHaveLength(1)
      const listed = await rt.dispatch('queue.list', { connectionId: clinic.connectionId })
      expect(listed.ok && (listed.value as QueueItem[]).map((q) => [q.kind, q.state])).toEqual([
        ['unreadable', 'needs-attention'],
      ])
      expect((await rt.dispatch('queue.discard', { seq: bad.seq })).ok).toBe(true)
      expect(store.get(bad.seq).state).toBe('discarded')
    } finally {
      await rt.close()
    }
  })
})

describe('waiting and ordering', () => {
  it("a 429 is not tried again before the vendor's Retry-After, however small the jitter", async () => {
    await openQuiet()
    try {
      const clock = new ManualClock(new Date(systemClock.now().getTime() + 1_000))
      const { seq, clientRef } = await book()
      clinic.sim.control.inject({ kind: 'rate-limit', retryAfterSeconds: 3, count: 1, scope: 'writes' })
      const { w, store } = worker(clock, { random: () => 0 })
      await w.drain()
      const row = store.get(seq)
      expect(row.state).toBe('pending')
      expect(Date.parse(row.nextAttemptAt) - clock.now().getTime()).toBe(3_000)
      clock.advance(2_999)
      await w.drain()
      expect(received(clientRef)).toHaveLength(0)
      clock.advance(1)
      await w.drain()
      expect(store.get(seq).state).toBe('done')
      expect(received(clientRef)).toHaveLength(1)
    } finally {
      await rt.close()
    }
  })

  it('a row waiting for the clinic system holds back every later row, so four records reach the vendor in the order they were made', async () => {
    await openQuiet()
    try {
      const clock = new ManualClock(new Date(systemClock.now().getTime() + 1_000))
      const made = [await book(), await book(), await book(), await book()]
      // The first is turned away (503): it waits its backoff; the other three are due all along.
      clinic.sim.control.inject({ kind: 'status', status: 503, count: 1, scope: 'writes' })
      const { w, store } = worker(clock, { random: () => 0.9 })
      await w.drain()
      const first = store.get(made[0]!.seq)
      expect(first.state).toBe('pending')
      clock.advance(1)
      await w.drain()
      expect(made.map((m) => received(m.clientRef).length)).toEqual([0, 0, 0, 0])
      clock.set(new Date(first.nextAttemptAt))
      await w.drain()
      const order = clinic.sim.control
        .writes()
        .filter((x) => x.operation === 'createBooking' && x.outcome === 'applied')
        .map((x) => made.findIndex((m) => JSON.stringify(x.input).includes(m.clientRef)))
        .filter((i) => i >= 0)
      expect(order).toEqual([0, 1, 2, 3])
    } finally {
      await rt.close()
    }
  })

  it("one appointment's changes reach the vendor in the order they were made", async () => {
    await openQuiet()
    try {
      const clock = new ManualClock(new Date(systemClock.now().getTime() + 1_000))
      const { seq: bookSeq } = await book()
      const appointmentId = (
        rt.db.prepare(`SELECT entity_key FROM outbox WHERE seq = ?`).get(bookSeq) as { entity_key: string }
      ).entity_key.split(':')[1]!
      // A reschedule keeps the clinician, so move to one of that clinician's free slots (the pool's
      // next slot may be another clinician's, at a time this one is already booked).
      const from = clinic.slots[nextSlot - 1]!
      const j = clinic.slots.findIndex((s, i) => i >= nextSlot && s.practitionerRef === from.practitionerRef)
      expect(j).toBeGreaterThanOrEqual(nextSlot)
      const to = clinic.slots[j]!
      ;[clinic.slots[j], clinic.slots[nextSlot]] = [clinic.slots[nextSlot]!, to]
      nextSlot++
      const moved = await rt.dispatch('appointments.reschedule', {
        appointmentId,
        start: to.start,
        end: to.end,
      })
      expect(moved.ok).toBe(true)
      const cancelled = await rt.dispatch('appointments.cancel', { appointmentId, reason: 'Rang to cancel' })
      expect(cancelled.ok).toBe(true)
      const { w, store } = worker(clock)
      await w.drain()
      const rows = rt.db
        .prepare(`SELECT kind, state FROM outbox WHERE entity_key = ? ORDER BY seq`)
        .all(`appointment:${appointmentId}`)
      expect(rows).toEqual([
        { kind: 'book', state: 'done' },
        { kind: 'reschedule', state: 'done' },
        { kind: 'cancel', state: 'done' },
      ])
      const ref = rt.cache.appointmentRow(appointmentId)!.ref!
      const ops = clinic.sim.control
        .writes()
        .filter((x) => x.outcome === 'applied' && JSON.stringify(x.input).includes(ref))
        .map((x) => x.operation)
      expect(ops).toEqual(['updateBooking', 'deleteBooking'])
      expect(store.get(bookSeq).state).toBe('done')
    } finally {
      await rt.close()
    }
  })
})
