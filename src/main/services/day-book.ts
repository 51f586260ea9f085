/**
 * The day book: a date's appointments across connections, from the vendor when it answers within
 * a short time (refreshing the cache), otherwise from the cache, marked with its age.
 */
import { createHash } from 'node:crypto'
import { DateTime } from 'luxon'
import type { AppointmentView, DayColumn } from '../../shared/contract'
import type { Connection, SyncState } from '../../shared/model'
import { AppFailure } from '../../shared/result'
import { canonicalInstant } from '../../shared/instant'
import { type AppointmentWithPatientRow, type CacheRepo } from '../cache/cache-repo'
import type { DayHead, DayReadRepo } from '../cache/day-read-repo'
import type { Logger } from '../log/logger'
import type { SyncEngine } from '../sync/sync-engine'
import { VendorError } from '../vendors/errors'
import type { VendorAdapter } from '../vendors/types'
import { syncStatesOf, type AppointmentsService } from './appointments'
import type { ConnectionsRepo } from '../store/connections-repo'
import { unreachable } from './vendor-failure'

/** Start and end (exclusive) of a local calendar day as UTC instants: 23 or 25 hours on DST days. */
export function dayBounds(date: string, timeZone: string): { from: string; to: string } {
  const start = DateTime.fromISO(date, { zone: timeZone }).startOf('day')
  if (!start.isValid) throw new AppFailure('invalid-input', `"${date}" is not a date.`, 'date')
  // Canonical like every stored start, so the text comparison in the day query is a time comparison.
  return {
    from: canonicalInstant(start.toUTC().toISO()!),
    to: canonicalInstant(start.plus({ days: 1 }).toUTC().toISO()!),
  }
}

/**
 * The instant `days` clinic days after `from`, at the same wall time: a search of fourteen days from
 * midnight ends at midnight, not an hour short of it (or into the next day) across a clock change.
 */
export function daysLater(from: string, days: number, timeZone: string): string {
  const start = DateTime.fromISO(from, { zone: 'utc' }).setZone(timeZone)
  if (!start.isValid) throw new AppFailure('invalid-input', `"${from}" is not an instant.`, 'from')
  return canonicalInstant(start.plus({ days }).toUTC().toISO()!)
}

export class DayBookService {
  constructor(
    private readonly connections: ConnectionsRepo,
    private readonly cache: CacheRepo,
    private readonly reader: DayReadRepo,
    private readonly appointments: AppointmentsService,
    private readonly sync: SyncEngine,
    private readonly adapterFor: (connectionId: string) => VendorAdapter,
    private readonly log: Logger,
    private readonly readTimeoutMs = 3_000,
  ) {}

  async day(input: {
    date: string
    connectionIds?: string[]
    cacheOnly?: boolean
    known?: Record<string, string>
  }): Promise<DayColumn[]> {
    const list = this.connections
      .list()
      .filter((c) => !input.connectionIds || input.connectionIds.includes(c.id))
    const columns = await Promise.all(list.map((c) => this.column(c, input.date, !!input.cacheOnly)))
    return columns.map((c) =>
      input.known?.[c.connectionId] === c.version
        ? { ...c, unchanged: true, practitioners: [], appointments: [] }
        : c,
    )
  }

  private async refresh(c: Connection, from: string, to: string): Promise<string | undefined> {
    const adapter = this.adapterFor(c.id)
    if (!adapter.listAppointments)
      return 'This clinic system has no day list in its API: showing what Frontdesk knows.'
    let timer: NodeJS.Timeout | undefined
    const listedAt = this.cache.instant()
    try {
      const fetched = await Promise.race([
        (async () => {
          const [appointments, practitioners] = await Promise.all([
            adapter.listAppointments!({ from, to }),
            adapter.listPractitioners ? adapter.listPractitioners() : Promise.resolve(null),
          ])
          return { appointments, practitioners }
        })(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new VendorError('timeout', 'The clinic system is slow to answer.')),
            this.readTimeoutMs,
          )
        }),
      ])
      await this.cache.replaceAppointments(c.id, from, to, fetched.appointments, listedAt)
      if (fetched.practitioners) this.cache.replaceReference(c.id, fetched.practitioners, null, null)
      this.sync.setOnline(c.id, true)
      return undefined
    } catch (err) {
      if (err instanceof VendorError) {
        if (unreachable(err)) this.sync.setOnline(c.id, false, err)
        return `${c.label} did not answer (${err.message}); showing the copy Frontdesk keeps.`
      }
      this.log.error('day refresh failed', { connectionId: c.id, err })
      return `${c.label} could not be read; showing the copy Frontdesk keeps.`
    } finally {
      clearTimeout(timer)
    }
  }

  private offlineNote(c: Connection): string | undefined {
    return this.sync.state(c.id).online
      ? undefined
      : `${c.label} is offline; showing the copy Frontdesk keeps.`
  }

  private async column(c: Connection, date: string, cacheOnly: boolean): Promise<DayColumn> {
    const { from, to } = dayBounds(date, c.timeZone)
    // A re-read of the copy alone (after an event) must keep saying the copy is all there is while
    // the clinic system is away, or the notice would vanish while it is still offline.
    const problem = cacheOnly ? this.offlineNote(c) : await this.refresh(c, from, to)
    let read = await this.readCopy(c.id, from, to)
    // A clinic system's list being written over the day when the read began (by another read, or
    // the background refresh) is read again once written whole, not half way through its turns.
    for (let again = 0; !read.whole && again < 3; again++) read = await this.readCopy(c.id, from, to)
    return {
      connectionId: c.id,
      label: c.label,
      timeZone: c.timeZone,
      asOf: read.head.fetchedAt,
      fromCache: !!problem,
      ...(problem ? { problem } : {}),
      version: read.version,
      practitioners: read.head.practitioners,
      appointments: read.appointments,
    }
  }

  /** The day from the copy, after any list being written over it; `whole` if none began meanwhile. */
  private async readCopy(connectionId: string, from: string, to: string) {
    await this.cache.listsWritingOver(connectionId, from, to)
    let whole = true
    let head: DayHead | undefined
    let states = new Map<string, SyncState>()
    let names = new Map<string, string>()
    const appointments: DayColumn['appointments'] = []
    // The version: a digest of the lists exactly as sent (any change to what the caller shows
    // changes it), taken a batch at a time as they are made.
    const digest = createHash('sha256')
    await this.reader.read(
      connectionId,
      from,
      to,
      (h) => {
        // The read's snapshot is taken: a list being written now may be in it half way.
        whole = !this.cache.listsWritingOver(connectionId, from, to)
        head = h
        states = syncStatesOf(h.unsent)
        names = new Map(h.practitioners.map((p) => [p.ref, p.name]))
        digest.update(JSON.stringify(h.practitioners))
      },
      (rows) => {
        const batch = rows.map((r) => dayAppointment(r, this.appointments.view(r, states), names))
        digest.update(JSON.stringify(batch))
        for (const a of batch) appointments.push(a)
      },
    )
    return { whole, head: head!, appointments, version: digest.digest('base64url').slice(0, 22) }
  }
}

/**
 * One appointment of the day with its practitioner's name and, when the copy has the patient, who
 * they are. Built field by field: a day at size maps ten thousand of these per read.
 */
function dayAppointment(
  r: AppointmentWithPatientRow,
  view: AppointmentView,
  names: Map<string, string>,
): DayColumn['appointments'][number] {
  const out: DayColumn['appointments'][number] = view
  const practitionerName = r.practitioner_ref ? names.get(r.practitioner_ref) : undefined
  if (practitionerName) out.practitionerName = practitionerName
  if (r.p_given !== null && r.p_family !== null && r.p_birth !== null) {
    const patient: NonNullable<typeof out.patient> = {
      givenName: r.p_given,
      familyName: r.p_family,
      birthDate: r.p_birth,
    }
    if (r.p_nhs) patient.nhsNumber = r.p_nhs
    if (r.p_phone) patient.phone = r.p_phone
    if (r.p_ref) patient.ref = r.p_ref
    out.patient = patient
  }
  return out
}
