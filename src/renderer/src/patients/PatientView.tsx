import { useEffect, useRef, useState } from 'react'
import type { AppointmentView } from '../../../shared/contract'
import { vendorNames, type AppointmentStatus, type SyncState } from '../../../shared/model'
import { BookingDialog } from '../booking/BookingDialog'
import { ErrorBoundary } from '../components/ErrorBoundary'
import { PatientIdentity } from '../components/PatientIdentity'
import { formatTime, todayIn } from '../lib/format'
import { useAppStore } from '../state/app-store'
import { useReference } from '../state/reference-store'
import { useUi } from '../state/ui-store'
import { EditDetailsForm } from './EditDetailsForm'
import { formatPhone } from './input'
import { showSavedPatient, usePatientCard } from './patient-card-data'
import { usePatients } from './patients-store'
import { unsentEditsSentence } from './unsent-edits'
import { useShallow } from 'zustand/react/shallow'

export const statusWords: Record<AppointmentStatus, string> = {
  proposed: 'Proposed',
  pending: 'Pending',
  booked: 'Booked',
  arrived: 'Arrived',
  'checked-in': 'With clinician',
  fulfilled: 'Seen',
  cancelled: 'Cancelled',
  noshow: 'Did not attend',
}

export const syncWords: Record<SyncState, { label: string; explained: string }> = {
  synced: { label: 'In clinic system', explained: 'The clinic system has this.' },
  queued: { label: 'Waiting to send', explained: 'Saved here; it will be sent to the clinic system.' },
  sending: { label: 'Sending', explained: 'Being sent to the clinic system now.' },
  'needs-attention': {
    label: 'Needs attention',
    explained: 'The clinic system refused this: see the queue, or book another time.',
  },
}

/** `Thu 12 Mar 2026` in the clinic's zone. */
export function formatApptDay(iso: string, timeZone: string) {
  return new Intl.DateTimeFormat('en-GB', {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone,
  }).format(new Date(iso))
}

/**
 * The patient card: who they are (always with date of birth and an identifier), how to reach them,
 * which clinic system holds them, their appointments to come and past, and Book.
 */
export function PatientView() {
  const { patientId, go, openAppointment, setDate } = useUi(
    useShallow((u) => ({
      patientId: u.patientId,
      go: u.go,
      openAppointment: u.openAppointment,
      setDate: u.setDate,
    })),
  )
  const connections = useAppStore((s) => s.connections)
  const { bookingFor, openBooking, closeBooking } = usePatients(
    useShallow((s) => ({
      bookingFor: s.bookingFor,
      openBooking: s.openBooking,
      closeBooking: s.closeBooking,
    })),
  )
  const current = usePatientCard(patientId)
  const [showAllPast, setShowAllPast] = useState(false)
  /** The patient whose details form is open, if any. */
  const [editing, setEditing] = useState<string | null>(null)
  const heading = useRef<HTMLHeadingElement>(null)
  const editButton = useRef<HTMLButtonElement>(null)
  /** Set when the details form closes, so the Edit details button takes the focus back. */
  const refocusEdit = useRef(false)

  const patient = current?.patient ?? null
  const connection = connections.find((c) => c.id === patient?.connectionId)

  const reference = useReference(connection?.id)

  useEffect(() => {
    if (editing || !refocusEdit.current) return
    refocusEdit.current = false
    editButton.current?.focus()
  }, [editing])

  useEffect(() => {
    if (patient) heading.current?.focus()
    // Focus once per patient shown, not on every reload.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [patient?.id])

  if (!patientId) {
    return (
      <section className="panel">
        <h2>No patient chosen</h2>
        <p>Find a patient with the search box (press / ) or on the Patients screen.</p>
        <button type="button" className="primary" onClick={() => go('patients')}>
          Go to Patients
        </button>
      </section>
    )
  }
  if (!current) {
    return (
      <section className="patient-card is-loading" aria-busy="true">
        <p>Opening the patient card…</p>
      </section>
    )
  }
  if (!patient) {
    return (
      <section className="panel">
        <h2>That patient could not be opened</h2>
        <p className="error">{current.error?.message ?? 'That patient is not in Frontdesk.'}</p>
      </section>
    )
  }

  const zone = connection?.timeZone ?? 'Europe/London'
  const practitionerName = (r?: string) =>
    r ? reference?.practitioners.find((p) => p.ref === r)?.name : undefined
  const typeName = (r?: string) =>
    r ? reference?.appointmentTypes.find((t) => t.ref === r)?.name : undefined
  const now = current.at
  const upcoming = current.appointments
    .filter((a) => !a.start || Date.parse(a.end ?? a.start) >= now)
    .sort((a, b) => (a.start ?? '').localeCompare(b.start ?? ''))
  const past = current.appointments
    .filter((a) => a.start && Date.parse(a.end ?? a.start) < now)
    .sort((a, b) => b.start!.localeCompare(a.start!))
  const pastShown = showAllPast ? past : past.slice(0, 10)
  const name = `${patient.givenName} ${patient.familyName}`.trim()
  const canOpenInDayBook = (a: AppointmentView) => !!a.id && !!a.start
  const capabilities = reference?.capabilities
  const canEdit = !!capabilities?.operations.includes('updatePatient')
  const editOpen = canEdit && editing === patient.id
  const clinicLabel = connection?.label ?? 'the clinic system'
  const closeEdit = () => {
    refocusEdit.current = true
    setEditing(null)
  }

  const row = (a: AppointmentView, withActions: boolean) => (
    <li key={a.id ?? a.ref} className={`appt-row status-${a.status}`} data-testid="appointment-row">
      <span className="appt-when">
        {a.start ? (
          <>
            <span className="appt-day">{formatApptDay(a.start, zone)}</span>{' '}
            <strong className="appt-time">
              {formatTime(a.start, zone)}
              {a.end ? `–${formatTime(a.end, zone)}` : ''}
            </strong>
          </>
        ) : (
          'Time not set yet'
        )}
      </span>
      <span className="appt-what">
        {typeName(a.appointmentTypeRef) ?? 'Appointment'}
        {practitionerName(a.practitionerRef) ? ` · ${practitionerName(a.practitionerRef)}` : ''}
      </span>
      <span className="appt-badges">
        <span className={`pill pill-status pill-${a.status}`}>{statusWords[a.status]}</span>
        {a.sync !== 'synced' && (
          <span className={`pill pill-sync pill-${a.sync}`} title={syncWords[a.sync].explained}>
            {syncWords[a.sync].label}
            <span className="visually-hidden">: {syncWords[a.sync].explained}</span>
          </span>
        )}
      </span>
      {withActions && canOpenInDayBook(a) ? (
        <button
          type="button"
          className="secondary small"
          aria-label={`Open the ${a.start ? `${formatApptDay(a.start, zone)} ${formatTime(a.start, zone)}` : ''} appointment in the day book`}
          onClick={() => {
            setDate(todayIn(zone, new Date(a.start!)))
            openAppointment(a.id!)
            go('today')
          }}
        >
          Open
        </button>
      ) : (
        <span className="appt-action-space" aria-hidden="true" />
      )}
      {withActions && a.sync === 'needs-attention' && (
        <p className="appt-attention">
          {connection?.label ?? 'The clinic system'} refused this booking (the Queue screen says why). Book
          another time, then discard this one in the queue.{' '}
          <button type="button" className="secondary small" onClick={() => openBooking(patient.id!)}>
            Book another time
          </button>
        </p>
      )}
    </li>
  )

  return (
    <section className="patient-card" aria-labelledby="patient-heading" data-testid="patient-card">
      <header className="patient-head panel">
        <h2 id="patient-heading" ref={heading} tabIndex={-1} className="patient-title">
          <span className="visually-hidden">Patient: </span>
          <PatientIdentity
            givenName={patient.givenName}
            familyName={patient.familyName}
            birthDate={patient.birthDate}
            nhsNumber={patient.nhsNumber}
            vendorRef={patient.ref}
            vendorLabel="Clinic ID"
            timeZone={zone}
          />
        </h2>
        <dl className="demographics">
          <div>
            <dt>Phone</dt>
            <dd>{patient.phone ? formatPhone(patient.phone) : 'Not recorded'}</dd>
          </div>
          <div>
            <dt>Email</dt>
            <dd>{patient.email ?? 'Not recorded'}</dd>
          </div>
          <div>
            <dt>Postcode</dt>
            <dd>{patient.postcode ?? 'Not recorded'}</dd>
          </div>
          <div>
            <dt>Clinic system</dt>
            <dd>
              {connection ? `${connection.label} (${vendorNames[connection.vendor]})` : patient.connectionId}
              {patient.ref ? (
                patient.nhsNumber ? (
                  <span className="muted"> · Clinic ID {patient.ref}</span>
                ) : null
              ) : (
                <span className="pill pill-sync pill-queued">Not yet in the clinic system</span>
              )}
            </dd>
          </div>
        </dl>
        {patient.goneAt && (
          <p className="patient-gone pill-sync pill-needs-attention" role="status" data-testid="patient-gone">
            {clinicLabel} no longer lists {name} (deleted or merged into another record there), as Frontdesk
            found on {formatApptDay(patient.goneAt, zone)}. This copy takes no new booking: find the patient
            again, or look them up in {clinicLabel}.
          </p>
        )}
        {current.unsent && (
          <p
            className={`unsent-edit pill-sync ${current.unsent.refused ? 'pill-needs-attention' : 'pill-queued'}`}
            data-testid="unsent-edit"
          >
            {unsentEditsSentence(current.unsent, clinicLabel)}
          </p>
        )}
        {editOpen && capabilities && (
          <EditDetailsForm
            key={patient.id}
            patient={patient}
            clinicLabel={clinicLabel}
            fields={capabilities.patientFields}
            note={capabilities.notes.updatePatient}
            onSaved={(saved) => {
              showSavedPatient(patient.id!, saved)
              closeEdit()
            }}
            onCancel={closeEdit}
          />
        )}
        <div className="card-actions">
          {!patient.goneAt && (
            <button type="button" className="primary" onClick={() => openBooking(patient.id!)}>
              Book an appointment
            </button>
          )}
          {canEdit && !editOpen && !patient.goneAt && (
            <button
              type="button"
              className="secondary"
              ref={editButton}
              onClick={() => setEditing(patient.id!)}
            >
              Edit details
            </button>
          )}
          {capabilities && !canEdit && (
            <p className="edit-unavailable" data-testid="edit-unavailable">
              {capabilities.notes.updatePatient ?? `Change these details in ${clinicLabel}.`}
            </p>
          )}
        </div>
      </header>

      <section className="panel" aria-labelledby="upcoming-heading">
        <h3 id="upcoming-heading">
          Upcoming appointments <span className="muted">({upcoming.length})</span>
        </h3>
        <p className="muted small-print">
          Times in {connection?.label ?? 'the clinic'}’s time ({zone}).
        </p>
        {upcoming.length === 0 ? (
          <p>No appointments booked for {name}.</p>
        ) : (
          <ul className="appt-list" data-testid="upcoming">
            {upcoming.map((a) => row(a, true))}
          </ul>
        )}
      </section>

      <section className="panel" aria-labelledby="past-heading">
        <h3 id="past-heading">
          Past appointments <span className="muted">({past.length})</span>
        </h3>
        {past.length === 0 ? (
          <p>None in Frontdesk.</p>
        ) : (
          <>
            <ul className="appt-list" data-testid="past">
              {pastShown.map((a) => row(a, false))}
            </ul>
            {past.length > pastShown.length && (
              <button type="button" className="secondary" onClick={() => setShowAllPast(true)}>
                Show all {past.length}
              </button>
            )}
          </>
        )}
      </section>

      {bookingFor === patient.id && connection && (
        <ErrorBoundary what="the booking dialog" leave={{ label: 'Close booking', onClick: closeBooking }}>
          <BookingDialog
            patient={patient}
            connection={connection}
            appointments={current.appointments}
            onClose={closeBooking}
          />
        </ErrorBoundary>
      )}
    </section>
  )
}
