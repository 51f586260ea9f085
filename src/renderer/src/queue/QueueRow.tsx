/** One queued change: what it is, where it stands, what the clinic system said, and the actions. */
import { useId, useState } from 'react'
import type { QueueItem } from '../../../shared/contract'
import type { Connection, Slot } from '../../../shared/model'
import { api } from '../api/client'
import { PatientIdentity } from '../components/PatientIdentity'
import { useReference } from '../state/reference-store'
import { useUi } from '../state/ui-store'
import {
  alternativesOf,
  detailOf,
  discardWords,
  kindVerb,
  practitionerName,
  stateText,
  whenText,
} from './describe'
import { reloadQueue } from './queue-store'

const rollback: Record<string, string> = {
  book: 'The booking will be removed from Frontdesk and nothing will be sent.',
  reschedule: 'The appointment goes back to its earlier time in Frontdesk and nothing will be sent.',
  cancel: 'The appointment goes back to booked in Frontdesk and nothing will be sent.',
  markArrived: 'The check-in will be undone in Frontdesk and nothing will be sent.',
  markNoShow: 'The no-show will be undone in Frontdesk and nothing will be sent.',
  createPatient: 'The new patient record will be removed from Frontdesk and nothing will be sent.',
  updatePatient: 'The patient’s details go back to what they were in Frontdesk and nothing will be sent.',
  updateNote: 'The note goes back to what it was in Frontdesk and nothing will be sent.',
  checkDuplicate: 'Nothing changes in Frontdesk. Do this once the clinic system holds the record only once.',
}

interface Props {
  item: QueueItem
  connection: Connection
  online: boolean
  now: number
  /** Later changes to the same record, discarded with this one. */
  later: number
  onDone(): void
}

export function QueueRow({ item, connection, online, now, later, onDone }: Props) {
  const notify = useUi((s) => s.notify)
  const [mode, setMode] = useState<'idle' | 'discard' | 'edit'>('idle')
  const [chosen, setChosen] = useState<number | null>(null)
  const [busy, setBusy] = useState(false)
  const [problem, setProblem] = useState<string | null>(null)
  const uid = useId()

  const patient = item.subject.patient
  const booking = item.kind === 'book' ? item.payload : undefined
  const appointmentId = item.entityKey.startsWith('appointment:') ? item.entityKey.slice(12) : undefined
  // Names of the practitioners a lost slot's alternatives are with: read once a person edits.
  const detail = detailOf(item)
  const who = practitionerName(detail.practitionerRef, item)
  const type = item.subject.appointment?.appointmentTypeName
  const when = whenText(detail.start, detail.end, connection)
  const verb = kindVerb[item.kind] ?? item.kind
  const discarding = discardWords(
    item,
    connection.label,
    rollback[item.kind] ?? 'The local change will be rolled back and nothing will be sent.',
  )
  const alternatives = alternativesOf(item).sort((a, b) => Date.parse(a.start) - Date.parse(b.start))
  const canEdit =
    item.state === 'needs-attention' &&
    alternatives.length > 0 &&
    (item.kind === 'book' || item.kind === 'reschedule')
  const patientWords = patient ? `${patient.givenName} ${patient.familyName.toUpperCase()}` : 'the patient'
  const canSendNow = item.state === 'pending' && item.kind !== 'checkDuplicate' && online

  // Practitioner names for the alternatives, once the row is being edited.
  const ref = useReference(mode === 'edit' ? connection.id : undefined)
  const reason = item.error ? (item.error.vendorMessage ?? item.error.message) : null

  const slotName = (r: string) =>
    ref?.practitioners.find((x) => x.ref === r)?.name ?? practitionerName(r, item) ?? r
  const slotWords = (s: Slot) =>
    `${whenText(s.start, s.end, connection)}${s.practitionerRef ? ` with ${slotName(s.practitionerRef)}` : ''}`

  async function sendNow() {
    setBusy(true)
    const r = await api.queue.sendNow({ connectionId: connection.id, seq: item.seq })
    setBusy(false)
    if (!r.ok) return setProblem(r.error.message)
    setProblem(null)
  }

  async function retry() {
    setBusy(true)
    const r = await api.queue.retry({ seq: item.seq })
    setBusy(false)
    if (!r.ok) return setProblem(r.error.message)
    notify(`Trying again: ${verb.toLowerCase()} for ${patientWords}.`, 'info')
    void reloadQueue()
  }

  async function discard() {
    setBusy(true)
    const r = await api.queue.discard({ seq: item.seq })
    setBusy(false)
    if (!r.ok) return setProblem(r.error.message)
    notify(
      `Discarded: ${verb.toLowerCase()} for ${patientWords}${when ? `, ${when}` : ''}. ${discarding.after}`,
      item.mayHaveReached ? 'warning' : 'info',
    )
    await reloadQueue()
    onDone()
  }

  /** Books (or moves to) the chosen free slot and removes the change that could not be sent. */
  async function takeSlot(slot: Slot) {
    setBusy(true)
    setProblem(null)
    let message: string
    if (item.kind === 'reschedule') {
      // The failed move holds the appointment: roll it back first, then move it again.
      const d = await api.queue.discard({ seq: item.seq })
      if (!d.ok) {
        setBusy(false)
        return setProblem(d.error.message)
      }
      const r = await api.appointments.reschedule({
        appointmentId: appointmentId!,
        start: slot.start,
        end: slot.end,
        ...(slot.token ? { slotToken: slot.token } : {}),
        ...(slot.practitionerRef ? { practitionerRef: slot.practitionerRef } : {}),
      })
      setBusy(false)
      if (!r.ok) {
        await reloadQueue()
        return setProblem(
          `The failed move was removed, but the new time could not be booked: ${r.error.message} The appointment keeps its earlier time.`,
        )
      }
      message = `${r.value.message} The move that could not be sent was removed.`
    } else if (booking) {
      const p = booking
      const locationRef = slot.locationRef ?? p.locationRef
      const overlaps =
        Date.parse(slot.start) < Date.parse(p.end) && Date.parse(slot.end) > Date.parse(p.start)
      const input = {
        connectionId: connection.id,
        patientId: p.patientId,
        appointmentTypeRef: slot.appointmentTypeRef ?? p.appointmentTypeRef,
        ...(slot.practitionerRef ? { practitionerRef: slot.practitionerRef } : {}),
        ...(locationRef ? { locationRef } : {}),
        start: slot.start,
        end: slot.end,
        ...(slot.token ? { slotToken: slot.token } : {}),
        ...(p.note ? { note: p.note } : {}),
        // The person chose this time to replace the failed booking, which still holds its own.
        ...(overlaps ? { confirmOverlap: true } : {}),
      }
      // Our own failed booking still holds its time locally; if the new slot overlaps it, remove it first.
      const overlapsOwn = !!slot.practitionerRef && slot.practitionerRef === p.practitionerRef && overlaps
      if (overlapsOwn) {
        const d = await api.queue.discard({ seq: item.seq })
        if (!d.ok) {
          setBusy(false)
          return setProblem(d.error.message)
        }
      }
      const r = await api.appointments.book(input)
      if (!r.ok) {
        setBusy(false)
        await reloadQueue()
        return setProblem(
          overlapsOwn
            ? `The booking that could not be sent was removed, but the new time could not be booked: ${r.error.message}`
            : `The new time could not be booked: ${r.error.message} The booking that could not be sent is still here.`,
        )
      }
      if (!overlapsOwn) {
        const d = await api.queue.discard({ seq: item.seq })
        if (!d.ok) {
          setBusy(false)
          notify(`${r.value.message} The old booking could not be removed: ${d.error.message}`, 'warning')
          return void reloadQueue()
        }
      }
      setBusy(false)
      message = `${r.value.message} The booking that could not be sent was removed.`
    } else {
      setBusy(false)
      return
    }
    notify(message, 'success')
    await reloadQueue()
    onDone()
  }

  const chosenSlot = chosen !== null ? alternatives[chosen] : undefined

  return (
    <li
      className={`queue-row is-${item.state}`}
      data-testid="queue-row"
      data-state={item.state}
      data-kind={item.kind}
      aria-labelledby={`${uid}-what`}
      aria-describedby={`${uid}-state`}
    >
      <p className="queue-what" id={`${uid}-what`}>
        <strong className="queue-verb">{verb}</strong>{' '}
        {patient ? (
          <PatientIdentity
            compact
            givenName={patient.givenName}
            familyName={patient.familyName}
            birthDate={patient.birthDate}
            nhsNumber={patient.nhsNumber}
            vendorRef={patient.ref}
            vendorLabel={connection.label}
            timeZone={connection.timeZone}
          />
        ) : (
          <span>a patient Frontdesk no longer has</span>
        )}
        {when || who || type ? (
          <span className="queue-appointment">
            {item.kind === 'reschedule' ? 'to ' : ''}
            {when ? <span className="queue-when">{when}</span> : null}
            {who ? <span> with {who}</span> : null}
            {type ? <span className="queue-type"> · {type}</span> : null}
            {item.kind === 'cancel' && item.payload.reason ? (
              <span className="queue-type"> · reason: {item.payload.reason}</span>
            ) : null}
          </span>
        ) : null}
      </p>
      <p className="queue-state" id={`${uid}-state`} data-testid="queue-state">
        {stateText(item, connection, online, now)}
      </p>
      {reason && item.state === 'needs-attention' && (
        <p className="queue-reason" data-testid="queue-reason">
          {item.error?.vendorMessage ? `${connection.label} said: ${reason}` : reason}
        </p>
      )}
      {item.error && item.state !== 'needs-attention' && online && (
        <p className="queue-last-error">Last attempt: {item.error.message}</p>
      )}
      <p className="queue-meta">
        Made by {item.actor} · {whenText(item.createdAt, undefined, connection)}
      </p>
      {problem && (
        <p role="alert" className="error">
          {problem}
        </p>
      )}

      {mode === 'idle' && (
        <div className="queue-actions">
          {canSendNow && (
            <button type="button" className="secondary" disabled={busy} onClick={() => void sendNow()}>
              Send now
            </button>
          )}
          {item.state === 'needs-attention' && (
            <button type="button" className="secondary" disabled={busy} onClick={() => void retry()}>
              Retry
            </button>
          )}
          {canEdit && (
            <button
              type="button"
              className="primary"
              disabled={busy}
              onClick={() => {
                setChosen(null)
                setMode('edit')
              }}
            >
              Edit: choose another time
            </button>
          )}
          {item.state !== 'sending' &&
            (item.kind !== 'checkDuplicate' || item.state === 'needs-attention') && (
              <button type="button" className="secondary" disabled={busy} onClick={() => setMode('discard')}>
                Discard…
              </button>
            )}
        </div>
      )}

      {mode === 'discard' && (
        <div className="queue-confirm" role="group" aria-labelledby={`${uid}-discard`}>
          <p id={`${uid}-discard`}>
            <strong>
              Discard “{verb.toLowerCase()}” for {patientWords}
              {when ? `, ${when}` : ''}?
            </strong>{' '}
            {discarding.before}
            {later > 0
              ? ` ${later} later change${later === 1 ? '' : 's'} to the same record will be discarded too.`
              : ''}
          </p>
          <div className="queue-actions">
            <button type="button" className="danger" disabled={busy} onClick={() => void discard()} autoFocus>
              Discard and roll back
            </button>
            <button type="button" className="secondary" disabled={busy} onClick={() => setMode('idle')}>
              Keep it
            </button>
          </div>
        </div>
      )}

      {mode === 'edit' && (
        <div className="queue-edit">
          <fieldset>
            <legend>Free times near the one that was taken</legend>
            <div className="slot-choices">
              {alternatives.map((s, i) => (
                <label key={`${s.start}-${s.practitionerRef ?? ''}`} className="slot-choice">
                  <input
                    type="radio"
                    name={`${uid}-slot`}
                    checked={chosen === i}
                    onChange={() => setChosen(i)}
                    autoFocus={i === 0}
                  />
                  <span>{slotWords(s)}</span>
                </label>
              ))}
            </div>
          </fieldset>
          <p className="queue-confirm-text" aria-live="polite">
            {chosenSlot
              ? item.kind === 'reschedule'
                ? `This will remove the move that could not be sent, then move ${patientWords}'s appointment to ${slotWords(chosenSlot)}.`
                : `This will book ${patientWords} for ${slotWords(chosenSlot)}${type ? ` (${type})` : ''}, then remove the booking that could not be sent.`
              : 'Choose a time above.'}
          </p>
          <div className="queue-actions">
            <button
              type="button"
              className="primary"
              disabled={busy || !chosenSlot}
              onClick={() => chosenSlot && void takeSlot(chosenSlot)}
            >
              {item.kind === 'reschedule' ? 'Move to this time' : 'Book this time'}
            </button>
            <button type="button" className="secondary" disabled={busy} onClick={() => setMode('idle')}>
              Back
            </button>
          </div>
        </div>
      )}
    </li>
  )
}
