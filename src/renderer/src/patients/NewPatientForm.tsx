import { useEffect, useId, useRef, useState, type ReactNode } from 'react'
import type { LikelyDuplicate } from '../../../shared/contract'
import { vendorNames } from '../../../shared/model'
import { compactNhsNumber, formatNhsNumber, isValidNhsNumber } from '../../../shared/nhs-number'
import { api } from '../api/client'
import { PatientIdentity } from '../components/PatientIdentity'
import { announce } from '../lib/delivery'
import { ageOn, formatDay, todayIn } from '../lib/format'
import { useAppStore } from '../state/app-store'
import { useUi } from '../state/ui-store'
import { formatPostcode, looksLikeEmail, parseBirthDate, phoneToE164 } from './input'

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

/** What the NHS number field says while it is typed: nothing, keep going, valid or wrong. */
function nhsState(text: string): { ok: boolean | null; message: string } {
  const digits = compactNhsNumber(text)
  if (!digits) return { ok: null, message: 'Optional. Ten digits, as on an NHS letter or the NHS App.' }
  if (!/^\d+$/.test(digits)) return { ok: false, message: 'An NHS number has digits only.' }
  if (digits.length < 10) return { ok: null, message: `${digits.length} of 10 digits.` }
  if (digits.length > 10) return { ok: false, message: 'An NHS number has 10 digits: there are more here.' }
  return isValidNhsNumber(digits)
    ? { ok: true, message: `Valid NHS number: ${formatNhsNumber(digits)}` }
    : { ok: false, message: 'This is not a valid NHS number: its check digit is wrong. Check each digit.' }
}

/**
 * Registering a patient: typed the way the front desk types (date of birth day first, NHS number
 * with spaces), checked as it is typed, and checked against the people already here with the same
 * name and date of birth before anything is created.
 */
export function NewPatientForm() {
  const connections = useAppStore((s) => s.connections).filter((c) => c.vendor !== 'hero')
  const { openPatient } = useUi()
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
  const nhs = nhsState(values.nhsNumber)
  const phone = values.phone.trim() ? phoneToE164(values.phone) : null

  const errors: Partial<Record<FieldName, string>> = { ...serverErrors }
  if (!connectionId) errors.connectionId = 'There is no clinic system here that registers patients.'
  if (!values.givenName.trim()) errors.givenName = 'Enter the first name.'
  if (!values.familyName.trim()) errors.familyName = 'Enter the last name.'
  if (!dob.ok) errors.birthDate = dob.message
  if (nhs.ok === false || (nhs.ok === null && compactNhsNumber(values.nhsNumber).length > 0))
    errors.nhsNumber = nhs.ok === false ? nhs.message : 'An NHS number has 10 digits.'
  if (values.phone.trim() && !phone) errors.phone = 'This is not a phone number that could be dialled.'
  if (values.email.trim() && !looksLikeEmail(values.email)) errors.email = 'This is not an email address.'
  const shown = (f: FieldName) =>
    submitted || touched[f] || (f === 'nhsNumber' && nhs.ok === false) ? errors[f] : undefined

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
        connectionId,
        // Only after the person has seen the warning and said this is someone else.
        ...(confirmed ? { confirmDuplicate: true } : {}),
        patient: {
          givenName: values.givenName.trim(),
          familyName: values.familyName.trim(),
          birthDate: dob.date,
          ...(nhs.ok ? { nhsNumber: compactNhsNumber(values.nhsNumber) } : {}),
          ...(phone ? { phone } : {}),
          ...(values.email.trim() ? { email: values.email.trim() } : {}),
          ...(values.postcode.trim() ? { postcode: formatPostcode(values.postcode) } : {}),
        },
      })
      if (!r.ok && r.error.code === 'needs-confirmation') {
        // The service found one the form had not (the same NHS number): the same warning, its words.
        setServerDuplicate({ key, message: r.error.message })
        return
      }
      if (!r.ok) {
        const field = r.error.field?.replace(/^patient\./, '') as FieldName | undefined
        if (field && field in empty) setServerErrors({ [field]: r.error.message })
        setFormError(r.error.message)
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
