import { useEffect, useId, useRef, useState, type ReactNode } from 'react'
import type { MethodInput } from '../../../shared/contract'
import type { Patient, PatientChangeField } from '../../../shared/model'
import { compactNhsNumber, formatNhsNumber } from '../../../shared/nhs-number'
import { api } from '../api/client'
import { contractCheck, fieldMessage } from '../forms/contract-check'
import { announce } from '../lib/delivery'
import { formatPhone, formatPostcode, phoneToE164 } from './input'

type FieldName = 'phone' | 'email' | 'nhsNumber' | 'addressLine' | 'city' | 'postcode'
/** Where an error shows: one of the three single fields, or the address as a whole. */
type ErrorSlot = 'phone' | 'email' | 'nhsNumber' | 'address'

const slotOf: Record<FieldName, ErrorSlot> = {
  phone: 'phone',
  email: 'email',
  nhsNumber: 'nhsNumber',
  addressLine: 'address',
  city: 'address',
  postcode: 'address',
}

/** What the card knows, the way it is typed back: phone nationally, NHS number 3-3-4. */
function initialValues(p: Patient): Record<FieldName, string> {
  return {
    phone: p.phone ? formatPhone(p.phone) : '',
    email: p.email ?? '',
    nhsNumber: p.nhsNumber ? formatNhsNumber(p.nhsNumber) : '',
    addressLine: '',
    city: '',
    postcode: p.postcode ?? '',
  }
}

/** A phone number as compared: E.164 where it can be dialled, else as typed. */
const samePhone = (text: string) => (text.trim() ? (phoneToE164(text) ?? text.trim()) : '')

const samePostcode = (a: string, b: string) =>
  a.replace(/\s+/g, '').toUpperCase() === b.replace(/\s+/g, '').toUpperCase()

/** The error slot of a contract field path ("changes.address.postcode" → the address). */
function slotOfPath(path: string): ErrorSlot | undefined {
  if (path === 'changes.address' || path.startsWith('changes.address.')) return 'address'
  return (['phone', 'email', 'nhsNumber'] as const).find((s) => path === `changes.${s}`)
}

/**
 * Correcting a patient's contact details on their card: prefilled with what the card shows, only
 * what the receptionist changed is sent (the address as one: line, town, postcode), checked as it
 * is typed and again by the service, whose field errors show beside the field they are about.
 */
export function EditDetailsForm(props: {
  patient: Patient
  /** The clinic system's name, as in "change it in Riverside Clinic". */
  clinicLabel: string
  /** The details this clinic system lets Frontdesk change. */
  fields: readonly PatientChangeField[]
  /** The clinic system's own note on changing patients (what it keeps, what it cannot take). */
  note?: string | undefined
  onSaved(patient: Patient): void
  onCancel(): void
}) {
  const { patient, clinicLabel, fields, note, onSaved, onCancel } = props
  const [initial] = useState(() => initialValues(patient))
  const [values, setValues] = useState(initial)
  const [touched, setTouched] = useState<Partial<Record<FieldName, boolean>>>({})
  const [submitted, setSubmitted] = useState(false)
  const [serverErrors, setServerErrors] = useState<Partial<Record<ErrorSlot, string>>>({})
  const [formError, setFormError] = useState<string | null>(null)
  const [saving, setSaving] = useState(false)
  const first = useRef<HTMLInputElement>(null)
  const uid = useId()
  const offers = (f: PatientChangeField) => fields.includes(f)

  useEffect(() => {
    first.current?.focus()
  }, [])

  // What changed, compared as the clinic system would hold it (07700 900123 is +447700900123).
  const phone = values.phone.trim() ? phoneToE164(values.phone) : null
  const nhsDigits = compactNhsNumber(values.nhsNumber.trim())
  const changed = {
    phone: offers('phone') && samePhone(values.phone) !== samePhone(initial.phone),
    email: offers('email') && values.email.trim().toLowerCase() !== initial.email.trim().toLowerCase(),
    nhsNumber: offers('nhsNumber') && nhsDigits !== compactNhsNumber(initial.nhsNumber),
    address:
      offers('address') &&
      (!!values.addressLine.trim() ||
        !!values.city.trim() ||
        !samePostcode(values.postcode, initial.postcode)),
  }

  // Reading what was typed: a cleared detail or a phone that cannot be dialled makes no request
  // (there is no "remove"), so it is said here, at its field.
  const removing = (what: string) =>
    `Frontdesk cannot remove ${what}: type the new one, or remove it in ${clinicLabel}.`
  const errors: Partial<Record<ErrorSlot, string>> = {}
  if (changed.phone && !values.phone.trim()) errors.phone = removing('a phone number')
  else if (changed.phone && !phone) errors.phone = 'This is not a phone number that could be dialled.'
  if (changed.email && !values.email.trim()) errors.email = removing('an email address')
  if (changed.nhsNumber && !nhsDigits) errors.nhsNumber = removing('an NHS number')

  // What Save sends: only what changed, the address as one.
  const request: MethodInput<'patients.update'> = {
    patientId: patient.id ?? '',
    changes: {
      ...(changed.phone && phone ? { phone } : {}),
      ...(changed.email && values.email.trim() ? { email: values.email.trim() } : {}),
      ...(changed.nhsNumber && nhsDigits ? { nhsNumber: nhsDigits } : {}),
      ...(changed.address
        ? {
            address: {
              line: values.addressLine.trim(),
              ...(values.city.trim() ? { city: values.city.trim() } : {}),
              postcode: formatPostcode(values.postcode),
            },
          }
        : {}),
    },
  }
  // The rest is the contract's to say, in the service's words.
  const issues = contractCheck('patients.update', request)
  let requestProblem: string | undefined
  for (const [path, message] of Object.entries(issues)) {
    const slot = slotOfPath(path)
    if (slot) errors[slot] ??= message
    else requestProblem ??= message
  }
  for (const [slot, message] of Object.entries(serverErrors) as [ErrorSlot, string | undefined][])
    if (message) errors[slot] = message
  // Which part of the address to mark: the one the contract names, else the ones left empty.
  const missing = {
    addressLine: 'changes.address.line' in issues || !values.addressLine.trim(),
    postcode: 'changes.address.postcode' in issues || !values.postcode.trim(),
  }

  const shown = (f: FieldName): string | undefined => {
    const slot = slotOf[f]
    if (serverErrors[slot]) return serverErrors[slot]
    if (slot === 'address')
      return submitted || (touched.addressLine && touched.postcode) ? errors.address : undefined
    // A wrong check digit is said as soon as the ten digits are there, as on the new-patient form.
    const eager = f === 'nhsNumber' && nhsDigits.length >= 10
    return submitted || touched[f] || eager ? errors[slot] : undefined
  }
  /** Marked wrong: the field itself, or for the address the part missing (the town is optional). */
  const invalid = (f: FieldName): boolean => {
    if (!shown(f)) return false
    if (f === 'city') return false
    if (f === 'addressLine' || f === 'postcode') return !!serverErrors.address || missing[f]
    return true
  }

  const set = (f: FieldName, v: string) => {
    setValues((s) => ({ ...s, [f]: v }))
    const slot = slotOf[f]
    if (serverErrors[slot]) setServerErrors((e) => ({ ...e, [slot]: undefined }))
    setFormError(null)
  }
  const blur = (f: FieldName) => setTouched((t) => ({ ...t, [f]: true }))

  const submit = async () => {
    setSubmitted(true)
    setFormError(null)
    if (Object.values(errors).some(Boolean)) {
      setFormError('Some details need correcting: see the messages beside them.')
      return
    }
    // Nothing changed, most often.
    if (requestProblem) {
      setFormError(requestProblem)
      return
    }
    setSaving(true)
    try {
      const r = await api.patients.update(request)
      if (!r.ok) {
        const slot = slotOfPath(r.error.field ?? '')
        if (slot) setServerErrors({ [slot]: fieldMessage(r.error) })
        setFormError(
          slot ? 'Some details need correcting: see the messages beside them.' : fieldMessage(r.error),
        )
        return
      }
      announce(r.value)
      onSaved(r.value.patient)
    } finally {
      setSaving(false)
    }
  }

  const field = (f: FieldName, label: string, input: ReactNode, help: string) => {
    const id = `${uid}-${f}`
    // The address's error is said once, for the group; each of its fields points to it.
    const ownError = slotOf[f] === 'address' ? undefined : shown(f)
    return (
      <div className={`field${invalid(f) ? ' has-error' : ''}`}>
        <label htmlFor={id} className="field-label">
          {label}
        </label>
        {input}
        <p id={`${id}-msg`} className={`field-msg${ownError ? ' is-error' : ''}`}>
          {ownError ?? help}
        </p>
      </div>
    )
  }

  const text = (
    f: FieldName,
    extra: { autoComplete?: string; inputMode?: 'numeric' | 'tel' | 'email'; first?: boolean } = {},
  ) => {
    const id = `${uid}-${f}`
    const describedBy = slotOf[f] === 'address' ? `${id}-msg ${uid}-address-msg` : `${id}-msg`
    return (
      <input
        id={id}
        ref={extra.first ? first : undefined}
        type="text"
        value={values[f]}
        aria-invalid={invalid(f)}
        aria-describedby={describedBy}
        onBlur={() => blur(f)}
        onChange={(e) => set(f, e.target.value)}
        autoComplete={extra.autoComplete ?? 'off'}
        {...(extra.inputMode ? { inputMode: extra.inputMode } : {})}
        spellCheck={false}
      />
    )
  }

  const firstOffered = (['phone', 'email', 'nhsNumber', 'address'] as const).find(offers)
  const addressError = shown('addressLine') ?? shown('postcode')
  const left = (['phone', 'email', 'nhsNumber', 'address'] as const).filter((f) => !offers(f))
  const leftWords: Record<PatientChangeField, string> = {
    phone: 'phone',
    email: 'email',
    nhsNumber: 'NHS number',
    address: 'address',
  }

  return (
    <form
      className="edit-details"
      aria-labelledby={`${uid}-title`}
      noValidate
      data-testid="edit-details"
      onSubmit={(e) => {
        e.preventDefault()
        void submit()
      }}
      onKeyDown={(e) => {
        if (e.key !== 'Escape' || saving) return
        e.preventDefault()
        e.stopPropagation()
        onCancel()
      }}
    >
      <h3 id={`${uid}-title`}>Edit contact details</h3>
      <p className="muted small-print">
        Only what you change is sent to {clinicLabel}. Name and date of birth are changed in {clinicLabel}
        {left.length > 0 && !note
          ? `, and so ${left.length > 1 ? 'are' : 'is'} the ${left.map((f) => leftWords[f]).join(' and ')}`
          : ''}
        .
      </p>
      {note && (
        <p className="edit-note small-print" data-testid="edit-note">
          {note}
        </p>
      )}
      <div className="form-grid">
        {offers('phone') &&
          field(
            'phone',
            'Mobile phone',
            text('phone', { inputMode: 'tel', autoComplete: 'off', first: firstOffered === 'phone' }),
            'For reminders. Typed as the patient says it: 07700 900123.',
          )}
        {offers('email') &&
          field(
            'email',
            'Email',
            text('email', { inputMode: 'email', first: firstOffered === 'email' }),
            '\u00a0',
          )}
        {offers('nhsNumber') &&
          field(
            'nhsNumber',
            'NHS number',
            text('nhsNumber', { inputMode: 'numeric', first: firstOffered === 'nhsNumber' }),
            'Ten digits, as on an NHS letter or the NHS App.',
          )}
      </div>
      {offers('address') && (
        <fieldset className="edit-address" aria-describedby={`${uid}-address-msg`}>
          <legend>Address</legend>
          <div className="form-grid">
            <div className="edit-address-line">
              {field(
                'addressLine',
                'Address line',
                text('addressLine', { first: firstOffered === 'address' }),
                'House number and street.',
              )}
            </div>
            {field('city', 'Town or city', text('city'), 'Optional.')}
            {field('postcode', 'Postcode', text('postcode'), '\u00a0')}
          </div>
          <p id={`${uid}-address-msg`} className={`field-msg${addressError ? ' is-error' : ''}`}>
            {addressError ??
              'The address changes as one: first line and postcode. Leave it as it is to keep the address.'}
          </p>
        </fieldset>
      )}
      {formError && (
        <p className="error" role="alert">
          {formError}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={saving}>
          {saving ? 'Saving…' : 'Save details'}
        </button>
        <button type="button" className="secondary" disabled={saving} onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  )
}
