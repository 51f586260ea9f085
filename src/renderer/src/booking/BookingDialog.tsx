import { useEffect, useId, useReducer, useRef, useState } from 'react'
import type { AppointmentView } from '../../../shared/contract'
import type { Connection, Patient } from '../../../shared/model'
import { PatientIdentity } from '../components/PatientIdentity'
import { now } from '../lib/clock'
import { todayIn } from '../lib/format'
import { useAppStore } from '../state/app-store'
import { useReference } from '../state/reference-store'
import { bookingReducer, initialBooking } from './booking-state'
import { ChooseStep } from './ChooseStep'
import { ConfirmStep } from './ConfirmStep'
import { finderKey, slotsQuery } from './finder'
import { useSlots } from './useSlots'
import { useVendorWarnings } from './useVendorWarnings'

interface Props {
  patient: Patient
  connection: Connection
  /** The patient's appointments, to warn about another one the same day. */
  appointments: AppointmentView[]
  /**
   * Cancel and rebook: the appointment this one replaces, with the reason; booking then cancels it
   * once the new one is in the clinic system (`appointments.rebook`).
   */
  rebook?: { appointmentId: string; reason: string; was: string }
  onClose(): void
}

/**
 * Booking: appointment type, practitioner (or anyone), then a free slot from the next ones the
 * clinic system offers, grouped by day in the clinic's zone (`ChooseStep`); a confirmation step
 * that repeats who, when, with whom and what (`ConfirmStep`); then one local transaction that the
 * outbox sends. The steps share one reducer (`booking-state.ts`), held here.
 */
export function BookingDialog({ patient, connection, appointments, rebook, onClose }: Props) {
  const uid = useId()
  const dialog = useRef<HTMLDialogElement>(null)
  const online = useAppStore((s) => s.status.find((x) => x.connectionId === connection.id)?.online ?? true)
  const zone = connection.timeZone
  const today = todayIn(zone)
  const reference = useReference(connection.id)
  const [state, dispatch] = useReducer(bookingReducer, today, initialBooking)

  // What opened the dialog (the card's Book button), noted before the dialog takes focus.
  const [opener] = useState(() =>
    document.activeElement instanceof HTMLElement && document.activeElement !== document.body
      ? document.activeElement
      : null,
  )
  const typeSelect = useRef<HTMLSelectElement>(null)

  useEffect(() => {
    const d = dialog.current
    if (d && !d.open) d.showModal()
    // showModal focuses the first button (Close); the person starts with the appointment type.
    typeSelect.current?.focus()
    return () => {
      d?.close()
      // Booked or closed: back to what opened it, not to the page. The dialog is gone from the
      // page by now, so nothing else holds focus.
      if (opener?.isConnected) opener.focus()
    }
  }, [opener])

  // Held here rather than in the steps, so going back to the free times shows them without asking again.
  const key = finderKey(state)
  // Shown from Frontdesk's copy at once, then replaced in place by the clinic system's answer.
  const answer = useSlots(
    slotsQuery(state, {
      connectionId: connection.id,
      patientId: patient.id!,
      today,
      zone,
      now: now().toISOString(),
    }),
    key,
  )
  const warnings = useVendorWarnings(connection.id, state.chosen, state.typeRef)
  const type = reference?.appointmentTypes.find((t) => t.ref === state.typeRef)

  return (
    <dialog
      ref={dialog}
      className="booking-dialog"
      aria-labelledby={`${uid}-title`}
      onCancel={(e) => {
        e.preventDefault()
        if (state.chosen && !state.busy) dispatch({ type: 'back' })
        else onClose()
      }}
      data-testid="booking-dialog"
    >
      <div className="dialog-head">
        <h2 id={`${uid}-title`}>{rebook ? 'Cancel and rebook' : 'Book an appointment'}</h2>
        <button type="button" className="secondary" onClick={onClose} aria-label="Close without booking">
          Close
        </button>
      </div>
      <p className="dialog-patient">
        For{' '}
        <PatientIdentity
          givenName={patient.givenName}
          familyName={patient.familyName}
          birthDate={patient.birthDate}
          nhsNumber={patient.nhsNumber}
          vendorRef={patient.ref}
          vendorLabel="Clinic ID"
          timeZone={zone}
          compact
        />{' '}
        at {connection.label}
      </p>

      {!state.chosen ? (
        <ChooseStep
          connection={connection}
          reference={reference}
          type={type}
          today={today}
          state={state}
          dispatch={dispatch}
          answer={answer}
          finderKey={key}
          typeSelect={typeSelect}
        />
      ) : (
        <ConfirmStep
          patient={patient}
          connection={connection}
          online={online}
          appointments={appointments}
          rebook={rebook}
          reference={reference}
          type={type}
          chosen={state.chosen}
          state={state}
          dispatch={dispatch}
          warnings={warnings}
          onBooked={onClose}
        />
      )}
    </dialog>
  )
}
