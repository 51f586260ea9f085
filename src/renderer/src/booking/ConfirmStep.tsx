import { useEffect, useId, useRef, type Dispatch } from 'react'
import type { AppointmentView, ReferenceData, SlotView } from '../../../shared/contract'
import type { Connection, Patient } from '../../../shared/model'
import { api } from '../api/client'
import { announce } from '../lib/delivery'
import { usePatients } from '../patients/patients-store'
import type { AppointmentType, BookingAction, BookingState } from './booking-state'
import {
  bookErrorOf,
  bookingInput,
  bookLabel,
  clashLine,
  isSecondBooking,
  patientClashes,
} from './confirm-summary'
import { ConfirmSummary } from './ConfirmSummary'

interface Props {
  patient: Patient
  connection: Connection
  online: boolean
  appointments: AppointmentView[]
  rebook?: { appointmentId: string; reason: string; was: string }
  reference: ReferenceData | undefined
  type: AppointmentType | undefined
  chosen: SlotView
  state: BookingState
  dispatch: Dispatch<BookingAction>
  /** The clinic system's own warnings for this time. */
  warnings: string[]
  onBooked(): void
}

/**
 * The second step: who, when, with whom and what, read back to the patient; the clinic system's
 * warnings and the patient's other appointments that day; an optional note; then Book.
 */
export function ConfirmStep(props: Props) {
  const { patient, connection, appointments, rebook, type, chosen, state, dispatch, warnings } = props
  const uid = useId()
  const heading = useRef<HTMLHeadingElement>(null)
  const changed = usePatients((s) => s.changed)
  const zone = connection.timeZone
  const { busy, bookError, note } = state

  useEffect(() => {
    heading.current?.focus()
  }, [chosen])

  const clashes = patientClashes(appointments, chosen, zone, rebook?.appointmentId)
  const line = clashLine(patient.givenName, clashes, zone)
  const secondBooking = isSecondBooking(clashes, bookError)

  /** `confirmOverlap`: the person has seen that the patient already has an appointment then. */
  const book = async (confirmOverlap: boolean) => {
    if (!type) return
    dispatch({ type: 'booking' })
    const booking = bookingInput(chosen, type.ref, state.where, note, confirmOverlap)
    const r = rebook
      ? await api.appointments.rebook({ appointmentId: rebook.appointmentId, reason: rebook.reason, booking })
      : await api.appointments.book({ connectionId: connection.id, patientId: patient.id!, ...booking })
    if (!r.ok) {
      dispatch({ type: 'bookFailed', error: bookErrorOf(r.error) })
      return
    }
    dispatch({ type: 'booked' })
    announce(r.value)
    changed()
    props.onBooked()
  }

  return (
    <div className="booking-confirm" data-testid="booking-confirm">
      <h3 ref={heading} tabIndex={-1}>
        Check with the patient, then book
      </h3>
      <ConfirmSummary
        patient={patient}
        connection={connection}
        online={props.online}
        rebook={rebook}
        reference={props.reference}
        type={type}
        chosen={chosen}
      />

      <div className="confirm-warnings" data-testid="booking-warnings">
        {warnings.map((w) => (
          <p key={w} className="warning-line" role="alert" data-testid="vendor-warning">
            {connection.label} warns: {w}
          </p>
        ))}
        {line.kind === 'overlap' ? (
          <p className="warning-line" role="alert">
            {line.text}
          </p>
        ) : (
          <p className={line.kind === 'same-day' ? 'warning-line' : 'muted'}>{line.text}</p>
        )}
        <p className="muted small-print">
          {connection.label} checks the time again when it receives the booking. If it has gone by then, the
          booking shows as needing attention and you can choose another time.
        </p>
      </div>

      <div className="field">
        <label htmlFor={`${uid}-note`} className="field-label">
          Note for the clinic (optional)
        </label>
        <textarea
          id={`${uid}-note`}
          rows={2}
          value={note}
          onChange={(e) => dispatch({ type: 'note', note: e.target.value })}
        />
      </div>

      {bookError && (
        <div className="finder-error" role="alert" data-testid="booking-error">
          <p>{bookError.message}</p>
        </div>
      )}
      <div className="form-actions">
        {bookError?.code !== 'conflict' && (
          <button type="button" className="primary" disabled={busy} onClick={() => void book(secondBooking)}>
            {bookLabel(busy, !!rebook, secondBooking)}
          </button>
        )}
        <button
          type="button"
          className="secondary"
          disabled={busy}
          onClick={() => dispatch({ type: 'back' })}
        >
          {bookError?.code === 'conflict' ? 'Choose another time' : 'Back to free times'}
        </button>
      </div>
    </div>
  )
}
