/**
 * The outage kit: the day list per practitioner from Frontdesk's own copy, online or not, laid out
 * to print one practitioner per page (Chromium's print dialog also saves it as a PDF).
 */
import { now } from '../lib/clock'
import { useEffect, useMemo, useState } from 'react'
import type { DayColumn, ReferenceData } from '../../../shared/contract'
import { api } from '../api/client'
import { PatientIdentity } from '../components/PatientIdentity'
import { DateField } from '../components/DateField'
import { addYears } from '../lib/date-entry'
import { ago, DEFAULT_LOCALE, formatBirthDate, formatDay, formatTime, todayIn } from '../lib/format'
import { useAppStore } from '../state/app-store'
import { referenceOf } from '../state/reference-store'
import { statusLabel } from '../today/labels'
import { formatPhone } from '../patients/input'
import { gapLabel, practitionerDays, shortestTypeMinutes, type FreeGap } from './gaps'

type Appt = DayColumn['appointments'][number]

interface Page {
  key: string
  connection: DayColumn
  /** The appointments nobody (known) is down for: no free time, and compact when long. */
  nobody: boolean
  practitioner: string
  /** Appointments and the free gaps between them, in time order. */
  rows: Row[]
}

type Row = { kind: 'appointment'; appointment: Appt } | { kind: 'free'; gap: FreeGap }

/**
 * From this many rows the list nobody is down for (a whole practice's day where the clinic system
 * names no clinician) prints in two compact columns, so it still fits one A4 page.
 */
const COMPACT_FROM_ROWS = 40

/** The day's rows: each appointment, and each free gap in its place in time order. */
function rowsOf(appointments: Appt[], gaps: FreeGap[]): Row[] {
  const rows: Row[] = appointments.map((appointment) => ({ kind: 'appointment', appointment }))
  for (const gap of gaps) {
    // Before the first appointment that starts at or after the gap (cancelled ones included).
    const at = rows.findIndex(
      (r) => r.kind === 'appointment' && !!r.appointment.start && r.appointment.start >= gap.start,
    )
    rows.splice(at === -1 ? rows.length : at, 0, { kind: 'free', gap })
  }
  return rows
}

/** A phone as the patient card and search show it (`020 7946 0000`, `+33 6 12 34 56 78`); a dash when none. */
const phoneCell = (phone: string | undefined) => formatPhone(phone) || '—'

interface Loaded {
  date: string
  columns: DayColumn[] | null
  error: string | null
  reference: Record<string, ReferenceData>
}

async function loadDay(date: string): Promise<Loaded> {
  const r = await api.appointments.day({ date })
  if (!r.ok) return { date, columns: null, error: r.error.message, reference: {} }
  const reference: Record<string, ReferenceData> = {}
  await Promise.all(
    r.value.map(async (c) => {
      const ref = await referenceOf(c.connectionId)
      if (ref.ok) reference[c.connectionId] = ref.value
    }),
  )
  return { date, columns: r.value, error: null, reference }
}

export function OutageKitView() {
  const timeZone = useAppStore((s) => s.connections[0]?.timeZone ?? 'Europe/London')
  const [date, setDate] = useState(() => todayIn(timeZone))
  const locale = useAppStore((s) => s.connections[0]?.locale ?? DEFAULT_LOCALE)
  const [loaded, setLoaded] = useState<Loaded | null>(null)

  useEffect(() => {
    let live = true
    void loadDay(date).then((l) => {
      if (live) setLoaded(l)
    })
    return () => {
      live = false
    }
  }, [date])

  const current = loaded && loaded.date === date ? loaded : null

  const pages = useMemo(() => {
    const out: Page[] = []
    if (!current) return out
    for (const c of current.columns ?? []) {
      const minMinutes = shortestTypeMinutes(current.reference[c.connectionId]?.appointmentTypes)
      const days = practitionerDays(c.practitioners, c.appointments, {
        date: current.date,
        timeZone: c.timeZone,
        minMinutes,
      })
      for (const d of days)
        out.push({
          key: `${c.connectionId}:${d.nobody ? '' : (d.ref ?? `name:${d.name}`)}`,
          connection: c,
          nobody: d.nobody,
          practitioner: d.name,
          rows: rowsOf(d.appointments, d.gaps),
        })
    }
    return out
  }, [current])

  const printedAt = new Intl.DateTimeFormat('en-GB', {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone,
  }).format(now())

  return (
    <div className="outage">
      <div className="outage-controls">
        <h2>Outage kit: day list on paper</h2>
        <p>
          Print the day list per practitioner from the copy Frontdesk keeps on this computer, so the front
          desk can carry on when the clinic system or the internet is down. In the print window choose “Save
          as PDF” to keep a file instead.
        </p>
        <div className="outage-row">
          <DateField
            label="Day"
            value={date}
            locale={locale}
            min={addYears(todayIn(timeZone), -3)}
            max={addYears(todayIn(timeZone), 3)}
            onChange={setDate}
          />
          <button
            type="button"
            className="primary"
            onClick={() => window.print()}
            disabled={!current?.columns}
          >
            Print / Save as PDF
          </button>
          <span className="muted" aria-live="polite">
            {current
              ? current.columns
                ? `${pages.length} practitioner page${pages.length === 1 ? '' : 's'}`
                : ''
              : 'Loading the day list…'}
          </span>
        </div>
        {current?.error ? (
          <p role="alert" className="error">
            {current.error}
          </p>
        ) : null}
        {(current?.columns ?? [])
          .filter((c) => c.fromCache)
          .map((c) => (
            <p key={c.connectionId} className="cache-notice">
              <strong>{c.label}: Frontdesk’s copy</strong> from {ago(c.asOf)}. {c.problem}
            </p>
          ))}
      </div>
      <div className="outage-pages" data-testid="outage-pages">
        {pages.map((p) => {
          const types = new Map(
            (current?.reference[p.connection.connectionId]?.appointmentTypes ?? []).map((t) => [
              t.ref,
              t.name,
            ]),
          )
          const compact = p.nobody && p.rows.length >= COMPACT_FROM_ROWS
          // With no notes to print (Hero keeps none), the empty column's room goes to the type.
          const noNotes = compact && !p.rows.some((r) => r.kind === 'appointment' && r.appointment.note)
          return (
            <section
              key={p.key}
              className={`outage-page${compact ? ' outage-page-compact' : ''}${noNotes ? ' outage-page-no-notes' : ''}`}
              aria-label={`${p.practitioner}, ${p.connection.label}`}
            >
              <header className="outage-page-head">
                <h3>{p.practitioner}</h3>
                <p>
                  {p.connection.label} · {formatDay(date)} · times in {p.connection.timeZone}
                </p>
                <p className="outage-page-source">
                  From Frontdesk’s copy{p.connection.asOf ? ` of ${ago(p.connection.asOf)}` : ''} · printed{' '}
                  {printedAt}
                </p>
              </header>
              <table className="outage-table">
                <thead>
                  <tr>
                    <th scope="col">Time</th>
                    <th scope="col">Patient</th>
                    {/* A compact list has no room for phones; the date of birth gets a column of its
                        own there, so a long name is cut before it, never the date. */}
                    <th scope="col">{compact ? 'Born' : 'Phone'}</th>
                    <th scope="col">Type</th>
                    <th scope="col">Status</th>
                    <th scope="col">Notes</th>
                  </tr>
                </thead>
                <tbody>
                  {p.rows.map((r) => {
                    if (r.kind === 'free')
                      return (
                        <tr key={`free-${r.gap.start}`} className="outage-free">
                          <td colSpan={6}>
                            <span className="outage-free-label">
                              {gapLabel(r.gap, p.connection.timeZone)}
                            </span>
                            <span className="outage-free-write" aria-hidden="true" />
                          </td>
                        </tr>
                      )
                    const a = r.appointment
                    return (
                      <tr key={a.id ?? `${a.start}-${a.patientId}`}>
                        <td className="outage-time">
                          {a.start ? formatTime(a.start, p.connection.timeZone) : '—'}
                          {a.end ? `–${formatTime(a.end, p.connection.timeZone)}` : ''}
                        </td>
                        <td>
                          {a.patient ? (
                            <PatientIdentity
                              givenName={a.patient.givenName}
                              familyName={a.patient.familyName}
                              birthDate={a.patient.birthDate}
                              nhsNumber={a.patient.nhsNumber}
                              vendorRef={a.patient.ref}
                              vendorLabel={p.connection.label}
                              timeZone={p.connection.timeZone}
                            />
                          ) : compact ? (
                            'Not in Frontdesk’s copy'
                          ) : (
                            'Patient not in Frontdesk’s copy'
                          )}
                        </td>
                        {compact ? (
                          <td className="outage-born">
                            {a.patient ? formatBirthDate(a.patient.birthDate) : '—'}
                          </td>
                        ) : (
                          <td className="outage-phone">{phoneCell(a.patient?.phone)}</td>
                        )}
                        <td>{(a.appointmentTypeRef && types.get(a.appointmentTypeRef)) || '—'}</td>
                        <td>{statusLabel[a.status]}</td>
                        <td className="outage-notes">{a.note ?? ''}</td>
                      </tr>
                    )
                  })}
                </tbody>
              </table>
            </section>
          )
        })}
        {current?.columns && pages.length === 0 ? (
          <p>No appointments in Frontdesk’s copy for this day.</p>
        ) : null}
      </div>
    </div>
  )
}
