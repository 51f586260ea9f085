/**
 * Owns one outbox worker per connection and each connection's online/offline state. Every trigger
 * the design names starts a drain: a new row, app start, back online (a probe succeeds), the
 * worker's timer, and new credentials.
 */
import { type Clock, systemClock } from '../../shared/clock'
import type { ConnectionStatus } from '../../shared/contract'
import type { EventBus } from '../app/event-bus'
import type { CacheRepo } from '../cache/cache-repo'
import type { Logger } from '../log/logger'
import { ConnectionStateRepo } from '../store/connection-state-repo'
import type { ConnectionsRepo } from '../store/connections-repo'
import type { Db } from '../store/database'
import type { VendorError } from '../vendors/errors'
import type { VendorAdapter } from '../vendors/types'
import { VendorExecutor } from './executor'
import type { OutboxRepo } from './outbox-repo'
import type { Vendor } from '../../shared/model'
import type { BackoffPolicy } from './backoff'
import { defaultSettleMs, OutboxWorker } from './worker'

export interface ConnectionSyncState {
  online: boolean
  since: string
  lastSuccessAt: string | null
  lastError: string | null
}

export interface SyncEngineOptions {
  /** The app's clock (connection state times, backoff, the worker's timer). */
  clock?: Clock
  /** How often an offline connection is probed. */
  probeEveryMs?: number
  random?: () => number
  /**
   * Per vendor, how long after a request the vendor may still commit it: a write whose answer was
   * lost is not resent before then (default `defaultSettleMs`).
   */
  settleMs?: Partial<Record<Vendor, number>>
  /** Lost answers in a row before a person is asked (default `defaultMaxUnconfirmed`). */
  maxUnconfirmed?: number
  backoff?: BackoffPolicy
}

export class SyncEngine {
  private readonly workers = new Map<string, OutboxWorker>()
  private readonly probes = new Map<string, NodeJS.Timeout>()
  /** The probe in flight per connection: one at a time, so probes never queue in the rate limiter ahead of sends. */
  private readonly probing = new Map<string, Promise<void>>()
  private readonly offStoreChanges: () => void

  constructor(
    private readonly db: Db,
    private readonly connections: ConnectionsRepo,
    private readonly store: OutboxRepo,
    private readonly cache: CacheRepo,
    private readonly adapterFor: (connectionId: string) => VendorAdapter,
    private readonly bus: EventBus,
    private readonly log: Logger,
    private readonly opts: SyncEngineOptions = {},
  ) {
    // Every state change of every row (`sending` included) reaches the queue screen and the banner.
    this.offStoreChanges = store.onChange((connectionId) => this.emitQueue(connectionId))
  }

  private get clock(): Clock {
    return this.opts.clock ?? systemClock
  }

  worker(connectionId: string): OutboxWorker {
    let w = this.workers.get(connectionId)
    if (!w) {
      const connection = this.connections.get(connectionId)
      const executor = new VendorExecutor(
        connection,
        () => this.adapterFor(connectionId),
        this.cache,
        this.clock,
      )
      w = new OutboxWorker(
        connectionId,
        this.store,
        executor,
        {
          offline: (e) => this.setOnline(connectionId, false, e),
          online: () => this.setOnline(connectionId, true),
          authFailed: (e) => this.setOnline(connectionId, true, e),
        },
        this.log,
        {
          clock: this.clock,
          ...(this.opts.random ? { random: this.opts.random } : {}),
          ...(this.opts.backoff ? { backoff: this.opts.backoff } : {}),
          ...(this.opts.maxUnconfirmed ? { maxUnconfirmed: this.opts.maxUnconfirmed } : {}),
          settleMs: this.opts.settleMs?.[connection.vendor] ?? defaultSettleMs,
        },
      )
      this.workers.set(connectionId, w)
    }
    return w
  }

  /** App start: every connection drains what is waiting (rows left `sending` are reconciled first). */
  start() {
    for (const c of this.connections.list()) void this.worker(c.id).drain()
  }

  drain(connectionId: string) {
    return this.worker(connectionId).drain()
  }

  /**
   * "Send now": a waiting row (or, without `seq`, the connection's whole queue) is due at once, in
   * the usual order (never before a vendor's Retry-After). Resolves when the drain is idle.
   */
  sendNow(connectionId: string, seq?: number) {
    this.store.dueNow(connectionId, seq === undefined ? {} : { seq })
    return this.drain(connectionId)
  }

  /** New credentials: a paused worker may send again. */
  credentialsChanged(connectionId: string) {
    return this.worker(connectionId).resume()
  }

  state(connectionId: string): ConnectionSyncState {
    const row = new ConnectionStateRepo(this.db).get(connectionId)
    if (!row) return { online: true, since: new Date(0).toISOString(), lastSuccessAt: null, lastError: null }
    return {
      online: row.online === 1,
      since: row.since,
      lastSuccessAt: row.last_success_at,
      lastError: row.last_error,
    }
  }

  /** The end of every confirmation: whether the change is on its way or waits for the connection. */
  deliveryNote(connectionId: string, label: string): string {
    return this.state(connectionId).online
      ? `sending to ${label} now`
      : `will be sent when ${label} is back online`
  }

  /** Called by reads too: any definite answer from the vendor proves it is reachable. */
  setOnline(connectionId: string, online: boolean, error?: VendorError) {
    const now = this.clock.now().toISOString()
    const before = this.state(connectionId)
    const changed = before.online !== online || before.since === new Date(0).toISOString()
    new ConnectionStateRepo(this.db).save({
      id: connectionId,
      online: online ? 1 : 0,
      now,
      success: online && !error ? now : null,
      error: error ? error.message : null,
    })
    if (changed && online) {
      // Back: what waited only for the connection goes now, in order, not at its backoff's end.
      this.store.dueNow(connectionId, { onlyOffline: true })
      void this.drain(connectionId)
    }
    if (changed) {
      const status = this.status(connectionId)
      this.bus.emit('connectivityChanged', { connectionId, online, since: status.since, status })
      this.log.info(online ? 'connection online' : 'connection offline', {
        connectionId,
        reason: error?.message,
      })
    }
    if (!online) this.startProbe(connectionId)
    else this.stopProbe(connectionId)
  }

  private startProbe(connectionId: string) {
    if (this.probes.has(connectionId)) return
    const t = setInterval(() => void this.probe(connectionId), this.opts.probeEveryMs ?? 15_000)
    t.unref()
    this.probes.set(connectionId, t)
  }

  private stopProbe(connectionId: string) {
    const t = this.probes.get(connectionId)
    if (t) clearInterval(t)
    this.probes.delete(connectionId)
  }

  /**
   * An offline connection is tried with its cheapest read; success brings it back and drains.
   * Single-flight: a probe asked for while one is in flight joins it.
   */
  probe(connectionId: string): Promise<void> {
    const running = this.probing.get(connectionId)
    if (running) return running
    const p = (async () => {
      try {
        await this.adapterFor(connectionId).testConnection()
      } catch {
        return // Still away; the next probe tries again.
      }
      this.setOnline(connectionId, true)
      await this.drain(connectionId)
    })().finally(() => this.probing.delete(connectionId))
    this.probing.set(connectionId, p)
    return p
  }

  emitQueue(connectionId: string) {
    const status = this.status(connectionId)
    this.bus.emit('queueChanged', {
      connectionId,
      pending: status.pending,
      needsAttention: status.needsAttention,
      status,
    })
  }

  /** A connection's status as `connections.status` answers it (and its events carry it). */
  status(connectionId: string): ConnectionStatus {
    const { online, since, lastSuccessAt } = this.state(connectionId)
    const { pending, needsAttention, oldestPendingAt } = this.store.counts(connectionId)
    return { connectionId, online, since, lastSuccessAt, pending, needsAttention, oldestPendingAt }
  }

  async stop() {
    this.offStoreChanges()
    for (const t of this.probes.values()) clearInterval(t)
    this.probes.clear()
    await Promise.all([...this.workers.values()].map((w) => w.stop()))
  }
}
