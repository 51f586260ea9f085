/**
 * Background refresh: keeps each connection's cache current so the day book and patient search
 * answer from fresh data when the vendor is slow or away. A full refresh takes the reference data
 * (practitioners, appointment types, locations), a slice of the patient list, and the appointments
 * of today − 14 … today + 14 days in the clinic's zone, fetching the patients of those appointments
 * that the cache does not know yet; a day refresh takes only today. Both then refresh the free
 * slots of the next 14 days whose copy is oldest (today and tomorrow every 2 minutes). Every request goes through the
 * connection's shared limiter: one connection's requests run one after another, connections run in
 * parallel, and an offline connection is left to the sync engine's probe.
 *
 * The patient list is read in passes, from its first page to its last over as many refreshes as
 * that takes. A pass read whole (no page failed, nothing stopped it, every page written the same
 * way) marks each patient of the connection it did not list as missing once more, and search
 * leaves a patient out once `passesBeforeGone` passes in a row missed it (migration 13).
 */
import { randomUUID } from 'node:crypto'
import { DateTime } from 'luxon'
import type { Connection, Patient } from '../../shared/model'
import type { EventBus } from '../app/event-bus'
import type { CacheRepo } from '../cache/cache-repo'
import type { Logger } from '../log/logger'
import {
  countMissed,
  markUnlisted,
  patientUpsertRow,
  unlistedSweep,
  upsertPatients,
  type MissedCount,
} from '../search'
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
  /**
   * Whole passes of the patient list in a row that must miss a patient before search leaves it
   * out; default 2. One would do for a list read by cursor, but where a list is read by page
   * number, a patient deleted in the clinic system on a page already read moves every later
   * patient up one place, and the first of the next page is then never read in that pass.
   */
  passesBeforeGone?: number
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
  /**
   * At the end of a whole pass of the list: patients it did not list, marked missing once more,
   * and how many of them search now leaves out.
   */
  patientsMissing: number
  patientsGone: number
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

/** One pass of a connection's patient list, from its first page to its last. */
interface PatientPass {
  id: string
  /** When its first page was asked for: a patient written since then is never marked missing. */
  startedAt: string
  /** Where its pages' vendor ids are kept: in the background writer's thread, or here. */
  via: 'writer' | 'main' | null
  /** The vendor ids it listed, when kept here. */
  listed: Set<string>
  /** How many vendor ids were noted (the writer's thread must hold as many). */
  noted: number
  /** A page failed, the service stopped, or the writer changed: read on to its end, it marks nobody. */
  spoilt: boolean
}

export class RefreshService {
  private readonly running = new Map<string, { scope: RefreshScope; done: Promise<ConnectionRefresh> }>()
  private readonly queued = new Map<string, Promise<ConnectionRefresh>>()
  /** Where each connection's patient list goes on from (in memory: a restart reads it afresh). */
  private readonly patientCursor = new Map<string, string>()
  /** The pass each connection's patient list is in (in memory, like the cursor). */
  private readonly patientPasses = new Map<string, PatientPass>()
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
    // A pass the app stopped part way marks nobody, even if a later start reads on to its end.
    for (const pass of this.patientPasses.values()) this.spoil(pass)
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
      patientsMissing: 0,
      patientsGone: 0,
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
   * that can only search get their first page of an empty search. The list's first page begins a
   * pass, and its last page ends it (see `endPass`).
   */
  private async patientList(c: Connection, adapter: VendorAdapter, r: ConnectionRefresh) {
    if (adapter.listPatients) {
      const pages = Math.max(1, this.opts.patientPagesPerRun ?? 10)
      let cursor = this.patientCursor.get(c.id)
      for (let n = 0; n < pages; n++) {
        if (this.stopped) throw new Stop()
        if (!cursor) this.beginPass(c.id)
        const pass = this.patientPasses.get(c.id)
        let page: Awaited<ReturnType<NonNullable<VendorAdapter['listPatients']>>>
        try {
          page = await adapter.listPatients(cursor ? { cursor } : {})
          await this.store(page.patients, pass)
        } catch (err) {
          // The next refresh reads this page again, but the pass has a gap: it marks nobody.
          this.spoil(pass)
          throw err
        }
        r.patientsListed += page.patients.length
        this.progress(c.id, 'patients', n + 1, page.next ? n + 2 : n + 1)
        if (!page.next) {
          this.patientCursor.delete(c.id)
          r.patientListComplete = true
          await this.endPass(c, r)
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
      await this.cache.replaceAppointments(c.id, from, to, list, listedAt)
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

  private beginPass(connectionId: string) {
    this.spoil(this.patientPasses.get(connectionId))
    this.patientPasses.set(connectionId, {
      id: randomUUID(),
      startedAt: this.now().toISOString(),
      via: null,
      listed: new Set(),
      noted: 0,
      spoilt: false,
    })
  }

  /** The pass goes on to the list's end, but marks nobody; the writer's thread drops its ids. */
  private spoil(pass: PatientPass | undefined) {
    if (pass === undefined || pass.spoilt) return
    pass.spoilt = true
    pass.listed.clear()
    if (pass.via === 'writer') this.opts.writer?.forget(pass.id)
  }

  /** Notes the vendor ids of a page the pass wrote; written another way than its earlier pages, it is spoilt. */
  private note(pass: PatientPass, via: 'writer' | 'main', refs: string[]) {
    if (pass.spoilt) return
    if (pass.via && pass.via !== via) return this.spoil(pass)
    pass.via = via
    pass.noted += refs.length
    if (via === 'writer') this.opts.writer?.note(pass.id, refs)
    else for (const ref of refs) pass.listed.add(ref)
  }

  /**
   * The list's last page is in: a pass read whole marks each patient of the connection it did not
   * list as missing once more (never one a queued change needs, nor one written since the pass
   * began), and one missing `passesBeforeGone` passes in a row as gone. Where the pages were
   * written, in the writer's thread or here, so is this.
   */
  private async endPass(c: Connection, r: ConnectionRefresh) {
    const pass = this.patientPasses.get(c.id)
    this.patientPasses.delete(c.id)
    if (!pass || pass.spoilt) return
    // A list of nobody is no list: a clinic system answering empty must not take every patient away.
    if (pass.noted === 0) return
    const marking = {
      connectionId: c.id,
      startedAt: pass.startedAt,
      now: this.now().toISOString(),
      passes: Math.max(1, this.opts.passesBeforeGone ?? 2),
    }
    let counted: MissedCount
    try {
      if (pass.via === 'writer') {
        const writer = this.opts.writer
        // The ids were held by a thread that has ended.
        if (!writer || writer.failed) return
        counted = countMissed(await writer.sweep(pass.id, unlistedSweep(marking, pass.noted)))
      } else {
        counted = markUnlisted(this.db, marking, pass.listed)
      }
    } catch (err) {
      // Nobody is marked; the next whole pass tries again.
      this.log.warn('refresh: could not mark the patients the list no longer holds', {
        connectionId: c.id,
        reason: err instanceof Error ? err.message : String(err),
      })
      return
    }
    r.patientsMissing = counted.missed
    r.patientsGone = counted.gone
  }

  /**
   * Patients from the vendor into the cache and its name index; committed when this resolves.
   * A page of a pass of the list has its vendor ids noted for that pass.
   */
  private async store(patients: Patient[], pass?: PatientPass) {
    if (!patients.length) return
    const at = this.now().toISOString()
    const refs = pass ? patients.flatMap((p) => (p.ref ? [p.ref] : [])) : []
    const writer = this.opts.writer
    if (writer && !writer.failed) {
      try {
        await writer.write(patients.map((p) => patientUpsertRow(p, at)))
        if (pass) this.note(pass, 'writer', refs)
        return
      } catch (err) {
        // Writes are upserts, so writing the whole page again here is safe.
        this.log.warn('refresh: background writer failed; writing on the main thread', {
          reason: err instanceof Error ? err.message : String(err),
        })
      }
    }
    upsertPatients(this.db, patients, at)
    if (pass) this.note(pass, 'main', refs)
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
