/** Add or edit a connection: vendor, label, address, the clinic's time zone and locale, vendor options. */
import { useId, useMemo, useState } from 'react'
import { vendorNames, vendors, type Connection, type Vendor } from '../../../shared/model'
import type { AppError } from '../../../shared/result'
import { api } from '../api/client'
import { Field, fieldErrors } from './fields'

/** The non-secret settings each vendor's adapter reads, in words. */
export const vendorOptions: Record<Vendor, { name: string; label: string; hint: string }[]> = {
  semble: [
    {
      name: 'nhsNumberTypeId',
      label: 'NHS number identifier type',
      hint: 'The id Semble uses for the "NHS number" patient identifier.',
    },
    { name: 'locationId', label: 'Default location id', hint: 'Optional: the Semble location to book into.' },
  ],
  healthie: [
    { name: 'apiVersion', label: 'API version', hint: 'Optional, e.g. 2026-01-01 (the default).' },
    { name: 'locationId', label: 'Default location id', hint: 'Optional.' },
  ],
  hero: [
    { name: 'practiceGroupId', label: 'Practice group id', hint: 'From Hero Health’s practice settings.' },
  ],
  heim: [
    {
      name: 'cancelReasonCode',
      label: 'Cancellation reason code',
      hint: 'Optional, default patient_request.',
    },
  ],
}

const zones = (() => {
  try {
    return (Intl as unknown as { supportedValuesOf(k: string): string[] }).supportedValuesOf('timeZone')
  } catch {
    return ['Europe/London']
  }
})()

interface Props {
  connection: Connection | null
  onSaved(c: Connection): void
  onCancel(): void
}

/** Scheme, host and port (what the saved credentials belong to); the text itself when unparsable. */
function addressKey(url: string): string {
  try {
    const u = new URL(url)
    return `${u.protocol}//${u.host.toLowerCase()}`
  } catch {
    return url
  }
}

export function ConnectionForm({ connection, onSaved, onCancel }: Props) {
  const uid = useId()
  const [vendor, setVendor] = useState<Vendor>(connection?.vendor ?? 'semble')
  const [label, setLabel] = useState(connection?.label ?? '')
  const [baseUrl, setBaseUrl] = useState(connection?.baseUrl ?? 'https://')
  const [timeZone, setTimeZone] = useState(connection?.timeZone ?? 'Europe/London')
  const [locale, setLocale] = useState(connection?.locale ?? 'en-GB')
  const [options, setOptions] = useState<Record<string, string>>(connection?.options ?? {})
  const [error, setError] = useState<AppError | null>(null)
  const [busy, setBusy] = useState(false)
  const { byField, general } = fieldErrors(error)
  const known = useMemo(() => new Set(vendorOptions[vendor].map((o) => o.name)), [vendor])
  const other = Object.entries(options).filter(([k]) => !known.has(k) && k !== 'sandbox')
  // Credentials are bound to scheme, host and port in the main process; say so before saving.
  const addressChanged = !!connection && addressKey(connection.baseUrl) !== addressKey(baseUrl)

  async function save(e: React.FormEvent) {
    e.preventDefault()
    setBusy(true)
    const cleaned = Object.fromEntries(Object.entries(options).filter(([, v]) => v.trim() !== ''))
    const r = await api.connections.save({
      ...(connection ? { id: connection.id } : {}),
      vendor,
      label,
      baseUrl,
      timeZone,
      locale,
      options: cleaned,
    })
    setBusy(false)
    if (!r.ok) {
      setError(r.error)
      if (r.error.field) document.getElementById(`${uid}-${r.error.field.replace('.', '-')}`)?.focus()
      return
    }
    setError(null)
    onSaved(r.value)
  }

  const title = connection ? `Edit ${connection.label}` : 'Add a connection'
  return (
    <form
      className="panel connection-form"
      onSubmit={(e) => void save(e)}
      aria-labelledby={`${uid}-title`}
      noValidate
    >
      <h3 id={`${uid}-title`}>{title}</h3>
      <div className="form-grid">
        <Field
          id={`${uid}-vendor`}
          label="Clinic system"
          error={byField.vendor}
          hint={connection ? 'A connection keeps its clinic system; add a new one to change it.' : undefined}
        >
          {(a) => (
            <select
              {...a}
              value={vendor}
              disabled={!!connection}
              onChange={(e) => setVendor(e.target.value as Vendor)}
            >
              {vendors.map((v) => (
                <option key={v} value={v}>
                  {vendorNames[v]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field
          id={`${uid}-label`}
          label="Name shown to staff"
          error={byField.label}
          hint="e.g. Riverside Clinic"
        >
          {(a) => (
            <input {...a} value={label} onChange={(e) => setLabel(e.target.value)} autoComplete="off" />
          )}
        </Field>
        <Field
          id={`${uid}-baseUrl`}
          label="Address (base URL)"
          error={byField.baseUrl}
          hint={
            addressChanged
              ? "Warning: a new address deletes this connection's saved credentials when you save; you will enter them again."
              : 'Starts with https://'
          }
        >
          {(a) => (
            <input
              {...a}
              type="url"
              value={baseUrl}
              onChange={(e) => setBaseUrl(e.target.value)}
              autoComplete="off"
              spellCheck={false}
            />
          )}
        </Field>
        <Field
          id={`${uid}-timeZone`}
          label="Clinic time zone"
          error={byField.timeZone}
          hint="A place name like Europe/London; day lists and times use it."
        >
          {(a) => (
            <>
              <input
                {...a}
                list={`${uid}-zones`}
                value={timeZone}
                onChange={(e) => setTimeZone(e.target.value)}
                autoComplete="off"
                spellCheck={false}
              />
              <datalist id={`${uid}-zones`}>
                {zones.map((z) => (
                  <option key={z} value={z} />
                ))}
              </datalist>
            </>
          )}
        </Field>
        <Field
          id={`${uid}-locale`}
          label="Date and number format"
          error={byField.locale}
          hint="en-GB unless the clinic uses another."
        >
          {(a) => (
            <input {...a} value={locale} onChange={(e) => setLocale(e.target.value)} autoComplete="off" />
          )}
        </Field>
        {vendorOptions[vendor].map((o) => (
          <Field
            key={o.name}
            id={`${uid}-options-${o.name}`}
            label={o.label}
            hint={o.hint}
            error={byField[`options.${o.name}`]}
          >
            {(a) => (
              <input
                {...a}
                value={options[o.name] ?? ''}
                onChange={(e) => setOptions({ ...options, [o.name]: e.target.value })}
                autoComplete="off"
                spellCheck={false}
              />
            )}
          </Field>
        ))}
        <label className="field-check">
          <input
            type="checkbox"
            checked={options.sandbox === 'true'}
            onChange={(e) => setOptions({ ...options, sandbox: e.target.checked ? 'true' : '' })}
          />{' '}
          Test (sandbox) server: Frontdesk may send the saved credentials to a server outside the
          vendor&apos;s own. Leave off for a real clinic.
        </label>
      </div>
      {other.length > 0 && (
        <p className="field-hint">
          Other settings kept as they are: {other.map(([k, v]) => `${k} = ${v}`).join(', ')}
        </p>
      )}
      {general && (
        <p role="alert" className="error">
          {general}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={busy}>
          {connection ? 'Save changes' : 'Add connection'}
        </button>
        <button type="button" className="secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  )
}
