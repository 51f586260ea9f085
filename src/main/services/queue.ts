/** The queue panel: what is waiting to reach each clinic system, and what needs a person. */
import type { QueueItem } from '../../shared/contract'
import { AppFailure } from '../../shared/result'
import { UNREADABLE_MESSAGE } from '../sync/worker'
import { type OutboxError, type OutboxRow, type OutboxRepo, storedKindOf } from '../sync/outbox-repo'
import { vendorReason } from '../vendors/vendor-text'
import type { SyncEngine } from '../sync/sync-engine'
import type { ConnectionsRepo } from '../store/connections-repo'

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
    private readonly outbox: OutboxRepo,
    private readonly sync: SyncEngine,
    private readonly actor: () => string,
  ) {}

  private toItem(r: OutboxRow): QueueItem {
    const base = {
      seq: r.seq,
      connectionId: r.connectionId,
      entityKey: r.entityKey,
      state: r.state,
      attempts: r.attempts,
      createdAt: r.createdAt,
      nextAttemptAt: r.nextAttemptAt,
      actor: r.actor,
      error: publicError(r.lastError),
      mayHaveReached:
        r.state !== 'done' && (r.lastError?.reconcileFirst === true || r.lastError?.resent === true),
      subject: this.outbox.subjectOf(r),
    }
    if (r.kind !== 'unreadable') return { ...base, kind: r.kind, payload: r.payload } as QueueItem
    // Never sent; shown as needing a person from the moment it is listed, before the worker gets to it.
    return {
      ...base,
      kind: 'unreadable',
      storedKind: r.storedKind,
      problem: r.problem,
      state: r.state === 'done' || r.state === 'discarded' ? r.state : 'needs-attention',
      error:
        base.error?.kind === 'unreadable'
          ? base.error
          : { kind: 'unreadable', message: `${UNREADABLE_MESSAGE} (${r.problem})` },
    }
  }

  list(input: { connectionId?: string }): QueueItem[] {
    const ids = input.connectionId
      ? [this.connections.get(input.connectionId).id]
      : this.connections.list().map((c) => c.id)
    return ids.flatMap((id) => this.outbox.unfinished(id).map((r) => this.toItem(r)))
  }

  /** The queued change, or a plain "not in the queue" for a number that is not one. */
  private row(seq: number): OutboxRow {
    if (!this.outbox.has(seq))
      throw new AppFailure('not-found', 'That change is no longer in the queue.', 'seq')
    return this.outbox.get(seq)
  }

  /**
   * A person's action on a queued change, in the audit log under them (the change itself stays
   * under whoever made it): who sent on a change another person's mistake held back.
   */
  private audit(row: OutboxRow, outcome: string, detail?: string) {
    const [entity, entityId] = row.entityKey.split(':') as [string, string]
    this.outbox.audit({
      actor: this.actor(),
      connectionId: row.connectionId,
      entity,
      entityId,
      action: storedKindOf(row),
      outcome,
      ...(detail ? { detail } : {}),
      seq: row.seq,
    })
  }

  retry(input: { seq: number }): QueueItem {
    const row = this.row(input.seq)
    if (row.state !== 'needs-attention') {
      throw new AppFailure(
        'conflict',
        'Only a change that needs attention can be retried; this one is already waiting to send.',
      )
    }
    const again = this.outbox.db.transaction(() => {
      this.audit(row, 'retried')
      return this.outbox.retry(input.seq)
    })()
    void this.sync.drain(row.connectionId)
    return this.toItem(again)
  }

  /** "Send now": a waiting change (or all of a connection's) goes at once, in the usual order. */
  sendNow(input: { connectionId: string; seq?: number }): { due: number } {
    const connectionId = this.connections.get(input.connectionId).id
    if (input.seq !== undefined) {
      const row = this.row(input.seq)
      if (row.connectionId !== connectionId || row.state !== 'pending') {
        throw new AppFailure(
          'conflict',
          row.state === 'needs-attention'
            ? 'This change needs a person first: retry or discard it.'
            : 'This change is not waiting: it is being sent or checked now.',
        )
      }
    }
    const due = this.outbox.db.transaction(() => {
      const n = this.outbox.dueNow(connectionId, input.seq === undefined ? {} : { seq: input.seq })
      const detail = `${n} change${n === 1 ? '' : 's'} made due now`
      if (input.seq !== undefined) this.audit(this.outbox.get(input.seq), 'send-now', detail)
      else
        this.outbox.audit({
          actor: this.actor(),
          connectionId,
          action: 'sendNow',
          outcome: 'send-now',
          detail,
        })
      return n
    })()
    void this.sync.drain(connectionId)
    return { due }
  }

  discard(input: { seq: number }): QueueItem[] {
    this.row(input.seq)
    let discarded: OutboxRow[]
    try {
      discarded = this.outbox.discard(input.seq, this.actor())
    } catch (err) {
      throw new AppFailure('conflict', err instanceof Error ? err.message : String(err))
    }
    return discarded.map((r) => this.toItem(r))
  }
}
