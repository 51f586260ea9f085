import type { ReferenceData, SlotView } from '../../../shared/contract'
import type { Connection, Patient } from '../../../shared/model'
import { PatientIdentity } from '../components/PatientIdentity'
import type { AppointmentType } from './booking-state'
import { withWhom } from './confirm-summary'
import { slotWhen } from './slots'

interface Props {
  patient: Patient
  connection: Connection
  online: boolean
  rebook?: { appointmentId: string; reason: string; was: string }
  reference: ReferenceData | undefined
  type: AppointmentType | undefined
  chosen: SlotView
}

/** Who, when, with whom, what, what it replaces and where it is sent: read back before booking. */
export function ConfirmSummary({ patient, connection, online, rebook, reference, type, chosen }: Props) {
  const zone = connection.timeZone
  const nameOf = (ref?: string) =>
    ref ? reference?.practitioners.find((p) => p.ref === ref)?.name : undefined
  return (
    <dl className="confirm-list">
      <div>
        <dt>Patient</dt>
        <dd>
          <PatientIdentity
            givenName={patient.givenName}
            familyName={patient.familyName}
            birthDate={patient.birthDate}
            nhsNumber={patient.nhsNumber}
            vendorRef={patient.ref}
            vendorLabel="Clinic ID"
            timeZone={zone}
          />
        </dd>
      </div>
      <div>
        <dt>When</dt>
        <dd>
          <strong>{slotWhen(chosen, zone)}</strong> <span className="muted">({zone})</span>
        </dd>
      </div>
      <div>
        <dt>With</dt>
        <dd>{withWhom(chosen, nameOf)}</dd>
      </div>
      <div>
        <dt>Type</dt>
        <dd>
          {type?.name} ({type?.lengthMinutes} min)
        </dd>
      </div>
      {rebook && (
        <div data-testid="rebook-cancels">
          <dt>Cancels</dt>
          <dd>
            {rebook.was} ({rebook.reason}), once the new appointment is in {connection.label}
          </dd>
        </div>
      )}
      <div>
        <dt>Clinic</dt>
        <dd>
          {connection.label}
          {!online && (
            <span className="pill pill-sync pill-queued">Offline: this will be sent when it is back</span>
          )}
        </dd>
      </div>
    </dl>
  )
}
