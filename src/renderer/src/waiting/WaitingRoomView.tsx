/**
 * The waiting room: today's arrived patients per site, oldest arrival first, with when they
 * arrived and how long they have waited (in the clinic's zone, on the app's clock). Read from
 * Frontdesk's copy only, so it works offline; a row opens its appointment in the day book.
 */
import { useCallback, useMemo } from 'react'
import type { Connection } from '../../../shared/model'
import { CopyNotices } from '../components/CopyNotices'
import { PatientIdentity } from '../components/PatientIdentity'
import { formatTime, todayIn } from '../lib/format'
import { useNow } from '../queue/useNow'
import { useAppStore } from '../state/app-store'
import { useReferences } from '../state/reference-store'
import { useUi } from '../state/ui-store'
import { dueWords, waitedWords, waitingSites, type WaitingRow, type WaitingSite } from './waiting'
import { useWaitingDay, type DayAsk } from './waiting-store'

const DEFAULT_ZONE = 'Europe/London'
/** The waits and "due" words move on by the minute: twice a minute is near enough. */
const TICK_MS = 30_000

/**
 * Each clinic's today in its own zone: one read per date. When every clinic is on the same date
 * (the usual case) one read covers them all, and it stays the same read once connections load.
 */
function asksFor(connections: Connection[], nowMs: number): DayAsk[] {
  const now = new Date(nowMs)
  if (connections.length === 0) return [{ date: todayIn(DEFAULT_ZONE, now) }]
  const byDate = new Map<string, string[]>()
  for (const c of connections) {
    const date = todayIn(c.timeZone, now)
    byDate.set(date, [...(byDate.get(date) ?? []), c.id])
  }
  if (byDate.size === 1) return [{ date: [...byDate.keys()][0]! }]
  return [...byDate.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([date, ids]) => ({ date, connectionIds: ids }))
}

export function WaitingRoomView() {
  const connections = useAppStore((s) => s.connections)
  const now = useNow(TICK_MS)
  const asks = useMemo(() => asksFor(connections, now), [connections, now])
  const { columns, error } = useWaitingDay(asks)
  const reference = useReferences()
  const sites = useMemo(() => (columns ? waitingSites(columns, reference) : []), [columns, reference])
  const total = sites.reduce((n, s) => n + s.rows.length, 0)

  const open = useCallback((row: WaitingRow) => {
    const { go, setDate, openAppointment, openPatient } = useUi.getState()
    const a = row.appointment
    if (a.start) {
      // As the patient card does: the day book on the appointment's day, its drawer open.
      setDate(todayIn(row.timeZone, new Date(a.start)))
      openAppointment(a.id)
      go('today')
    } else if (a.patientId) openPatient(a.patientId)
  }, [])

  return (
    <div className="waiting-view" data-testid="waiting-view">
      <h2>Waiting room</h2>
      <div className="waiting-notices" aria-live="polite">
        <CopyNotices error={error} columns={columns} />
        <p className="waiting-summary muted" data-testid="waiting-summary">
          {!columns
            ? 'Loading the waiting room…'
            : total === 0
              ? 'Nobody is waiting.'
              : `${total} waiting${sites.length > 1 ? ` at ${sites.length} sites` : ''}, oldest arrival first. Waits update every 30 seconds.`}
        </p>
      </div>
      {sites.map((site, i) => (
        <SiteSection key={site.key} site={site} index={i} now={now} onOpen={open} />
      ))}
    </div>
  )
}

function SiteSection(p: { site: WaitingSite; index: number; now: number; onOpen(row: WaitingRow): void }) {
  const { site } = p
  const headingId = `waiting-site-${p.index}`
  return (
    <section
      className="waiting-site"
      aria-labelledby={headingId}
      data-testid="waiting-site"
      data-site={site.name}
    >
      <h3 id={headingId} className="waiting-site-name">
        {site.name}
        <span className="waiting-site-clinic">
          {' '}
          · {site.connectionLabel} · {site.rows.length} waiting
        </span>
      </h3>
      <div className="waiting-table-wrap">
        <table className="waiting-table">
          <caption className="visually-hidden">
            Waiting at {site.name}, {site.connectionLabel}, oldest arrival first
          </caption>
          <thead>
            <tr>
              <th scope="col" className="waiting-col-patient">
                Patient
              </th>
              <th scope="col" className="waiting-col-appointment">
                Appointment
              </th>
              <th scope="col" className="waiting-col-practitioner">
                Practitioner
              </th>
              <th scope="col" className="waiting-col-arrived">
                Arrived
              </th>
              <th scope="col" className="waiting-col-waiting">
                Waiting
              </th>
            </tr>
          </thead>
          <tbody>
            {site.rows.map((row) => (
              <Row key={row.appointment.id} row={row} now={p.now} onOpen={p.onOpen} />
            ))}
          </tbody>
        </table>
      </div>
    </section>
  )
}

function Row({ row, now, onOpen }: { row: WaitingRow; now: number; onOpen(row: WaitingRow): void }) {
  const references = useReferences()
  const a = row.appointment
  const zone = row.timeZone
  const due = dueWords(a.start, now)
  const practitioner =
    a.practitionerName ??
    (a.practitionerRef
      ? references[row.connectionId]?.practitioners.find((x) => x.ref === a.practitionerRef)?.name
      : undefined)
  return (
    <tr
      className={`waiting-row${due.passed ? ' waiting-row-passed' : ''}`}
      data-testid="waiting-row"
      data-appointment-id={a.id}
      data-arrived-at={a.arrivedAt ?? ''}
      onClick={() => onOpen(row)}
    >
      <td>
        {/* Enter or a click on the button (or anywhere on the row) opens the appointment. */}
        <button
          type="button"
          className="waiting-open"
          title={a.start ? 'Open the appointment in the day book' : 'Open the patient card'}
        >
          {a.patient ? (
            <PatientIdentity
              givenName={a.patient.givenName}
              familyName={a.patient.familyName}
              birthDate={a.patient.birthDate}
              nhsNumber={a.patient.nhsNumber}
              vendorRef={a.patient.ref}
              vendorLabel="Clinic ID"
              timeZone={zone}
              compact
            />
          ) : (
            <strong>Unknown patient</strong>
          )}
        </button>
      </td>
      <td className="waiting-when">
        <span data-testid="waiting-start">{a.start ? formatTime(a.start, zone) : 'Time not set'}</span>{' '}
        <span className={`waiting-due${due.passed ? ' waiting-due-passed' : ''}`} data-testid="waiting-due">
          {due.words}
        </span>
      </td>
      <td>{practitioner ?? <span className="muted">Not given</span>}</td>
      <td data-testid="waiting-arrived">
        {a.arrivedAt ? formatTime(a.arrivedAt, zone) : <span className="muted">time not recorded</span>}
      </td>
      <td className="waiting-when" data-testid="waiting-for">
        {a.arrivedAt ? (
          waitedWords(a.arrivedAt, now)
        ) : (
          <>
            <span aria-hidden="true">—</span>
            <span className="visually-hidden">not known</span>
          </>
        )}
      </td>
    </tr>
  )
}
