/**
 * One appointment: who, when, with whom, its status and whether the clinic system has it yet;
 * the actions the status allows (arrived, no-show, cancel with a reason, cancel and rebook,
 * reschedule); its note, changed in place.
 */
import { useQuery } from '@tanstack/react-query'
import { useEffect, useRef, useState } from 'react'
import type { ActionResult, AppointmentView, SlotView } from '../../../shared/contract'
import type { Patient, SyncState } from '../../../shared/model'
import type { Result } from '../../../shared/result'
import { api } from '../api/client'
import { BookingDialog } from '../booking/BookingDialog'
import { answerOf, changed, contractKey, queryClient } from '../data/query-client'
import { PatientIdentity } from '../components/PatientIdentity'
import { checkCancelReason } from '../forms/contract-check'
import { announce } from '../lib/delivery'
import { formatDateTime, formatDay, formatTime, todayIn } from '../lib/format'
import { useNow } from '../queue/useNow'
import { useAppStore } from '../state/app-store'
import { useCapabilities } from '../state/reference-store'
import { useUi } from '../state/ui-store'
import { shownSync, statusLabel, syncExplained, syncLabel } from './labels'
import { NoteEditor } from './NoteEditor'
import { SlotFinder } from './SlotFinder'
import { announceMark, undoMark } from './undo'
import { applyResult, useRefusals, type DayAppointment } from './state/today-store'
import { useShallow } from 'zustand/react/shallow'

/**
 * The drawer's own read of an appointment (its sync state from Frontdesk's outbox): cached by id,
 * read again whenever the queue changes, and when the day's list changes this appointment.
 */
const APPOINTMENT = 'appointments.get'
api.events.queueChanged(() => changed([APPOINTMENT]))

type Action = 'markArrived' | 'markNoShow' | 'cancel' | 'reschedule'

const allowedFrom: Record<Action, DayAppointment['status'][]> = {
  markArrived: ['booked'],
  markNoShow: ['booked'],
  cancel: ['booked', 'pending', 'proposed', 'arrived'],
  reschedule: ['booked', 'pending', 'proposed'],
}

const quickReasons = ['Patient cancelled', 'Patient unwell', 'Clinician unavailable', 'Booked in error']

interface Props {
  appointment: DayAppointment & { id: string }
  connectionLabel: string
  timeZone: string
  practitioners: { ref: string; name: string }[]
  typeName: string | undefined
  onClose(): void
}

export function AppointmentDrawer({
  appointment: a,
  connectionLabel,
  timeZone,
  practitioners,
  typeName,
  onClose,
}: Props) {
  const notify = useUi((s) => s.notify)
  const { remember, refused } = useRefusals(useShallow((s) => ({ remember: s.remember, refused: s.refused })))
  const online = useAppStore((s) => s.status.find((x) => x.connectionId === a.connectionId)?.online ?? true)
  const [mode, setMode] = useState<'actions' | 'cancel' | 'reschedule'>('actions')
  const [reason, setReason] = useState('')
  const [busy, setBusy] = useState(false)
  const [problem, setProblem] = useState<string | null>(null)
  const heading = useRef<HTMLHeadingElement>(null)
  const capabilities = useCapabilities(a.connectionId)
  const connection = useAppStore((s) => s.connections.find((c) => c.id === a.connectionId))
  /** Cancel and rebook: the patient and their appointments, read when the person asks for it. */
  const [rebooking, setRebooking] = useState<{ patient: Patient; appointments: AppointmentView[] } | null>(
    null,
  )
  const nowMs = useNow(15_000)

  useEffect(() => {
    heading.current?.focus()
  }, [a.id])

  const why = (action: Action): string | null => {
    const refusedWhy = refused[`${a.connectionId}:${action}`]
    if (refusedWhy) return refusedWhy
    if (capabilities && !capabilities.operations.includes(action))
      return capabilities.notes[action] ?? 'This clinic system cannot do this through its API.'
    if (!allowedFrom[action].includes(a.status))
      return `Not possible: this appointment is ${statusLabel[a.status].toLowerCase()}.`
    if ((action === 'cancel' || action === 'reschedule') && !a.patient)
      return `Frontdesk does not know whose appointment this is: do it in ${connectionLabel}.`
    if (action === 'markArrived' || action === 'markNoShow') {
      const what = action === 'markArrived' ? 'Arrival' : 'No-show'
      if (!a.start) return `${what} needs an appointment with a time.`
      const day = todayIn(timeZone, new Date(a.start))
      const today = todayIn(timeZone, new Date(nowMs))
      if (day !== today)
        return `${what} only on the day: this appointment is on ${formatDay(day)}${day > today ? '' : ', already past'}.`
      if (action === 'markNoShow' && nowMs < Date.parse(a.start))
        return `No-show only once it has started (at ${formatTime(a.start, timeZone)}).`
    }
    if (action === 'reschedule' && !a.appointmentTypeRef)
      return 'This appointment has no type to look for slots with.'
    return null
  }

  // Dragged in the day book: the reschedule step opens with the dropped time chosen, or says why
  // this appointment cannot be moved.
  const proposal = useUi((s) => s.proposedMove)
  const proposeMove = useUi((s) => s.proposeMove)
  const dragged: SlotView | null =
    proposal?.appointmentId === a.id
      ? {
          connectionId: a.connectionId,
          start: proposal.start,
          end: proposal.end,
          practitionerRef: proposal.practitionerRef,
        }
      : null
  const draggedWhy = dragged ? why('reschedule') : null
  const shownMode = dragged ? (draggedWhy ? 'actions' : 'reschedule') : mode
  const shownProblem = dragged && draggedWhy ? draggedWhy : problem

  const run = async (action: Action, call: () => Promise<Result<ActionResult>>) => {
    setBusy(true)
    setProblem(null)
    const r = await call()
    setBusy(false)
    if (r.ok) {
      applyResult(r.value)
      if (action === 'markArrived' || action === 'markNoShow') announceMark(r.value)
      else announce(r.value)
      setMode('actions')
      setReason('')
      if (action === 'reschedule') proposeMove(null)
    } else {
      if (r.error.code === 'vendor-rejected') remember(a.connectionId, action, r.error.message)
      setProblem(r.error.message)
      notify(r.error.message, 'error')
    }
  }

  const rebookWhy =
    why('cancel') ??
    (capabilities && !capabilities.operations.includes('book')
      ? (capabilities.notes.book ?? 'This clinic system cannot book through its API.')
      : !a.patientId
        ? 'Open the patient’s card to book them another appointment.'
        : null)

  const openRebook = async () => {
    if (!a.patientId || rebookWhy) return
    setBusy(true)
    const [p, list] = await Promise.all([
      api.patients.get({ patientId: a.patientId }),
      api.patients.appointments({ patientId: a.patientId }),
    ])
    setBusy(false)
    if (!p.ok) return setProblem(p.error.message)
    setRebooking({ patient: p.value, appointments: list.ok ? list.value : [] })
  }

  const choose = (s: SlotView) =>
    run('reschedule', () =>
      api.appointments.reschedule({
        appointmentId: a.id,
        start: s.start,
        end: s.end,
        ...(s.token ? { slotToken: s.token } : {}),
        ...(s.practitionerRef ? { practitionerRef: s.practitionerRef } : {}),
      }),
    )

  // The sync line from Frontdesk's own outbox for this appointment, read afresh whenever the queue
  // changes: a day read started before a held arrival or no-show was made (or made from the
  // clinic system's list) must not say the clinic system has it while it is still to be sent.
  const outboxKey = contractKey(APPOINTMENT, { appointmentId: a.id })
  const read = useQuery(
    { queryKey: outboxKey, queryFn: answerOf(() => api.appointments.get({ appointmentId: a.id })) },
    queryClient,
  ).data
  useEffect(() => {
    void queryClient.invalidateQueries({ queryKey: contractKey(APPOINTMENT, { appointmentId: a.id }) })
  }, [a.id, a.sync, a.status])
  const outbox = read ? { id: a.id, sync: read.sync, status: read.status } : null
  const unsent = (s: SyncState) => s !== 'synced'
  // Still to be sent by either account wins: the outbox is read again whenever the day's list
  // changes this appointment, so a stale "synced" from a day read lasts at most one round trip.
  const fresh = outbox?.id === a.id && unsent(outbox.sync) && !unsent(a.sync) ? outbox : null
  const syncNow = fresh ? fresh.sync : a.sync
  const marked = (fresh?.status ?? a.status) === 'arrived' || (fresh?.status ?? a.status) === 'noshow'
  /** Only an unsent arrival or no-show can be taken back (no clinic system documents a way after). */
  const undoWhy =
    syncNow === 'queued' || syncNow === 'needs-attention'
      ? null
      : syncNow === 'sending'
        ? 'Being sent to the clinic system now.'
        : (capabilities?.notes.undoStatus ?? `${connectionLabel} already has it; put it right there.`)
  const undo = async () => {
    setBusy(true)
    await undoMark(a.id)
    setBusy(false)
  }

  const noteWhy =
    capabilities && !capabilities.operations.includes('updateNote')
      ? (capabilities.notes.updateNote ?? 'This clinic system cannot change notes through its API.')
      : a.status === 'cancelled'
        ? 'Not possible: this appointment is cancelled.'
        : null

  // The reason as Cancel (and Cancel and rebook) would send it, checked by the contract: an empty
  // one leaves both buttons off; one typed and wrong (only spaces, too long) says why beside it.
  const reasonProblem = checkCancelReason(a.id, reason)
  const reasonShown = reason ? reasonProblem : undefined

  const state = shownSync(syncNow, online)
  const sync = syncLabel[state]
  const practitioner = a.practitionerName ?? practitioners.find((p) => p.ref === a.practitionerRef)?.name

  const actionButton = (action: Action, label: string, className: string, onClick: () => void) => {
    const reasonOff = why(action)
    const hint = `hint-${action}`
    return (
      <div className="drawer-action" key={action}>
        <button
          type="button"
          className={className}
          disabled={busy || !!reasonOff}
          aria-describedby={reasonOff ? hint : undefined}
          onClick={onClick}
        >
          {label}
        </button>
        {reasonOff ? (
          <span id={hint} className="drawer-action-why">
            {reasonOff}
          </span>
        ) : null}
      </div>
    )
  }

  return (
    <aside
      className="drawer"
      role="dialog"
      aria-modal="false"
      aria-labelledby="drawer-heading"
      data-testid="appointment-drawer"
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation()
          onClose()
        }
      }}
    >
      <div className="drawer-head">
        <h2 id="drawer-heading" tabIndex={-1} ref={heading}>
          {a.start ? `${formatTime(a.start, timeZone)} appointment` : 'Appointment'}
        </h2>
        <button type="button" className="secondary" onClick={onClose} aria-label="Close appointment">
          Close
        </button>
      </div>
      <div className="drawer-identity">
        {a.patient ? (
          <PatientIdentity
            givenName={a.patient.givenName}
            familyName={a.patient.familyName}
            birthDate={a.patient.birthDate}
            nhsNumber={a.patient.nhsNumber}
            vendorRef={a.patient.ref}
            vendorLabel={connectionLabel}
            timeZone={timeZone}
          />
        ) : (
          <p>The patient is not in Frontdesk’s copy yet.</p>
        )}
      </div>
      <dl className="drawer-facts">
        <dt>When</dt>
        <dd>
          {a.start ? formatDateTime(a.start, timeZone) : 'Not yet scheduled'}
          {a.end ? `–${formatTime(a.end, timeZone)}` : ''} <span className="muted">({timeZone})</span>
        </dd>
        <dt>With</dt>
        <dd>{practitioner ?? 'No practitioner'}</dd>
        <dt>Type</dt>
        <dd>{typeName ?? 'Not given'}</dd>
        <dt>Notes</dt>
        <dd className="drawer-notes">
          <NoteEditor
            key={a.id}
            appointmentId={a.id}
            note={a.note}
            why={noteWhy}
            busy={busy}
            save={async (request) => {
              const r = await api.appointments.updateNote(request)
              if (r.ok) {
                applyResult(r.value)
                announce(r.value)
              }
              return r
            }}
          />
        </dd>
        <dt>Status</dt>
        <dd data-testid="drawer-status">{statusLabel[a.status]}</dd>
        <dt>Clinic system</dt>
        <dd data-testid="drawer-sync">
          {sync ? <span className={`sync-badge sync-badge-${state}`}>{sync}</span> : null}{' '}
          {marked && state === 'queued'
            ? `The ${(fresh?.status ?? a.status) === 'arrived' ? 'arrival' : 'no-show'} is saved here and not yet sent to ${connectionLabel}${online ? ' (it waits a few seconds for Undo first)' : ''}; it can still be undone.`
            : syncExplained[state]}
          {!online ? ` ${connectionLabel} is offline.` : ''}
        </dd>
        {a.vendorStatus ? (
          <>
            <dt>{connectionLabel} says</dt>
            <dd>{a.vendorStatus}</dd>
          </>
        ) : null}
      </dl>
      {shownProblem ? (
        <p role="alert" className="error">
          {shownProblem}
        </p>
      ) : null}
      {shownMode === 'actions' && (
        <div className="drawer-actions" aria-label="Actions" role="group">
          {actionButton(
            'markArrived',
            'Arrived',
            'primary',
            () => void run('markArrived', () => api.appointments.markArrived({ appointmentId: a.id })),
          )}
          {actionButton(
            'markNoShow',
            'No-show',
            'secondary',
            () => void run('markNoShow', () => api.appointments.markNoShow({ appointmentId: a.id })),
          )}
          {marked ? (
            <div className="drawer-action">
              <button
                type="button"
                className="secondary"
                disabled={busy || !!undoWhy}
                aria-describedby={undoWhy ? 'hint-undo' : undefined}
                onClick={() => void undo()}
              >
                {a.status === 'arrived' ? 'Undo arrival' : 'Undo no-show'}
              </button>
              {undoWhy ? (
                <span id="hint-undo" className="drawer-action-why">
                  {undoWhy}
                </span>
              ) : null}
            </div>
          ) : null}
          {actionButton('reschedule', 'Reschedule…', 'secondary', () => setMode('reschedule'))}
          {actionButton('cancel', 'Cancel appointment…', 'danger', () => setMode('cancel'))}
        </div>
      )}
      {shownMode === 'cancel' && (
        <form
          className="cancel-form"
          onSubmit={(e) => {
            e.preventDefault()
            if (reasonProblem) return
            void run('cancel', () => api.appointments.cancel({ appointmentId: a.id, reason: reason.trim() }))
          }}
        >
          <h3>Cancel this appointment</h3>
          <div className="quick-reasons" role="group" aria-label="Quick reasons">
            {quickReasons.map((q) => (
              <button
                key={q}
                type="button"
                className="secondary"
                aria-pressed={reason === q}
                onClick={() => setReason(q)}
              >
                {q}
              </button>
            ))}
          </div>
          <label htmlFor="cancel-reason">Reason (required)</label>
          <input
            id="cancel-reason"
            value={reason}
            required
            aria-invalid={!!reasonShown}
            aria-describedby={reasonShown ? 'cancel-reason-problem' : undefined}
            onChange={(e) => setReason(e.target.value)}
            autoFocus
          />
          {reasonShown ? (
            <p id="cancel-reason-problem" role="alert" className="error">
              {reasonShown}
            </p>
          ) : null}
          <div className="drawer-actions">
            <button type="submit" className="danger" disabled={busy || !!reasonProblem}>
              Cancel appointment
            </button>
            <button
              type="button"
              className="secondary"
              disabled={busy || !!reasonProblem || !!rebookWhy}
              title={
                rebookWhy ??
                'Book the new time now; this one is cancelled once the new one is in the clinic system.'
              }
              onClick={() => void openRebook()}
            >
              Cancel and rebook…
            </button>
            <button type="button" className="secondary" onClick={() => setMode('actions')}>
              Keep it
            </button>
          </div>
        </form>
      )}
      {rebooking && connection && (
        <BookingDialog
          patient={rebooking.patient}
          connection={connection}
          appointments={rebooking.appointments}
          rebook={{
            appointmentId: a.id,
            reason: reason.trim(),
            was: `${a.start ? `${formatDateTime(a.start, timeZone)} ` : ''}${typeName ?? 'appointment'}`,
          }}
          onClose={() => {
            setRebooking(null)
            setMode('actions')
            setReason('')
          }}
        />
      )}
      {shownMode === 'reschedule' && a.appointmentTypeRef && (
        <SlotFinder
          key={dragged?.start ?? 'finder'}
          {...(dragged ? { proposed: dragged } : {})}
          appointment={{ ...a, appointmentTypeRef: a.appointmentTypeRef }}
          timeZone={timeZone}
          practitioners={practitioners}
          busy={busy}
          onChoose={(s) => void choose(s)}
          onCancel={() => {
            proposeMove(null)
            setMode('actions')
          }}
        />
      )}
    </aside>
  )
}
