/**
 * One worker per connection sends its outbox rows. A drain is single-flight: any trigger (a new
 * row, app start, back online, the timer, new credentials) either starts it or asks the running
 * one to look again. Rows go one at a time in order; a row is marked done only after the vendor's
 * definite answer.
 */
import type { Clock } from '../../shared/clock'
import type { Logger } from '../log/logger'
import { VendorError } from '../vendors/errors'
import { retryDelayMs, type BackoffPolicy } from './backoff'
import type { FollowUp, OutboxError, OutboxRow, OutboxRepo } from './outbox-repo'

/** What a successful send (or a reconciliation that found the write) does to the cache. */
export interface Completion {
  apply(): void
  /** One line for the audit log. */
  detail: string
}

export interface OutboxExecutor {
  send(row: OutboxRow): Promise<Completion>
  /** The write as the vendor has it, or null when it never arrived. Reads only. */
  reconcile(row: OutboxRow): Promise<Completion | null>
  /** The nearest free slots after a booking conflict, for the needs-attention panel. */
  alternatives?(row: OutboxRow): Promise<unknown[]>
  /** Turns a permanent failure into words for a receptionist. */
  describe?(row: OutboxRow, error: VendorError): string
}

export interface WorkerHooks {
  /** The vendor could not be reached: the connection is offline until a probe succeeds. */
  offline(error: VendorError): void
  /** A definite answer came back: the connection is online. */
  online(): void
  /** Credentials were refused; sending waits for new ones. */
  authFailed(error: VendorError): void
  /** A row was processed (the store itself reports every state change: `OutboxRepo.onChange`). */
  changed?(): void
}

export interface WorkerOptions {
  /** The app's clock (the worker's timer); the store's `now` when not given. */
  clock?: Clock
  random?: () => number
  /** Longest the timer sleeps before looking again. */
  maxSleepMs?: number
  /** False: no timer, drains only when asked (tests that step a ManualClock by hand). */
  timer?: boolean
  /** How long a claimed row is kept from any other worker while its requests are in flight. */
  leaseMs?: number
  /**
   * How long after a request left the vendor may still commit it (a slow vendor holding a write
   * past our timeout). A write whose answer was lost is resent only when a reconcile at least
   * this long after the request still finds nothing.
   */
  settleMs?: number
  /** Outcomes in a row that cannot tell whether the write was applied, before a person is asked. */
  maxUnconfirmed?: number
  backoff?: BackoffPolicy
}

export const defaultLeaseMs = 5 * 60_000
export const defaultSettleMs = 60_000
export const defaultMaxUnconfirmed = 8

export const INTERNAL_ERROR_MESSAGE = 'Frontdesk could not send this (internal error).'
export const UNREADABLE_MESSAGE =
  'Frontdesk cannot read this queued change: it was saved by a different version of Frontdesk. Check the clinic system for it, then discard it here'
export const UNCONFIRMED_MESSAGE =
  'Frontdesk could not confirm whether this change reached the clinic system. Look for it there: if it is there, discard it here; if it is not, try again (Frontdesk checks once more before sending).'

/** Whether a row's failure may mean the vendor applied it anyway. */
function mayHaveApplied(e: VendorError): boolean {
  if (e.kind === 'ambiguous' || e.kind === 'timeout' || e.kind === 'protocol') return true
  // A 500 can come after the write was applied; 502/503 are the proxy or a closed door.
  return e.kind === 'unavailable' && (e.status === undefined || e.status === 500)
}

const errorOf = (e: VendorError, message = e.message): OutboxError => ({
  kind: e.kind,
  message,
  ...(e.vendorMessage ? { vendorMessage: e.vendorMessage } : {}),
  ...(e.status !== undefined ? { status: e.status } : {}),
  ...(e.vendorCode ? { vendorCode: e.vendorCode } : {}),
  ...(e.fields ? { fields: e.fields } : {}),
})

export class OutboxWorker {
  private running: Promise<void> | null = null
  private again = false
  private timer: NodeJS.Timeout | null = null
  private paused = false
  private stopped = false

  constructor(
    readonly connectionId: string,
    private readonly store: OutboxRepo,
    private readonly executor: OutboxExecutor,
    private readonly hooks: WorkerHooks,
    private readonly log: Logger,
    private readonly opts: WorkerOptions = {},
  ) {
    // This process holds the profile lock, so a lease left in the future belongs to a dead one.
    store.recoverInFlight(connectionId)
  }

  /** Starts a drain, or asks the running one to look again; resolves when the queue is idle. */
  drain(): Promise<void> {
    if (this.stopped) return Promise.resolve()
    if (this.running) {
      this.again = true
      return this.running
    }
    this.clearTimer()
    this.running = this.loop()
      .catch((err: unknown) =>
        this.log.error('outbox drain failed', { connectionId: this.connectionId, err }),
      )
      .finally(() => {
        this.running = null
        if (this.again && !this.paused) {
          this.again = false
          void this.drain()
        } else this.schedule()
      })
    return this.running
  }

  /** After new credentials: sending may go on. */
  resume() {
    this.paused = false
    return this.drain()
  }

  async stop() {
    this.stopped = true
    this.clearTimer()
    await this.running
  }

  private async loop() {
    for (;;) {
      if (this.paused || this.stopped) return
      const [row] = this.store.eligible(this.connectionId, undefined, 1)
      if (!row) return
      const goOn = await this.process(row)
      this.hooks.changed?.()
      if (!goOn) return
    }
  }

  private get now() {
    return (this.opts.clock?.now() ?? this.store.now()).getTime()
  }

  private async process(due: OutboxRow): Promise<boolean> {
    if (due.kind === 'unreadable') {
      // Saved by another version in a shape this one cannot read: never guess, ask a person.
      this.log.error('outbox row cannot be read', {
        seq: due.seq,
        kind: due.storedKind,
        problem: due.problem,
      })
      this.store.markAttention(due, {
        kind: 'unreadable',
        message: `${UNREADABLE_MESSAGE} (${due.problem})`,
      })
      return true
    }
    const ambiguous = due.state === 'sending'
    // Durable before anything leaves; a lost compare-and-set means another worker has the row.
    let row = this.store.claim(due, this.opts.leaseMs ?? defaultLeaseMs, !ambiguous)
    if (!row) return true
    if (ambiguous) {
      // It may be at the vendor already. Look before sending again.
      let found: Completion | null
      try {
        found = await this.executor.reconcile(row)
      } catch (err) {
        return this.failed(row, err, true)
      }
      if (found) {
        try {
          this.store.markDone(
            row,
            found.apply,
            `found at the clinic system after an interrupted send: ${found.detail}`,
            this.duplicateCheck(row),
          )
        } catch (unrecorded) {
          // Found, but Frontdesk could not record it: a person is asked, rather than every drain failing.
          return this.failed(row, unrecorded, true)
        }
        this.hooks.online()
        return true
      }
      const sentAt = row.lastError?.sentAt
      const settledAt = sentAt ? Date.parse(sentAt) + (this.opts.settleMs ?? defaultSettleMs) : 0
      if (settledAt > this.now) {
        // A slow vendor may still commit the last request: look again once it has settled.
        this.store.markSettling(row, settledAt - this.now)
        return true
      }
      row = this.store.markSent(row)
      if (!row) return true
    }
    try {
      const done = await this.executor.send(row)
      this.store.markDone(row, done.apply, done.detail, this.duplicateCheck(row))
      this.hooks.online()
      return true
    } catch (err) {
      return this.failed(row, err, false)
    }
  }

  /**
   * A create that was sent again (a reconcile found nothing) may still land twice if the vendor
   * commits the first request later still: look once more when the resend has settled.
   */
  private duplicateCheck(row: OutboxRow): FollowUp | undefined {
    if (!row.lastError?.resent) return undefined
    const dueAt = new Date(
      Date.parse(row.lastError.sentAt ?? new Date(this.now).toISOString()) +
        (this.opts.settleMs ?? defaultSettleMs),
    )
    if (row.kind === 'book')
      return {
        kind: 'checkDuplicate',
        payload: {
          write: 'book',
          of: row.seq,
          clientRef: row.clientRef,
          appointmentId: row.payload.appointmentId,
          // Where the resent write was aimed: the late first request lands there, even if the
          // appointment has been moved since.
          start: row.payload.start,
          ...(row.payload.practitionerRef ? { practitionerRef: row.payload.practitionerRef } : {}),
        },
        dueAt,
      }
    if (row.kind === 'createPatient')
      return {
        kind: 'checkDuplicate',
        payload: {
          write: 'createPatient',
          of: row.seq,
          clientRef: row.clientRef,
          patientId: row.payload.patientId,
        },
        dueAt,
      }
    return undefined
  }

  /** Every path out of a claimed row ends here in a defined state. Returns whether to go on. */
  private async failed(row: OutboxRow, err: unknown, reconciling: boolean): Promise<boolean> {
    const sentAt = row.lastError?.sentAt ? { sentAt: row.lastError.sentAt } : {}
    if (!(err instanceof VendorError)) {
      this.log.error('outbox row failed inside Frontdesk', { seq: row.seq, kind: row.kind, err })
      // Claimed, so it may have left: a retry reconciles first.
      this.store.markAttention(row, {
        kind: 'internal',
        message: INTERNAL_ERROR_MESSAGE,
        reconcileFirst: true,
        ...sentAt,
      })
      return true
    }
    const delay = this.delay(row, err.retryAfterMs)
    if (err.kind === 'offline' || err.kind === 'auth') {
      // Nothing left our machine (or, while reconciling, nothing was read).
      if (reconciling) this.store.markAmbiguous(row, delay, errorOf(err), false)
      else this.store.markRetry(row, delay, errorOf(err))
      if (err.kind === 'offline') this.hooks.offline(err)
      else {
        this.paused = true
        this.hooks.authFailed(err)
      }
      return false
    }
    if (
      reconciling &&
      (err.kind === 'rate-limited' || (err.kind === 'unavailable' && !mayHaveApplied(err)))
    ) {
      this.store.markAmbiguous(row, delay, errorOf(err), false)
      return false
    }
    if (reconciling || mayHaveApplied(err)) {
      if ((row.lastError?.unconfirmed ?? 0) + 1 >= (this.opts.maxUnconfirmed ?? defaultMaxUnconfirmed)) {
        this.store.markAttention(row, {
          ...errorOf(err, UNCONFIRMED_MESSAGE),
          kind: 'unconfirmed',
          reconcileFirst: true,
          ...sentAt,
        })
        return true
      }
      this.store.markAmbiguous(row, delay, errorOf(err))
      return true
    }
    if (err.kind === 'rate-limited' || err.kind === 'unavailable') {
      const notBefore = err.retryAfterMs ? new Date(this.now + err.retryAfterMs).toISOString() : undefined
      this.store.markRetry(row, delay, { ...errorOf(err), ...(notBefore ? { notBefore } : {}) })
      return false
    }
    // invalid, conflict, not-found: the vendor said no. A person decides what to do.
    const message = this.executor.describe?.(row, err) ?? err.message
    const error = errorOf(err, message)
    if (row.lastError?.resent) {
      // Refused when sent again: the first request may still land. A person's Retry looks for it
      // before sending, and once done the look for a duplicate still follows.
      error.resent = true
      error.reconcileFirst = true
      if (row.lastError.sentAt) error.sentAt = row.lastError.sentAt
    }
    if (err.kind === 'conflict' && this.executor.alternatives) {
      try {
        error.alternatives = await this.executor.alternatives(row)
      } catch (e) {
        this.log.warn('could not fetch alternatives after a conflict', { seq: row.seq, err: e })
      }
    }
    this.store.markAttention(row, error)
    this.hooks.online()
    return true
  }

  private delay(row: OutboxRow, retryAfterMs?: number) {
    return retryDelayMs(Math.max(1, row.attempts), retryAfterMs, this.opts.random, this.opts.backoff)
  }

  private schedule() {
    if (this.stopped || this.paused || this.opts.timer === false) return
    const due = this.store.nextDueAt(this.connectionId)
    if (!due) return
    const wait = Math.min(Math.max(50, due.getTime() - this.now), this.opts.maxSleepMs ?? 60_000)
    this.clearTimer()
    this.timer = setTimeout(() => void this.drain(), wait)
    this.timer.unref()
  }

  private clearTimer() {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
  }
}
