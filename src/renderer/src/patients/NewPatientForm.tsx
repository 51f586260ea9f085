import { useEffect, useId, useRef, useState, type ReactNode } from 'react'
import type { LikelyDuplicate, MethodInput } from '../../../shared/contract'
import { vendorNames } from '../../../shared/model'
import { compactNhsNumber, formatNhsNumber, isValidNhsNumber } from '../../../shared/nhs-number'
import { api } from '../api/client'
import { PatientIdentity } from '../components/PatientIdentity'
import { contractCheck, fieldMessage } from '../forms/contract-check'
import { announce } from '../lib/delivery'
import { ageOn, formatDay, todayIn } from '../lib/format'
import { useAppStore } from '../state/app-store'
import { useUi } from '../state/ui-store'
import { formatPostcode, parseBirthDate, phoneToE164 } from './input'

type FieldName =
  'connectionId' | 'givenName' | 'familyName' | 'birthDate' | 'nhsNumber' | 'phone' | 'email' | 'postcode'

const empty: Record<FieldName, string> = {
  connectionId: '',
  givenName: '',
  familyName: '',
  birthDate: '',
  nhsNumber: '',
  phone: '',
  email: '',
  postcode: '',
}

/** What the NHS number field says while it is typed and nothing is wrong yet: keep going, or valid. */
function nhsHelp(digits: string): { ok: boolean; message: string } {
  if (isValidNhsNumber(digits)) return { ok: true, message: `Valid NHS number: ${formatNhsNumber(digits)}` }
  if (/^\d{1,9}$/.test(digits)) return { ok: false, message: `${digits.length} of 10 digits.` }
  return { ok: false, message: 'Optional. Ten digits, as on an NHS letter or the NHS App.' }
}

/** The form field of a contract field path ("patient.email" → email). */
function fieldOfPath(path: string): FieldName | undefined {
  const f = path.replace(/^patient\./, '')
  return Object.hasOwn(empty, f) ? (f as FieldName) : undefined
}

/**
 * Registering a patient: typed the way the front desk types (date of birth day first, NHS number
 * with spaces), checked as it is typed, and checked against the people already here with the same
 * name and date of birth before anything is created.
 */
export function NewPatientForm() {
  const connections = useAppStore((s) => s.connections).filter((c) => c.vendor !== 'hero')
  const openPatient = useUi((u) => u.openPatient)
  const [values, setValues] = useState(empty)
  const [touched, setTouched] = useState<Partial<Record<FieldName, boolean>>>({})
  const [submitted, setSubmitted] = useState(false)
  const [serverErrors, setServerErrors] = useState<Partial<Record<FieldName, string>>>({})
  const [formError, setFormError] = useState<string | null>(null)
  const [saving, setSaving] = useState(false)
  const [duplicates, setDuplicates] = useState<{ key: string; list: LikelyDuplicate[] } | null>(null)
  const [overrideKey, setOverrideKey] = useState<string | null>(null)
  const [serverDuplicate, setServerDuplicate] = useState<{ key: string; message: string } | null>(null)
  const warning = useRef<HTMLDivElement>(null)
  const uid = useId()

  const connectionId = values.connectionId || connections[0]?.id || ''
  const connection = connections.find((c) => c.id === connectionId)
  const zone = connection?.timeZone ?? 'Europe/London'
  const today = todayIn(zone)
  const dob = parseBirthDate(values.birthDate, today)
  const nhsDigits = compactNhsNumber(values.nhsNumber.trim())
  const nhs = nhsHelp(nhsDigits)
  const phone = values.phone.trim() ? phoneToE164(values.phone) : null

  // Reading what was typed: what cannot be read into the request is said at its field.
  const errors: Partial<Record<FieldName, string>> = {}
  if (!connectionId) errors.connectionId = 'There is no clinic system here that registers patients.'
  if (!dob.ok) errors.birthDate = dob.message
  if (values.phone.trim() && !phone) errors.phone = 'This is not a phone number that could be dialled.'

  // What Register sends (less the duplicate confirmation); the contract says what is wrong with it.
  const request: MethodInput<'patients.create'> = {
    connectionId,
    patient: {
      givenName: values.givenName.trim(),
      familyName: values.familyName.trim(),
      birthDate: dob.ok ? dob.date : '',
      ...(nhsDigits ? { nhsNumber: nhsDigits } : {}),
      ...(phone ? { phone } : {}),
      ...(values.email.trim() ? { email: values.email.trim() } : {}),
      ...(values.postcode.trim() ? { postcode: formatPostcode(values.postcode) } : {}),
    },
  }
  let requestProblem: string | undefined
  for (const [path, message] of Object.entries(contractCheck('patients.create', request))) {
    const f = fieldOfPath(path)
    if (f) errors[f] ??= message
    else requestProblem ??= message
  }
  for (const [f, message] of Object.entries(serverErrors) as [FieldName, string | undefined][])
    if (message) errors[f] = message
  // A wrong NHS number is said as it is typed; one still being typed only once the field is left.
  const nhsEager = !/^\d{0,9}$/.test(nhsDigits)
  const shown = (f: FieldName) =>
    submitted || touched[f] || (f === 'nhsNumber' && nhsEager) ? errors[f] : undefined

  const key =
    connectionId && values.givenName.trim() && values.familyName.trim() && dob.ok
      ? [
          connectionId,
          values.givenName.trim().toLowerCase(),
          values.familyName.trim().toLowerCase(),
          dob.date,
        ].join('|')
      : null
  const dupes = key && duplicates?.key === key ? duplicates.list : null

  // Warn while typing: as soon as name and date of birth are complete, ask who is already here.
  useEffect(() => {
    if (!key || !dob.ok) return
    let live = true
    void api.patients
      .duplicates({
        connectionId,
        givenName: values.givenName.trim(),
        familyName: values.familyName.trim(),
        birthDate: dob.date,
      })
      .then((r) => {
        if (live && r.ok) setDuplicates({ key, list: r.value })
      })
    return () => {
      live = false
    }
    // The key holds every input of the query.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key])

  const set = (f: FieldName, v: string) => {
    setValues((s) => ({ ...s, [f]: v }))
    if (serverErrors[f]) setServerErrors((e) => ({ ...e, [f]: undefined }))
    setServerDuplicate(null)
    setFormError(null)
  }
  const blur = (f: FieldName) => setTouched((t) => ({ ...t, [f]: true }))

  const submit = async (force = false) => {
    setSubmitted(true)
    setFormError(null)
    if (Object.values(errors).some(Boolean) || !dob.ok || !key) {
      setFormError('Some details need correcting: see the messages beside them.')
      return
    }
    if (requestProblem) {
      setFormError(requestProblem)
      return
    }
    setSaving(true)
    try {
      let list = dupes
      if (!list) {
        const r = await api.patients.duplicates({
          connectionId,
          givenName: values.givenName.trim(),
          familyName: values.familyName.trim(),
          birthDate: dob.date,
        })
        list = r.ok ? r.value : []
        setDuplicates({ key, list })
      }
      const confirmed = force || overrideKey === key
      if (list.length > 0 && !confirmed) {
        warning.current?.focus()
        return
      }
      const r = await api.patients.create({
        ...request,
        // Only after the person has seen the warning and said this is someone else.
        ...(confirmed ? { confirmDuplicate: true } : {}),
      })
      if (!r.ok && r.error.code === 'needs-confirmation') {
        // The service found one the form had not (the same NHS number): the same warning, its words.
        setServerDuplicate({ key, message: r.error.message })
        return
      }
      if (!r.ok) {
        const f = fieldOfPath(r.error.field ?? '')
        if (f) setServerErrors({ [f]: fieldMessage(r.error) })
        setFormError(f ? 'Some details need correcting: see the messages beside them.' : r.error.message)
        return
      }
      announce(r.value)
      setValues({ ...empty, connectionId })
      setTouched({})
      setSubmitted(false)
      if (r.value.patient.id) openPatient(r.value.patient.id)
    } finally {
      setSaving(false)
    }
  }

  const field = (
    f: FieldName,
    label: string,
    input: (p: {
      id: string
      'aria-invalid': boolean
      'aria-describedby': string
      onBlur(): void
    }) => ReactNode,
    help?: ReactNode,
    helpTone?: 'ok' | 'info',
  ) => {
    const id = `${uid}-${f}`
    const error = shown(f)
    return (
      <div className={`field${error ? ' has-error' : ''}`}>
        <label htmlFor={id} className="field-label">
          {label}
        </label>
        {input({
          id,
          'aria-invalid': !!error,
          'aria-describedby': `${id}-msg`,
          onBlur: () => blur(f),
        })}
        <p id={`${id}-msg`} className={`field-msg${error ? ' is-error' : helpTone === 'ok' ? ' is-ok' : ''}`}>
          {error ?? help ?? '\u00a0'}
        </p>
      </div>
    )
  }

  const text =
    (f: FieldName, extra: { autoComplete?: string; inputMode?: 'numeric' | 'tel' | 'email' } = {}) =>
    (p: { id: string; 'aria-invalid': boolean; 'aria-describedby': string; onBlur(): void }) => (
      <input
        {...p}
        type="text"
        value={values[f]}
        onChange={(e) => set(f, e.target.value)}
        autoComplete={extra.autoComplete ?? 'off'}
        {...(extra.inputMode ? { inputMode: extra.inputMode } : {})}
        spellCheck={false}
      />
    )

  return (
    <form
      className="panel new-patient"
      aria-labelledby={`${uid}-title`}
      noValidate
      onSubmit={(e) => {
        e.preventDefault()
        void submit()
      }}
    >
      <h3 id={`${uid}-title`}>Register a new patient</h3>
      <div className="form-grid">
        {field(
          'connectionId',
          'Clinic system',
          (p) => (
            <select {...p} value={connectionId} onChange={(e) => set('connectionId', e.target.value)}>
              {connections.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.label} ({vendorNames[c.vendor]})
                </option>
              ))}
            </select>
          ),
          'Hero Health patients are added by the NHS trace.',
        )}
        <div className="field-spacer" aria-hidden="true" />
        {field('givenName', 'First name', text('givenName'))}
        {field('familyName', 'Last name', text('familyName'))}
        {field(
          'birthDate',
          'Date of birth (day first)',
          text('birthDate'),
          dob.ok ? (
            <>
              Read as {formatDay(dob.date)} (age {ageOn(dob.date, today)})
            </>
          ) : (
            'For example 12/03/1987 or 12 Mar 1987.'
          ),
          dob.ok ? 'ok' : 'info',
        )}
        {field(
          'nhsNumber',
          'NHS number',
          text('nhsNumber', { inputMode: 'numeric' }),
          nhs.message,
          nhs.ok ? 'ok' : 'info',
        )}
        {field(
          'phone',
          'Phone',
          text('phone', { inputMode: 'tel' }),
          'Optional. Mobile preferred, for reminders.',
        )}
        {field('email', 'Email', text('email', { inputMode: 'email' }), 'Optional.')}
        {field('postcode', 'Postcode', text('postcode'), 'Optional.')}
      </div>

      <div className="duplicate-slot" aria-live="polite">
        {(!dupes || dupes.length === 0) && serverDuplicate && serverDuplicate.key === key && (
          <div className="duplicate-warning" role="group" data-testid="duplicate-warning">
            <p>{serverDuplicate.message}</p>
            <button
              type="button"
              className="secondary"
              disabled={saving}
              onClick={() => {
                setOverrideKey(key)
                void submit(true)
              }}
            >
              It is a different person: register anyway
            </button>
          </div>
        )}
        {dupes && dupes.length > 0 && (
          <div
            className="duplicate-warning"
            ref={warning}
            tabIndex={-1}
            role="group"
            aria-labelledby={`${uid}-dupe-title`}
            data-testid="duplicate-warning"
          >
            <h4 id={`${uid}-dupe-title`}>
              {dupes.length === 1
                ? 'This patient may already be registered'
                : `${dupes.length} patients like this may already be registered`}
            </h4>
            <p>
              {dupes.every((d) => d.why === 'same name and date of birth')
                ? 'Same name and date of birth'
                : 'Close to what you typed (each says why)'}{' '}
              at {connection?.label}. Check their NHS number, phone or address with the patient: a second
              record splits their history.
            </p>
            <ul className="duplicate-list">
              {dupes.map((d) => (
                <li key={d.id ?? d.ref}>
                  <PatientIdentity
                    givenName={d.givenName}
                    familyName={d.familyName}
                    birthDate={d.birthDate}
                    nhsNumber={d.nhsNumber}
                    vendorRef={d.ref}
                    vendorLabel="Clinic ID"
                    timeZone={zone}
                  />
                  <span className="dupe-why" data-testid="duplicate-why">
                    Why: {d.why}
                  </span>
                  <span className="dupe-extra">{[d.postcode, d.email].filter(Boolean).join(' · ')}</span>
                  {d.id && (
                    <button type="button" className="primary" onClick={() => openPatient(d.id!)}>
                      Open existing record
                    </button>
                  )}
                </li>
              ))}
            </ul>
            <button
              type="button"
              className="secondary"
              disabled={saving}
              onClick={() => {
                setOverrideKey(key)
                void submit(true)
              }}
            >
              It is a different person: register anyway
            </button>
          </div>
        )}
      </div>

      {formError && (
        <p className="error" role="alert">
          {formError}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={saving}>
          {saving ? 'Registering…' : 'Register patient'}
        </button>
      </div>
    </form>
  )
}
