/** The queue panel: what is waiting to reach each clinic system, and what needs a person. */
import type { QueueItem } from '../../shared/contract'
import { AppFailure } from '../../shared/result'
import { storedKindOf, type OutboxError, type OutboxRow, type OutboxStore } from '../sync/outbox-store'
import { vendorReason } from '../vendors/vendor-text'
import type { SyncEngine } from '../sync/sync-engine'
import type { ConnectionsRepo } from '../store/connections-repo'

const toItem = (r: OutboxRow): QueueItem => ({
  seq: r.seq,
  connectionId: r.connectionId,
  kind: storedKindOf(r),
  entityKey: r.entityKey,
  state: r.state,
  attempts: r.attempts,
  createdAt: r.createdAt,
  nextAttemptAt: r.nextAttemptAt,
  actor: r.actor,
  error: publicError(r.lastError),
  // An unreadable row shows what was stored, when it is an object at all.
  payload: r.kind !== 'unreadable' ? r.payload : isRecord(r.payload) ? r.payload : {},
})

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

/**
 * The renderer gets a classified reason (kind, HTTP status, vendor code) in place of the vendor's
 * own text, which stays in the encrypted store for support.
 */
export function publicError(e: OutboxError | null): QueueItem['error'] {
  if (!e) return null
  const shown: NonNullable<QueueItem['error']> = { kind: e.kind, message: e.message }
  if (e.alternatives) shown.alternatives = e.alternatives
  if (e.vendorMessage !== undefined || e.status !== undefined || e.vendorCode !== undefined)
    shown.vendorMessage = vendorReason(e)
  return shown
}

export class QueueService {
  constructor(
    private readonly connections: ConnectionsRepo,
    private readonly outbox: OutboxStore,
    private readonly sync: SyncEngine,
    private readonly actor: () => string,
  ) {}

  list(input: { connectionId?: string }): QueueItem[] {
    const ids = input.connectionId
      ? [this.connections.get(input.connectionId).id]
      : this.connections.list().map((c) => c.id)
    return ids.flatMap((id) => this.outbox.unfinished(id).map(toItem))
  }

  retry(input: { seq: number }): QueueItem {
    const row = this.outbox.get(input.seq)
    if (row.state !== 'needs-attention') {
      throw new AppFailure(
        'conflict',
        'Only a change that needs attention can be retried; this one is already waiting to send.',
      )
    }
    const again = this.outbox.retry(input.seq)
    void this.sync.drain(row.connectionId)
    this.sync.emitQueue(row.connectionId)
    return toItem(again)
  }

  discard(input: { seq: number }): QueueItem[] {
    let discarded: OutboxRow[]
    try {
      discarded = this.outbox.discard(input.seq, this.actor())
    } catch (err) {
      throw new AppFailure('conflict', err instanceof Error ? err.message : String(err))
    }
    const row = this.outbox.get(input.seq)
    this.sync.emitQueue(row.connectionId)
    return discarded.map(toItem)
  }
}
