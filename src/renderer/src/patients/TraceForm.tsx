import { useId, useRef, useState } from 'react'
import type { TraceOutcome } from '../../../shared/contract'
import { compactNhsNumber, isValidNhsNumber } from '../../../shared/nhs-number'
import { api } from '../api/client'
import { PatientIdentity } from '../components/PatientIdentity'
import { ageOn, formatDay, todayIn } from '../lib/format'
import { useAppStore } from '../state/app-store'
import { useUi } from '../state/ui-store'
import { formatPostcode, parseBirthDate } from './input'
import { usePatients } from './patients-store'

type By = 'nhs' | 'demographics'

/**
 * Hero Health finds patients only by an exact trace against the NHS Spine (PDS): NHS number and
 * date of birth, or first name, last name, date of birth and postcode. Three answers, each said
 * plainly: found (and now in Frontdesk), the patient must verify who they are first, or nobody.
 */
export function TraceForm() {
  const connections = useAppStore((s) => s.connections).filter((c) => c.vendor === 'hero')
  const openPatient = useUi((u) => u.openPatient)
  const openBooking = usePatients((p) => p.openBooking)
  const uid = useId()
  const [connectionId, setConnectionId] = useState('')
  const [by, setBy] = useState<By>('nhs')
  const [v, setV] = useState({ nhsNumber: '', givenName: '', familyName: '', birthDate: '', postcode: '' })
  const [submitted, setSubmitted] = useState(false)
  const [busy, setBusy] = useState(false)
  const [answer, setAnswer] = useState<{ outcome: TraceOutcome; asked: string } | null>(null)
  const [error, setError] = useState<string | null>(null)
  const result = useRef<HTMLDivElement>(null)

  const cid = connectionId || connections[0]?.id || ''
  const connection = connections.find((c) => c.id === cid)
  const zone = connection?.timeZone ?? 'Europe/London'
  const today = todayIn(zone)
  const dob = parseBirthDate(v.birthDate, today)
  const nhsDigits = compactNhsNumber(v.nhsNumber)

  const errors: Record<string, string | undefined> = {
    birthDate: dob.ok ? undefined : dob.message,
    nhsNumber:
      by !== 'nhs'
        ? undefined
        : !nhsDigits
          ? 'Enter the NHS number.'
          : !isValidNhsNumber(nhsDigits)
            ? 'This is not a valid NHS number: check each digit.'
            : undefined,
    givenName: by === 'demographics' && !v.givenName.trim() ? 'Enter the first name.' : undefined,
    familyName: by === 'demographics' && !v.familyName.trim() ? 'Enter the last name.' : undefined,
    postcode: by === 'demographics' && !v.postcode.trim() ? 'Enter the postcode.' : undefined,
  }
  const shown = (f: string) => (submitted ? errors[f] : undefined)
  const set = (f: keyof typeof v, value: string) => setV((s) => ({ ...s, [f]: value }))

  const submit = async () => {
    setSubmitted(true)
    setError(null)
    if (Object.values(errors).some(Boolean) || !dob.ok || !cid) return
    setBusy(true)
    const r = await api.patients.trace({
      connectionId: cid,
      birthDate: dob.date,
      ...(by === 'nhs'
        ? { nhsNumber: nhsDigits }
        : {
            givenName: v.givenName.trim(),
            familyName: v.familyName.trim(),
            postcode: formatPostcode(v.postcode),
          }),
    })
    setBusy(false)
    if (!r.ok) {
      setAnswer(null)
      setError(r.error.message)
    } else {
      setAnswer({
        outcome: r.value,
        asked:
          by === 'nhs'
            ? `NHS number ${v.nhsNumber.trim()}, born ${formatDay(dob.date)}`
            : `${v.givenName.trim()} ${v.familyName.trim()}, born ${formatDay(dob.date)}, postcode ${formatPostcode(v.postcode)}`,
      })
    }
    requestAnimationFrame(() => result.current?.focus())
  }

  const input = (f: keyof typeof v, label: string, hint?: string, inputMode?: 'numeric') => {
    const id = `${uid}-${f}`
    const err = shown(f)
    return (
      <div className={`field${err ? ' has-error' : ''}`}>
        <label htmlFor={id} className="field-label">
          {label}
        </label>
        <input
          id={id}
          type="text"
          autoComplete="off"
          spellCheck={false}
          value={v[f]}
          onChange={(e) => set(f, e.target.value)}
          aria-invalid={!!err}
          aria-describedby={`${id}-msg`}
          {...(inputMode ? { inputMode } : {})}
        />
        <p id={`${id}-msg`} className={`field-msg${err ? ' is-error' : ''}`}>
          {err ??
            (f === 'birthDate' && dob.ok
              ? `Read as ${formatDay(dob.date)} (age ${ageOn(dob.date, today)})`
              : (hint ?? '\u00a0'))}
        </p>
      </div>
    )
  }

  return (
    <div className="trace-layout">
      <form
        className="panel trace-form"
        aria-labelledby={`${uid}-title`}
        noValidate
        onSubmit={(e) => {
          e.preventDefault()
          void submit()
        }}
      >
        <h3 id={`${uid}-title`}>NHS trace for a Hero Health clinic</h3>
        <p className="muted">
          Hero finds a patient only by an exact match on the NHS Spine. A traced patient is added to
          Frontdesk, ready to book.
        </p>
        {connections.length > 1 && (
          <div className="field">
            <label htmlFor={`${uid}-conn`} className="field-label">
              Clinic
            </label>
            <select id={`${uid}-conn`} value={cid} onChange={(e) => setConnectionId(e.target.value)}>
              {connections.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.label}
                </option>
              ))}
            </select>
          </div>
        )}
        <fieldset className="radio-row">
          <legend className="field-label">Trace by</legend>
          <label>
            <input type="radio" name={`${uid}-by`} checked={by === 'nhs'} onChange={() => setBy('nhs')} /> NHS
            number and date of birth
          </label>
          <label>
            <input
              type="radio"
              name={`${uid}-by`}
              checked={by === 'demographics'}
              onChange={() => setBy('demographics')}
            />{' '}
            Name, date of birth and postcode
          </label>
        </fieldset>
        <div className="form-grid">
          {by === 'nhs' ? (
            input('nhsNumber', 'NHS number', 'Ten digits; spaces are fine.', 'numeric')
          ) : (
            <>
              {input('givenName', 'First name')}
              {input('familyName', 'Last name')}
            </>
          )}
          {input('birthDate', 'Date of birth (day first)', 'For example 12/03/1987.')}
          {by === 'demographics' && input('postcode', 'Postcode', 'As registered with their GP.')}
        </div>
        <div className="form-actions">
          <button type="submit" className="primary" disabled={busy || !cid}>
            {busy ? 'Tracing…' : 'Trace'}
          </button>
          {!cid && <span className="muted">No Hero Health clinic is connected.</span>}
        </div>
      </form>

      <div className="trace-result" ref={result} tabIndex={-1} aria-live="polite" data-testid="trace-result">
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        {answer?.outcome.outcome === 'found' && (
          <div className="panel outcome outcome-found">
            <h4>Found on the NHS Spine</h4>
            <p>
              {connection?.label} now holds this patient, and Frontdesk has added them. Check the details with
              the patient before booking.
            </p>
            <p className="outcome-identity">
              <PatientIdentity
                givenName={answer.outcome.patient.givenName}
                familyName={answer.outcome.patient.familyName}
                birthDate={answer.outcome.patient.birthDate}
                nhsNumber={answer.outcome.patient.nhsNumber}
                vendorRef={answer.outcome.patient.ref}
                vendorLabel="Hero ID"
                timeZone={zone}
              />
            </p>
            {!answer.outcome.patient.givenName && !answer.outcome.patient.familyName && (
              <p className="warning-line">
                Hero answered with its record number only, so Frontdesk does not have the name yet: ask the
                patient for it and check it on the card before booking.
              </p>
            )}
            {answer.outcome.patient.id && (
              <div className="form-actions">
                <button
                  type="button"
                  className="primary"
                  onClick={() => openPatient((answer.outcome as { patient: { id: string } }).patient.id)}
                >
                  Open patient card
                </button>
                <button
                  type="button"
                  className="secondary"
                  onClick={() => {
                    const id = (answer.outcome as { patient: { id: string } }).patient.id
                    openPatient(id)
                    openBooking(id)
                  }}
                >
                  Book an appointment
                </button>
              </div>
            )}
          </div>
        )}
        {answer?.outcome.outcome === 'must-verify-identity' && (
          <div className="panel outcome outcome-verify">
            <h4>The patient must confirm who they are first</h4>
            <p>
              The NHS Spine knows this person ({answer.asked}), but before{' '}
              {connection?.label ?? 'the surgery'} can add them, the patient has to prove their identity
              themselves with NHS login. Nobody at the desk can do this step for them.
            </p>
            <ol>
              <li>Give the patient this web address (read it out, or copy it into a text message):</li>
            </ol>
            <p className="login-url">
              <code data-testid="login-url">{answer.outcome.loginUrl}</code>{' '}
              <button
                type="button"
                className="secondary"
                onClick={() => {
                  if (answer.outcome.outcome === 'must-verify-identity')
                    void navigator.clipboard?.writeText(answer.outcome.loginUrl).catch(() => undefined)
                }}
              >
                Copy link
              </button>
            </p>
            <ol start={2}>
              <li>They open it on their own phone or computer and sign in with NHS login.</li>
              <li>When they have done that, trace again with the same details.</li>
            </ol>
            {answer.outcome.message && <p className="muted">Hero said: “{answer.outcome.message}”</p>}
          </div>
        )}
        {answer?.outcome.outcome === 'not-found' && (
          <div className="panel outcome outcome-none">
            <h4>No match on the NHS Spine</h4>
            <p>
              Nobody matches {answer.asked}. A trace needs an exact match: check the spelling, the date of
              birth (day first) and the postcode registered with their GP, or trace by NHS number instead.
            </p>
            <p>Nothing has been added to Frontdesk.</p>
          </div>
        )}
      </div>
    </div>
  )
}
