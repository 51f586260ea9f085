/**
 * Credentials for one connection. Write-only: values go to the keychain and are never read back;
 * the screen shows only which fields are stored. Test connection tries them with the vendor.
 */
import { useEffect, useId, useState } from 'react'
import type { ConnectionCheck } from '../../../shared/contract'
import { credentialFields, type Connection, type CredentialStatus } from '../../../shared/model'
import type { AppError } from '../../../shared/result'
import { api } from '../api/client'
import { useAppStore } from '../state/app-store'
import { useUi } from '../state/ui-store'
import { Field, fieldErrors } from './fields'

export function CredentialsForm({ connection, onClose }: { connection: Connection; onClose(): void }) {
  const uid = useId()
  const notify = useUi((s) => s.notify)
  const check = useAppStore((s) => s.checks[connection.id])
  const checkConnection = useAppStore((s) => s.checkConnection)
  const [status, setStatus] = useState<CredentialStatus | null>(null)
  const [values, setValues] = useState<Record<string, string>>({})
  const [error, setError] = useState<AppError | null>(null)
  const [busy, setBusy] = useState(false)
  const [testing, setTesting] = useState(false)
  const [tested, setTested] = useState<ConnectionCheck | null>(null)
  const { byField, general } = fieldErrors(error)
  const fields = credentialFields[connection.vendor]

  useEffect(() => {
    let live = true
    void api.credentials.status({ connectionId: connection.id }).then((r) => {
      if (live && r.ok) setStatus(r.value)
    })
    return () => {
      live = false
    }
  }, [connection.id])

  async function save(e: React.FormEvent) {
    e.preventDefault()
    const filled = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== ''))
    if (Object.keys(filled).length === 0) {
      setError({ code: 'invalid-input', message: 'Type at least one value to store.', retryable: false })
      return
    }
    setBusy(true)
    const r = await api.credentials.set({ connectionId: connection.id, fields: filled })
    setBusy(false)
    if (!r.ok) return setError(r.error)
    setError(null)
    // The values leave the page at once: only "stored" is shown from now on.
    setValues({})
    setStatus(r.value)
    notify(`Credentials for ${connection.label} stored in the keychain.`, 'success')
  }

  async function forget() {
    setBusy(true)
    const r = await api.credentials.delete({ connectionId: connection.id })
    setBusy(false)
    if (!r.ok) return setError(r.error)
    setStatus(r.value)
    notify(`Credentials for ${connection.label} removed from the keychain.`, 'info')
  }

  async function test() {
    setTesting(true)
    setTested(null)
    await checkConnection(connection.id)
    setTesting(false)
    setTested(useAppStore.getState().checks[connection.id] ?? null)
  }

  const shown = tested ?? check ?? null
  return (
    <form
      className="panel credentials-form"
      onSubmit={(e) => void save(e)}
      aria-labelledby={`${uid}-title`}
      autoComplete="off"
      noValidate
    >
      <h3 id={`${uid}-title`}>Credentials for {connection.label}</h3>
      <p className="field-hint">
        Stored in this computer’s keychain and never shown again. To change one, type the new value.
      </p>
      <ul className="credential-status" aria-label="What is stored" data-testid="credential-status">
        {fields.map((f) => {
          const present = status?.present.includes(f.name) ?? false
          return (
            <li key={f.name} className={present ? 'is-present' : 'is-missing'}>
              <span aria-hidden="true">{present ? '✓' : '–'}</span> {f.label}:{' '}
              {status ? (present ? 'stored' : f.optional ? 'not set (optional)' : 'not set') : 'checking…'}
            </li>
          )
        })}
      </ul>
      {status && !status.complete && (
        <p className="field-hint">Not enough is stored for Frontdesk to sign in to this clinic system yet.</p>
      )}
      <div className="form-grid">
        {fields.map((f) => (
          <Field
            key={f.name}
            id={`${uid}-fields-${f.name}`}
            label={`New ${/^[A-Z][a-z]/.test(f.label) ? f.label.charAt(0).toLowerCase() + f.label.slice(1) : f.label}`}
            error={byField[`fields.${f.name}`]}
          >
            {(a) => (
              <input
                {...a}
                type="password"
                autoComplete="off"
                spellCheck={false}
                value={values[f.name] ?? ''}
                onChange={(e) => setValues({ ...values, [f.name]: e.target.value })}
              />
            )}
          </Field>
        ))}
      </div>
      {general && (
        <p role="alert" className="error">
          {general}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={busy}>
          Store in keychain
        </button>
        <button type="button" className="secondary" disabled={testing} onClick={() => void test()}>
          {testing ? 'Testing…' : 'Test connection'}
        </button>
        <button
          type="button"
          className="secondary"
          disabled={busy || !status?.present.length}
          onClick={() => void forget()}
        >
          Remove stored credentials
        </button>
        <button type="button" className="secondary" onClick={onClose}>
          Close
        </button>
      </div>
      <p
        className={`test-result${shown ? (shown.ok ? ' is-ok' : ' is-bad') : ''}`}
        role="status"
        data-testid="test-result"
      >
        {testing
          ? `Asking ${connection.label}…`
          : shown
            ? `${shown.ok ? 'Working' : 'Not working'}: ${shown.detail}`
            : ''}
      </p>
    </form>
  )
}
