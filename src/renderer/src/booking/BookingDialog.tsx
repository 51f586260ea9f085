import { now, nowMs } from '../lib/clock'
import { useEffect, useId, useRef, useState } from 'react'
import type { AppointmentView, SlotView } from '../../../shared/contract'
import type { Connection, Patient } from '../../../shared/model'
import type { ErrorCode } from '../../../shared/result'
import { api } from '../api/client'
import { PatientIdentity } from '../components/PatientIdentity'
import { formatDay, formatTime, todayIn } from '../lib/format'
import { dayFirst, parseDayFirst, parseTime } from '../patients/input'
import { usePatients } from '../patients/patients-store'
import { useAppStore } from '../state/app-store'
import { useReference } from '../state/reference-store'
import { ageLabel, copyLabel, groupByDay, slotWhen, zonedToUtc } from './slots'
import { useSlots } from './useSlots'
import { localToInstant } from '../../../shared/instant'
import { announce } from '../lib/delivery'

const ANY = '*'
const DAYS = 14

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
 * clinic system offers, grouped by day in the clinic's zone; a confirmation step that repeats who,
 * when, with whom and what; then one local transaction that the outbox sends.
 */
export function BookingDialog({ patient, connection, appointments: all, rebook, onClose }: Props) {
  // The appointment being replaced is no clash for its replacement.
  const appointments = rebook ? all.filter((a) => a.id !== rebook.appointmentId) : all
  const uid = useId()
  const dialog = useRef<HTMLDialogElement>(null)
  const confirmHeading = useRef<HTMLHeadingElement>(null)
  const changed = usePatients((s) => s.changed)
  const online = useAppStore((s) => s.status.find((x) => x.connectionId === connection.id)?.online ?? true)
  const zone = connection.timeZone
  const today = todayIn(zone)

  const reference = useReference(connection.id)
  const [typeRef, setTypeRef] = useState('')
  const [who, setWho] = useState(ANY)
  const [where, setWhere] = useState(ANY)
  const [from, setFrom] = useState(today)
  const [fromText, setFromText] = useState(() => dayFirst(today))
  const [retry, setRetry] = useState(0)
  const [chosen, setChosen] = useState<SlotView | null>(null)
  const [note, setNote] = useState('')
  const [busy, setBusy] = useState(false)
  const [bookError, setBookError] = useState<{ message: string; code: ErrorCode } | null>(null)
  const [manual, setManual] = useState({
    date: dayFirst(today),
    time: '',
    practitionerRef: '',
    locationRef: '',
  })
  const [manualTried, setManualTried] = useState(false)
  const [manualPast, setManualPast] = useState('')
  /** The clash "Check this time" found in the local copy, for the typed time it was found for. */
  const [manualClash, setManualClash] = useState<{ at: string; message: string } | null>(null)

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

  const key = `${typeRef}|${who}|${where}|${from}|${retry}`
  // Shown from Frontdesk's copy at once, then replaced in place by the clinic system's answer.
  const answer = useSlots(
    typeRef
      ? {
          connectionId: connection.id,
          appointmentTypeRef: typeRef,
          patientId: patient.id!,
          from: from <= today ? now().toISOString() : zonedToUtc(from, '00:00', zone)!,
          days: DAYS,
          limit: 80,
          ...(who !== ANY ? { practitionerRef: who } : {}),
          ...(where !== ANY ? { locationRef: where } : {}),
        }
      : null,
    key,
  )

  useEffect(() => {
    if (chosen) confirmHeading.current?.focus()
  }, [chosen])

  // The clinic system's own pre-booking checks (Healthie: conflicting events), where it has them.
  const warningKey = chosen?.practitionerRef ? `${chosen.practitionerRef}|${chosen.start}|${typeRef}` : ''
  const [vendorWarnings, setVendorWarnings] = useState<{ key: string; list: string[] } | null>(null)
  useEffect(() => {
    if (!warningKey || !chosen?.practitionerRef) return
    let live = true
    void api.appointments
      .warnings({
        connectionId: connection.id,
        practitionerRef: chosen.practitionerRef,
        appointmentTypeRef: typeRef,
        start: chosen.start,
      })
      .then((r) => live && setVendorWarnings({ key: warningKey, list: r.ok ? r.value : [] }))
    return () => {
      live = false
    }
    // `warningKey` is every input of the check.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [warningKey])
  const shownWarnings = vendorWarnings?.key === warningKey ? vendorWarnings.list : []

  const type = reference?.appointmentTypes.find((t) => t.ref === typeRef)
  const nameOf = (ref?: string) =>
    ref ? reference?.practitioners.find((p) => p.ref === ref)?.name : undefined
  const loading = !!typeRef && answer?.key !== key
  const slots = answer && 'slots' in answer ? answer.slots : []
  const failed = answer && 'error' in answer && !loading ? answer : null
  // Offline with slots from the copy: the typed time is offered alongside them.
  const fromCopy = !loading && slots.some((s) => s.fromCopy)
  const days = groupByDay(slots, zone)
  const lastDay = days.at(-1)?.date

  const locations = reference?.locations ?? []
  const manualLocation =
    manual.locationRef || (where !== ANY ? where : locations.length === 1 ? locations[0]!.ref : '')
  const manualDate = parseDayFirst(manual.date, today)
  const manualTime = parseTime(manual.time)
  // A time the clocks skip is refused in words; in the repeated hour the first (e.g. BST) is read.
  const manualRead = manualDate.ok && manualTime ? localToInstant(manualDate.date, manualTime, zone) : null
  const manualStart = manualRead?.ok ? manualRead.instant : null
  const fromRead = parseDayFirst(fromText, today)
  const manualProblem = !manualDate.ok
    ? manualDate.message
    : !manual.time.trim()
      ? 'Enter the time, e.g. 14:30.'
      : !manualStart
        ? manualRead && !manualRead.ok
          ? manualRead.message
          : 'That is not a time of day: type it as 14:30.'
        : !manual.practitionerRef
          ? 'Choose the practitioner.'
          : locations.length > 0 && !manualLocation
            ? 'Choose the location.'
            : manualPast === `${manual.date} ${manual.time}`
              ? 'That time has passed.'
              : manualClash?.at === `${manual.date} ${manual.time} ${manual.practitionerRef}`
                ? manualClash.message
                : null
  const checkManual = async () => {
    setManualTried(true)
    if (manualProblem || !manualStart || !type) return
    if (Date.parse(manualStart) < nowMs()) {
      setManualPast(`${manual.date} ${manual.time}`)
      return
    }
    const end = new Date(Date.parse(manualStart) + type.lengthMinutes * 60_000).toISOString()
    // The practitioner's bookings in Frontdesk's copy: a clash is told here, not first on Book.
    const at = `${manual.date} ${manual.time} ${manual.practitionerRef}`
    const checked = await api.appointments.checkTime({
      connectionId: connection.id,
      practitionerRef: manual.practitionerRef,
      start: manualStart,
      end,
    })
    if (!checked.ok || checked.value.clash) {
      setManualClash({ at, message: checked.ok ? (checked.value.clash as string) : checked.error.message })
      return
    }
    setBookError(null)
    setChosen({
      connectionId: connection.id,
      start: manualStart,
      end,
      practitionerRef: manual.practitionerRef,
      appointmentTypeRef: type.ref,
      ...(manualLocation ? { locationRef: manualLocation } : {}),
    })
  }

  /** `confirmOverlap`: the person has seen that the patient already has an appointment then. */
  const book = async (confirmOverlap = false) => {
    if (!chosen || !type) return
    setBusy(true)
    setBookError(null)
    const booking = {
      appointmentTypeRef: type.ref,
      start: chosen.start,
      end: chosen.end,
      ...(chosen.practitionerRef ? { practitionerRef: chosen.practitionerRef } : {}),
      ...((chosen.locationRef ?? (where !== ANY ? where : undefined))
        ? { locationRef: chosen.locationRef ?? where }
        : {}),
      ...(chosen.token ? { slotToken: chosen.token } : {}),
      ...(note.trim() ? { note: note.trim() } : {}),
      ...(confirmOverlap ? { confirmOverlap: true } : {}),
    }
    const r = rebook
      ? await api.appointments.rebook({ appointmentId: rebook.appointmentId, reason: rebook.reason, booking })
      : await api.appointments.book({ connectionId: connection.id, patientId: patient.id!, ...booking })
    setBusy(false)
    if (!r.ok) {
      setBookError({
        code: r.error.code,
        message:
          r.error.code === 'conflict' ? `That time is no longer free. ${r.error.message}` : r.error.message,
      })
      return
    }
    announce(r.value)
    changed()
    onClose()
  }

  const backToSlots = () => {
    setChosen(null)
    if (bookError?.code === 'conflict') setRetry((n) => n + 1)
    setBookError(null)
  }

  // Same-day and overlapping appointments this patient already has: said before booking.
  const sameDay = chosen
    ? appointments.filter(
        (a) =>
          a.start &&
          a.status !== 'cancelled' &&
          todayIn(zone, new Date(a.start)) === todayIn(zone, new Date(chosen.start)),
      )
    : []
  const overlapping = chosen
    ? sameDay.filter(
        (a) =>
          Date.parse(a.start!) < Date.parse(chosen.end) &&
          Date.parse(a.end ?? a.start!) > Date.parse(chosen.start),
      )
    : []
  // Shown above (or said by Frontdesk on the first try): booking now is the person's acknowledgement.
  const secondBooking = overlapping.length > 0 || bookError?.code === 'needs-confirmation'

  return (
    <dialog
      ref={dialog}
      className="booking-dialog"
      aria-labelledby={`${uid}-title`}
      onCancel={(e) => {
        e.preventDefault()
        if (chosen && !busy) backToSlots()
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

      {!chosen ? (
        <div className="booking-choose">
          <div className="booking-filters">
            <div className="field">
              <label htmlFor={`${uid}-type`} className="field-label">
                Appointment type
              </label>
              <select
                id={`${uid}-type`}
                ref={typeSelect}
                value={typeRef}
                onChange={(e) => setTypeRef(e.target.value)}
                aria-describedby={`${uid}-type-msg`}
              >
                <option value="">Choose a type…</option>
                {reference?.appointmentTypes.map((t) => (
                  <option key={t.ref} value={t.ref}>
                    {t.name} ({t.lengthMinutes} min)
                  </option>
                ))}
              </select>
              <p id={`${uid}-type-msg`} className="field-msg">
                {reference && reference.appointmentTypes.length === 0
                  ? `${connection.label} has not told Frontdesk its appointment types yet (is it offline?).`
                  : '\u00a0'}
              </p>
            </div>
            <div className="field">
              <label htmlFor={`${uid}-who`} className="field-label">
                Practitioner
              </label>
              <select id={`${uid}-who`} value={who} onChange={(e) => setWho(e.target.value)}>
                <option value={ANY}>Any practitioner</option>
                {reference?.practitioners.map((p) => (
                  <option key={p.ref} value={p.ref}>
                    {p.name}
                  </option>
                ))}
              </select>
            </div>
            {reference && reference.locations.length > 1 && (
              <div className="field">
                <label htmlFor={`${uid}-where`} className="field-label">
                  Location
                </label>
                <select id={`${uid}-where`} value={where} onChange={(e) => setWhere(e.target.value)}>
                  <option value={ANY}>Any location</option>
                  {reference.locations.map((l) => (
                    <option key={l.ref} value={l.ref}>
                      {l.name}
                    </option>
                  ))}
                </select>
              </div>
            )}
            <div className="field">
              <label htmlFor={`${uid}-from`} className="field-label">
                From
              </label>
              <input
                id={`${uid}-from`}
                type="text"
                autoComplete="off"
                value={fromText}
                aria-describedby={`${uid}-from-msg`}
                aria-invalid={!fromRead.ok}
                onChange={(e) => {
                  setFromText(e.target.value)
                  const r = parseDayFirst(e.target.value, today)
                  if (r.ok) setFrom(r.date < today ? today : r.date)
                }}
              />
              <p id={`${uid}-from-msg`} className={`field-msg${fromRead.ok ? '' : ' is-error'}`}>
                {fromRead.ok ? formatDay(from) : fromRead.message}
              </p>
            </div>
          </div>

          <section className="bk-finder" aria-labelledby={`${uid}-slots`} aria-busy={loading}>
            <h3 id={`${uid}-slots`}>
              Next free times{' '}
              <span className="muted small-print">
                (times at {connection.label}, {zone})
              </span>
            </h3>
            <p className="finder-status" aria-live="polite">
              {!typeRef
                ? 'Choose the appointment type to see free times.'
                : loading
                  ? 'Finding free times…'
                  : failed
                    ? ''
                    : slots.length === 0
                      ? `No free times in the ${DAYS} days from ${days[0]?.label ?? 'the chosen date'}. Try another practitioner or a later date.`
                      : `${slots.length} free time${slots.length === 1 ? '' : 's'} over ${days.length} day${days.length === 1 ? '' : 's'}.`}
            </p>
            {answer && 'slots' in answer && !loading && copyLabel(slots, nowMs()) && (
              <div className="finder-error" role="alert" data-testid="slot-copy">
                <p>
                  {connection.label} is offline. {copyLabel(slots, nowMs())} If you know another time is free,
                  enter it below.
                </p>
              </div>
            )}
            {answer && 'slots' in answer && !loading && !copyLabel(slots, nowMs()) && (
              <p className="finder-check muted" data-testid="slot-check" data-state={answer.state}>
                {answer.state === 'checking'
                  ? `Checking with ${connection.label}…`
                  : answer.state === 'confirmed'
                    ? `Checked with ${connection.label}${answer.note ? `: ${answer.note}` : ''}.`
                    : `Not yet checked with ${connection.label}: booking checks the time.`}
              </p>
            )}
            {failed && (
              <div className="finder-error" role="alert">
                <p>{failed.error}</p>
                {failed.code === 'offline' ? (
                  <p>
                    Free times cannot be checked while {connection.label} is offline. If you know a time is
                    free, enter it below: the booking is kept here and sent when {connection.label} is back;
                    if the time has gone by then, it will show as needing attention.
                  </p>
                ) : null}
                <button type="button" className="secondary" onClick={() => setRetry((n) => n + 1)}>
                  Try again
                </button>
              </div>
            )}
            <div className={`bk-days${loading ? ' is-stale' : ''}`} data-testid="slot-finder">
              {days.map((d) => (
                <div key={d.date} className="bk-day">
                  <h4 id={`${uid}-day-${d.date}`}>{d.label}</h4>
                  <ul className="bk-slot-list" aria-labelledby={`${uid}-day-${d.date}`}>
                    {d.slots.map((s) => {
                      const by = s.practitionerName ?? nameOf(s.practitionerRef)
                      const site =
                        s.locationName ??
                        (s.locationRef ? locations.find((l) => l.ref === s.locationRef)?.name : undefined)
                      const age = ageLabel(s.fetchedAt, nowMs())
                      return (
                        <li key={`${s.start}|${s.practitionerRef ?? ''}|${s.token ?? ''}`}>
                          <button
                            type="button"
                            className="bk-slot"
                            data-testid="slot-tile"
                            disabled={loading}
                            onClick={() => {
                              setBookError(null)
                              setChosen(s)
                            }}
                          >
                            <span className="visually-hidden">{d.label}, </span>
                            <strong>{formatTime(s.start, zone)}</strong>
                            <span className="visually-hidden"> with</span>
                            <span data-part="practitioner">{by ?? 'Any practitioner'}</span>
                            {s.practitionerRole && (
                              <small className="bk-slot-meta muted" data-part="role">
                                {s.practitionerRole}
                              </small>
                            )}
                            {(site || age) && (
                              <small className="bk-slot-meta muted">
                                {site && <span data-part="site">{site}</span>}
                                {site && age && ' · '}
                                {age && (s.fromCopy ? `copy, ${age}` : age)}
                              </small>
                            )}
                          </button>
                        </li>
                      )
                    })}
                  </ul>
                </div>
              ))}
            </div>
            {lastDay && !loading && (
              <button
                type="button"
                className="secondary"
                onClick={() => {
                  const [y, m, dd] = lastDay.split('-').map(Number)
                  const next = new Date(Date.UTC(y!, m! - 1, dd! + 1)).toISOString().slice(0, 10)
                  setFrom(next)
                  setFromText(dayFirst(next))
                }}
              >
                Later times
              </button>
            )}
          </section>

          {(failed?.code === 'offline' || fromCopy) && type && (
            <fieldset className="manual-time">
              <legend>Enter a time yourself</legend>
              <div className="booking-filters">
                <div className="field">
                  <label htmlFor={`${uid}-mdate`} className="field-label">
                    Date
                  </label>
                  <input
                    id={`${uid}-mdate`}
                    type="text"
                    autoComplete="off"
                    aria-describedby={`${uid}-manual-msg`}
                    value={manual.date}
                    onChange={(e) => setManual((m) => ({ ...m, date: e.target.value }))}
                  />
                </div>
                <div className="field">
                  <label htmlFor={`${uid}-mtime`} className="field-label">
                    Time ({zone})
                  </label>
                  <input
                    id={`${uid}-mtime`}
                    type="text"
                    autoComplete="off"
                    inputMode="numeric"
                    placeholder="14:30"
                    value={manual.time}
                    aria-describedby={`${uid}-manual-msg`}
                    aria-invalid={manualTried && !!manualProblem}
                    onChange={(e) => setManual((m) => ({ ...m, time: e.target.value }))}
                  />
                </div>
                <div className="field">
                  <label htmlFor={`${uid}-mwho`} className="field-label">
                    Practitioner
                  </label>
                  <select
                    id={`${uid}-mwho`}
                    value={manual.practitionerRef}
                    aria-describedby={`${uid}-manual-msg`}
                    onChange={(e) => setManual((m) => ({ ...m, practitionerRef: e.target.value }))}
                  >
                    <option value="">Choose…</option>
                    {reference?.practitioners.map((p) => (
                      <option key={p.ref} value={p.ref}>
                        {p.name}
                      </option>
                    ))}
                  </select>
                </div>
                {locations.length > 0 && (
                  <div className="field">
                    <label htmlFor={`${uid}-mwhere`} className="field-label">
                      Location
                    </label>
                    <select
                      id={`${uid}-mwhere`}
                      value={manualLocation}
                      aria-describedby={`${uid}-manual-msg`}
                      onChange={(e) => setManual((m) => ({ ...m, locationRef: e.target.value }))}
                    >
                      <option value="">Choose…</option>
                      {locations.map((l) => (
                        <option key={l.ref} value={l.ref}>
                          {l.name}
                        </option>
                      ))}
                    </select>
                  </div>
                )}
              </div>
              <p
                id={`${uid}-manual-msg`}
                className={`field-msg${manualTried && manualProblem ? ' is-error' : ''}`}
              >
                {manualTried && manualProblem
                  ? manualProblem
                  : `${type.name} lasts ${type.lengthMinutes} minutes.`}
              </p>
              <button type="button" className="primary" onClick={() => void checkManual()}>
                Check this time
              </button>
            </fieldset>
          )}
        </div>
      ) : (
        <div className="booking-confirm" data-testid="booking-confirm">
          <h3 ref={confirmHeading} tabIndex={-1}>
            Check with the patient, then book
          </h3>
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
              <dd>
                {chosen.practitionerName ??
                  nameOf(chosen.practitionerRef) ??
                  'Whoever the clinic system assigns'}
              </dd>
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
                  <span className="pill pill-sync pill-queued">
                    Offline: this will be sent when it is back
                  </span>
                )}
              </dd>
            </div>
          </dl>

          <div className="confirm-warnings" data-testid="booking-warnings">
            {shownWarnings.map((w) => (
              <p key={w} className="warning-line" role="alert" data-testid="vendor-warning">
                {connection.label} warns: {w}
              </p>
            ))}
            {overlapping.length > 0 ? (
              <p className="warning-line" role="alert">
                {patient.givenName} already has an appointment at this time (
                {overlapping.map((a) => formatTime(a.start!, zone)).join(', ')}).
              </p>
            ) : sameDay.length > 0 ? (
              <p className="warning-line">
                {patient.givenName} already has{' '}
                {sameDay.length === 1 ? 'an appointment' : `${sameDay.length} appointments`} that day, at{' '}
                {sameDay.map((a) => formatTime(a.start!, zone)).join(', ')}.
              </p>
            ) : (
              <p className="muted">No other appointments for {patient.givenName} that day.</p>
            )}
            <p className="muted small-print">
              {connection.label} checks the time again when it receives the booking. If it has gone by then,
              the booking shows as needing attention and you can choose another time.
            </p>
          </div>

          <div className="field">
            <label htmlFor={`${uid}-note`} className="field-label">
              Note for the clinic (optional)
            </label>
            <textarea id={`${uid}-note`} rows={2} value={note} onChange={(e) => setNote(e.target.value)} />
          </div>

          {bookError && (
            <div className="finder-error" role="alert" data-testid="booking-error">
              <p>{bookError.message}</p>
            </div>
          )}
          <div className="form-actions">
            {bookError?.code !== 'conflict' && (
              <button
                type="button"
                className="primary"
                disabled={busy}
                onClick={() => void book(secondBooking)}
              >
                {busy
                  ? 'Booking…'
                  : rebook
                    ? 'Book this and cancel the old one'
                    : secondBooking
                      ? 'Book a second appointment'
                      : 'Book this appointment'}
              </button>
            )}
            <button type="button" className="secondary" disabled={busy} onClick={backToSlots}>
              {bookError?.code === 'conflict' ? 'Choose another time' : 'Back to free times'}
            </button>
          </div>
        </div>
      )}
    </dialog>
  )
}
