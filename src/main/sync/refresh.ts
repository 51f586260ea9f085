/**
 * Background refresh: keeps each connection's cache current so the day book and patient search
 * answer from fresh data when the vendor is slow or away. A full refresh takes the reference data
 * (practitioners, appointment types, locations), a slice of the patient list, and the appointments
 * of today − 14 … today + 14 days in the clinic's zone, fetching the patients of those appointments
 * that the cache does not know yet; a day refresh takes only today. Both then refresh the free
 * slots of the next 14 days whose copy is oldest (today and tomorrow every 2 minutes). Every request goes through the
 * connection's shared limiter: one connection's requests run one after another, connections run in
 * parallel, and an offline connection is left to the sync engine's probe.
 */
import { DateTime } from 'luxon'
import type { Connection, Patient } from '../../shared/model'
import type { EventBus } from '../app/event-bus'
import type { CacheRepo } from '../cache/cache-repo'
import type { Logger } from '../log/logger'
import { patientUpsertRow, upsertPatients } from '../search'
import type { BackgroundWriter } from '../store/background-writer'
import type { ConnectionsRepo } from '../store/connections-repo'
import { dayBounds } from '../services/day-book'
import type { Db } from '../store/database'
import { VendorError } from '../vendors/errors'
import type { VendorAdapter } from '../vendors/types'
import type { FillOptions, SlotCache } from '../slots/slot-cache'
import type { SyncEngine } from './sync-engine'

export type RefreshScope = 'full' | 'day'

export interface RefreshOptions {
  /** Minutes between full refreshes (reference data, patients, ±window days); default 10. */
  everyMinutes?: number
  /** Minutes between refreshes of today's appointments; default 2. */
  dayEveryMinutes?: number
  /** Days either side of today a full refresh keeps; default 14. */
  windowDays?: number
  /** Patient-list pages one full refresh may read; the next refresh goes on from there. Default 10. */
  patientPagesPerRun?: number
  /** Page size for vendors that can only list patients through their search; default 100. */
  patientSearchLimit?: number
  /** Keeps each connection's free slots in the copy (src/main/slots); absent: slots are not kept. */
  slotCache?: SlotCache
  slotFill?: FillOptions
  /**
   * Writes the patient list from a worker thread with its own connection (store/background-writer.ts),
   * so the main thread stays free for search and IPC; absent, or once it has failed, patients are
   * written on the main thread as before.
   */
  writer?: BackgroundWriter
  now?: () => Date
}

export interface ConnectionRefresh {
  connectionId: string
  scope: RefreshScope
  /**
   * `skipped`: the connection was offline; `offline`: it went away during the refresh; `stopped`:
   * the service was stopped (the app closing) and the refresh ended after the request under way.
   */
  outcome: 'refreshed' | 'partial' | 'skipped' | 'offline' | 'failed' | 'stopped'
  practitioners: number | null
  appointmentTypes: number | null
  locations: number | null
  /** Days whose appointments were replaced, and how many appointments they held. */
  days: number
  appointments: number
  /** Patients fetched one by one because an appointment named them. */
  patientsFetched: number
  /** Patients read from the patient list, and whether the list was read to its end. */
  patientsListed: number
  patientListComplete: boolean | null
  /** Free-slot requests made; whether the fill stepped aside for writes waiting to be sent. */
  slotRequests: number
  slotsYielded: boolean
  errors: string[]
  ms: number
}

export interface RefreshSummary {
  scope: RefreshScope
  startedAt: string
  finishedAt: string
  connections: ConnectionRefresh[]
}

/** Errors after which this connection's refresh stops: the vendor is away, refusing us, or busy. */
const STOPS: ReadonlySet<string> = new Set(['offline', 'auth', 'rate-limited', 'unavailable', 'timeout'])

class Stop extends Error {}

export class RefreshService {
  private readonly running = new Map<string, { scope: RefreshScope; done: Promise<ConnectionRefresh> }>()
  private readonly queued = new Map<string, Promise<ConnectionRefresh>>()
  /** Where each connection's patient list goes on from (in memory: a restart reads it afresh). */
  private readonly patientCursor = new Map<string, string>()
  private readonly timers: NodeJS.Timeout[] = []
  private unsubscribe: (() => void) | null = null
  private stopped = false

  constructor(
    private readonly db: Db,
    private readonly connections: ConnectionsRepo,
    private readonly cache: CacheRepo,
    private readonly adapterFor: (connectionId: string) => VendorAdapter,
    private readonly sync: SyncEngine,
    private readonly bus: EventBus,
    private readonly log: Logger,
    private readonly opts: RefreshOptions = {},
  ) {}

  /** Refreshes everything now, then keeps doing so on the timers; a connection coming back online is refreshed too. */
  start() {
    this.stopped = false
    const every = (minutes: number, scope: RefreshScope) => {
      const t = setInterval(() => void this.quietly(scope), minutes * 60_000)
      t.unref()
      this.timers.push(t)
    }
    every(this.opts.everyMinutes ?? 10, 'full')
    every(this.opts.dayEveryMinutes ?? 2, 'day')
    this.unsubscribe = this.bus.onAny((name, payload) => {
      const p = payload as { connectionId: string; online: boolean }
      if (name === 'connectivityChanged' && p.online) void this.quietly('full', p.connectionId)
    })
    void this.quietly('full')
  }

  /** Stops the timers and waits for refreshes under way to finish. */
  async stop() {
    this.stopped = true
    for (const t of this.timers) clearInterval(t)
    this.timers.length = 0
    this.unsubscribe?.()
    this.unsubscribe = null
    await Promise.allSettled([...this.running.values()].map((r) => r.done))
    await Promise.allSettled([...this.queued.values()])
  }

  /** A full refresh of one connection, or of all of them in parallel. Never rejects. */
  refreshNow(connectionId?: string): Promise<RefreshSummary> {
    return this.refresh('full', connectionId)
  }

  /** Today's appointments only, for one connection or all. Never rejects. */
  refreshToday(connectionId?: string): Promise<RefreshSummary> {
    return this.refresh('day', connectionId)
  }

  private async quietly(scope: RefreshScope, connectionId?: string) {
    try {
      await this.refresh(scope, connectionId)
    } catch (err) {
      this.log.error('background refresh failed', { scope, connectionId, err })
    }
  }

  private async refresh(scope: RefreshScope, connectionId?: string): Promise<RefreshSummary> {
    const startedAt = this.now().toISOString()
    let list: Connection[]
    try {
      list = connectionId ? [this.connections.get(connectionId)] : this.connections.list()
    } catch (err) {
      this.log.warn('refresh: no such connection', { connectionId, err })
      list = []
    }
    const connections = await Promise.all(list.map((c) => this.forConnection(c, scope)))
    return { scope, startedAt, finishedAt: this.now().toISOString(), connections }
  }

  /**
   * One refresh per connection at a time: a request for what is already running joins it; a full
   * refresh asked for during a day refresh runs once that one ends.
   */
  private forConnection(c: Connection, scope: RefreshScope): Promise<ConnectionRefresh> {
    const current = this.running.get(c.id)
    if (current && (current.scope === 'full' || scope === 'day')) return current.done
    if (current) {
      let next = this.queued.get(c.id)
      if (!next) {
        next = current.done.then(() => {
          this.queued.delete(c.id)
          return this.forConnection(c, 'full')
        })
        this.queued.set(c.id, next)
      }
      return next
    }
    const done = this.run(c, scope).finally(() => {
      if (this.running.get(c.id)?.done === done) this.running.delete(c.id)
    })
    this.running.set(c.id, { scope, done })
    return done
  }

  private async run(c: Connection, scope: RefreshScope): Promise<ConnectionRefresh> {
    const t0 = performance.now()
    const r: ConnectionRefresh = {
      connectionId: c.id,
      scope,
      outcome: 'refreshed',
      practitioners: null,
      appointmentTypes: null,
      locations: null,
      days: 0,
      appointments: 0,
      patientsFetched: 0,
      patientsListed: 0,
      patientListComplete: null,
      slotRequests: 0,
      slotsYielded: false,
      errors: [],
      ms: 0,
    }
    const finish = () => {
      r.ms = Math.round(performance.now() - t0)
      this.progress(c.id, 'done', 1, 1)
      return r
    }
    if (this.stopped) {
      r.outcome = 'skipped'
      return finish()
    }
    if (!this.sync.state(c.id).online) {
      r.outcome = 'skipped'
      return finish()
    }
    try {
      const adapter = this.adapterFor(c.id)
      if (scope === 'full') {
        await this.phase(c, r, () => this.reference(c, adapter, r))
        await this.phase(c, r, () => this.patientList(c, adapter, r))
      }
      const days = scope === 'full' ? this.window(c) : [this.today(c)]
      await this.phase(c, r, () => this.appointments(c, adapter, days, r))
      await this.phase(c, r, () => this.freeSlots(c, adapter, r))
      if (r.errors.length) r.outcome = 'partial'
      else this.sync.setOnline(c.id, true)
    } catch (err) {
      if (err instanceof Stop) {
        // The phase recorded why (`offline` was set there), unless the service was stopped.
        if (this.stopped && r.outcome === 'refreshed') r.outcome = 'stopped'
      } else {
        r.outcome = 'failed'
        r.errors.push(err instanceof Error ? err.message : String(err))
        this.log.error('refresh of a connection failed', { connectionId: c.id, err })
      }
    }
    return finish()
  }

  /** Runs one phase; a vendor error either stops this connection's refresh or is noted and passed over. */
  private async phase(c: Connection, r: ConnectionRefresh, body: () => Promise<void>) {
    if (this.stopped) throw new Stop()
    try {
      await body()
    } catch (err) {
      if (!(err instanceof VendorError)) throw err
      r.errors.push(err.message)
      if (err.kind === 'offline') {
        r.outcome = 'offline'
        this.sync.setOnline(c.id, false, err)
        throw new Stop()
      }
      if (STOPS.has(err.kind)) {
        r.outcome = 'failed'
        this.log.warn('refresh stopped', { connectionId: c.id, kind: err.kind, reason: err.message })
        throw new Stop()
      }
      this.log.warn('refresh phase failed', { connectionId: c.id, kind: err.kind, reason: err.message })
    }
  }

  private async reference(c: Connection, adapter: VendorAdapter, r: ConnectionRefresh) {
    const total = 3
    let done = 0
    this.progress(c.id, 'reference', done, total)
    const practitioners = adapter.listPractitioners ? await adapter.listPractitioners() : null
    this.progress(c.id, 'reference', ++done, total)
    const types = adapter.listAppointmentTypes ? await adapter.listAppointmentTypes() : null
    this.progress(c.id, 'reference', ++done, total)
    const locations = adapter.listLocations ? await adapter.listLocations() : null
    this.cache.replaceReference(c.id, practitioners, types, locations)
    // Last, once stored: the renderer asks for the new copy when this phase says it is done.
    this.progress(c.id, 'reference', ++done, total)
    r.practitioners = practitioners?.length ?? null
    r.appointmentTypes = types?.length ?? null
    r.locations = locations?.length ?? null
  }

  /**
   * A bounded slice of the patient list, going on from where the last refresh stopped; vendors
   * that can only search get their first page of an empty search.
   */
  private async patientList(c: Connection, adapter: VendorAdapter, r: ConnectionRefresh) {
    if (adapter.listPatients) {
      const pages = Math.max(1, this.opts.patientPagesPerRun ?? 10)
      let cursor = this.patientCursor.get(c.id)
      for (let n = 0; n < pages; n++) {
        if (this.stopped) throw new Stop()
        const page = await adapter.listPatients(cursor ? { cursor } : {})
        await this.store(page.patients)
        r.patientsListed += page.patients.length
        this.progress(c.id, 'patients', n + 1, page.next ? n + 2 : n + 1)
        if (!page.next) {
          this.patientCursor.delete(c.id)
          r.patientListComplete = true
          return
        }
        cursor = page.next
        this.patientCursor.set(c.id, cursor)
      }
      r.patientListComplete = false
    } else if (adapter.findPatients) {
      this.progress(c.id, 'patients', 0, 1)
      const found = await adapter.findPatients({ text: '', limit: this.opts.patientSearchLimit ?? 100 })
      await this.store(found)
      r.patientsListed = found.length
      r.patientListComplete = null
      this.progress(c.id, 'patients', 1, 1)
    }
  }

  /** Day by day, so a long window never runs into a vendor's page cap and a lost day loses only itself. */
  private async appointments(c: Connection, adapter: VendorAdapter, days: string[], r: ConnectionRefresh) {
    if (!adapter.listAppointments) return
    this.progress(c.id, 'appointments', 0, days.length)
    for (const [i, date] of days.entries()) {
      if (this.stopped) throw new Stop()
      const { from, to } = dayBounds(date, c.timeZone)
      const listedAt = this.cache.instant()
      const list = await adapter.listAppointments({ from, to })
      for (const a of list) {
        if (!a.patientRef || !adapter.getPatient || this.cache.patientByRef(c.id, a.patientRef)) continue
        // A day can name many patients the copy lacks, each a request: closing the app waits for none of them.
        if (this.stopped) throw new Stop('stopped before fetching a patient of the day')
        try {
          await this.store([await adapter.getPatient(a.patientRef)])
          r.patientsFetched++
        } catch (err) {
          if (err instanceof VendorError && STOPS.has(err.kind)) throw err
          this.log.warn('refresh: could not fetch a patient of the day list', { connectionId: c.id, err })
        }
      }
      this.cache.replaceAppointments(c.id, from, to, list, listedAt)
      r.days++
      r.appointments += list.length
      this.progress(c.id, 'appointments', i + 1, days.length)
    }
  }

  /** Free slots last: the stalest and soonest ranges first, within the fill's budget. */
  private async freeSlots(c: Connection, adapter: VendorAdapter, r: ConnectionRefresh) {
    if (!this.opts.slotCache) return
    this.progress(c.id, 'slots', 0, 1)
    const fill = await this.opts.slotCache.fill(c, adapter, {
      ...this.opts.slotFill,
      stopWhen: () => this.stopped,
    })
    r.slotRequests = fill.requests
    r.slotsYielded = fill.yielded
    this.progress(c.id, 'slots', 1, 1)
    if (this.stopped) throw new Stop('a free-slot fill cut short by stopping is no whole refresh')
  }

  /** Patients from the vendor into the cache and its name index; committed when this resolves. */
  private async store(patients: Patient[]) {
    if (!patients.length) return
    const at = this.now().toISOString()
    const writer = this.opts.writer
    if (writer && !writer.failed) {
      try {
        await writer.write(patients.map((p) => patientUpsertRow(p, at)))
        return
      } catch (err) {
        // Writes are upserts, so writing the whole page again here is safe.
        this.log.warn('refresh: background writer failed; writing on the main thread', {
          reason: err instanceof Error ? err.message : String(err),
        })
      }
    }
    upsertPatients(this.db, patients, at)
  }

  private today(c: Connection): string {
    return DateTime.fromJSDate(this.now(), { zone: c.timeZone }).toISODate()!
  }

  /** Today first (what the front desk looks at), then outwards: tomorrow, yesterday, and so on. */
  private window(c: Connection): string[] {
    const today = DateTime.fromJSDate(this.now(), { zone: c.timeZone }).startOf('day')
    const out = [today.toISODate()!]
    for (let d = 1; d <= (this.opts.windowDays ?? 14); d++) {
      out.push(today.plus({ days: d }).toISODate()!, today.minus({ days: d }).toISODate()!)
    }
    return out
  }

  private progress(connectionId: string, phase: string, done: number, total: number) {
    this.bus.emit('syncProgress', { connectionId, phase, done, total })
  }

  private now() {
    return (this.opts.now ?? (() => new Date()))()
  }
}
