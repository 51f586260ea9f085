/** Connections and settings: who is at the desk, and each clinic system Frontdesk talks to. */
import { useEffect, useState } from 'react'
import type { ManagedSettingsView } from '../../../shared/contract'
import { vendorNames, type Connection } from '../../../shared/model'
import type { AppError } from '../../../shared/result'
import { api } from '../api/client'
import { formatDateTime } from '../lib/format'
import { useAppStore } from '../state/app-store'
import { useUi } from '../state/ui-store'
import { ConnectionForm } from './ConnectionForm'
import { CredentialsForm } from './CredentialsForm'
import { DeskPeople } from './DeskPeople'
import { PractitionerLinks } from './PractitionerLinks'
import { TypeColours } from './TypeColours'
import { ProxyPasswords } from './ProxyPasswords'
import { SupportBundle } from './SupportBundle'
import { Field, fieldErrors } from './fields'
import { useShallow } from 'zustand/react/shallow'

function StaffName() {
  const { staffName, setStaffName } = useAppStore(
    useShallow((s) => ({ staffName: s.staffName, setStaffName: s.setStaffName })),
  )
  const notify = useUi((s) => s.notify)
  const [draft, setDraft] = useState<string | null>(null)
  const [error, setError] = useState<AppError | null>(null)
  const value = draft ?? staffName
  const { byField, general } = fieldErrors(error)

  async function save(e: React.FormEvent) {
    e.preventDefault()
    const err = await setStaffName(value)
    setError(err)
    if (!err) {
      setDraft(null)
      notify(`Signed in as ${value.trim()}: your changes are recorded under this name.`, 'success')
    }
  }

  return (
    <form
      className="staff-typed"
      onSubmit={(e) => void save(e)}
      aria-label="Name changes are recorded under"
      noValidate
    >
      <p className="field-hint">
        Currently recorded as <strong data-testid="current-staff">{staffName || '—'}</strong>. The audit log
        shows this name against every change.
      </p>
      <div className="inline-form">
        <Field id="staff-name" label="Your name" error={byField.staffName ?? general ?? undefined}>
          {(a) => (
            <input {...a} value={value} onChange={(e) => setDraft(e.target.value)} autoComplete="name" />
          )}
        </Field>
        <button type="submit" className="primary">
          Save name
        </button>
      </div>
    </form>
  )
}

export function SettingsView() {
  const { connections, status, checks, reloadConnections } = useAppStore(
    useShallow((s) => ({
      connections: s.connections,
      status: s.status,
      checks: s.checks,
      reloadConnections: s.reloadConnections,
    })),
  )
  const notify = useUi((s) => s.notify)
  const go = useUi((s) => s.go)
  const [editing, setEditing] = useState<string | 'new' | null>(null)
  const [credentialsFor, setCredentialsFor] = useState<string | null>(null)
  const [removing, setRemoving] = useState<string | null>(null)
  const [removeError, setRemoveError] = useState<{ id: string; message: string } | null>(null)
  const [managed, setManaged] = useState<ManagedSettingsView | null>(null)

  useEffect(() => {
    void api.settings.managed({}).then((r) => {
      if (r.ok) setManaged(r.value)
    })
  }, [])
  const isManaged = (id: string) => managed?.connectionIds.includes(id) ?? false

  const editingConnection = editing && editing !== 'new' ? connections.find((c) => c.id === editing) : null
  const credentialsConnection = credentialsFor ? connections.find((c) => c.id === credentialsFor) : null

  async function remove(c: Connection) {
    const r = await api.connections.remove({ connectionId: c.id })
    setRemoving(null)
    if (!r.ok) return setRemoveError({ id: c.id, message: r.error.message })
    setRemoveError(null)
    notify(`${c.label} removed. Its credentials left the keychain; the audit log keeps its history.`, 'info')
    if (credentialsFor === c.id) setCredentialsFor(null)
    if (editing === c.id) setEditing(null)
    await reloadConnections()
  }

  return (
    <div className="settings-view" data-testid="settings-view">
      <h2>Connections and settings</h2>
      <DeskPeople typedName={<StaffName />} />
      <section className="panel" aria-labelledby="settings-connections-heading">
        <div className="section-head">
          <h3 id="settings-connections-heading">Clinic systems</h3>
          <button
            type="button"
            className="primary"
            onClick={() => {
              setEditing('new')
              setCredentialsFor(null)
            }}
          >
            Add a connection
          </button>
        </div>
        {connections.length === 0 ? (
          <p>No clinic systems are connected yet. Add one to start.</p>
        ) : (
          <ul className="settings-connections" data-testid="settings-connections">
            {connections.map((c) => {
              const s = status.find((x) => x.connectionId === c.id)
              const check = checks[c.id]
              const waiting = (s?.pending ?? 0) + (s?.needsAttention ?? 0)
              return (
                <li key={c.id} className="settings-connection" aria-labelledby={`conn-${c.id}-name`}>
                  <div className="settings-connection-main">
                    <strong id={`conn-${c.id}-name`}>{c.label}</strong>{' '}
                    <span className="muted">
                      {vendorNames[c.vendor]}
                      {c.demo ? ' · demo' : ''}
                    </span>
                    {isManaged(c.id) && (
                      <span className="badge" data-testid={`managed-${c.id}`}>
                        Managed by IT
                      </span>
                    )}
                    <div className="muted settings-connection-detail">
                      {c.baseUrl} · {c.timeZone} · {c.locale}
                    </div>
                    <div className={`settings-connection-state ${s && !s.online ? 'is-offline' : ''}`}>
                      {s
                        ? s.online
                          ? 'Online'
                          : `Offline since ${formatDateTime(s.since, c.timeZone, c.locale)}`
                        : 'Checking…'}
                      {check ? ` · ${check.ok ? 'credentials work' : `problem: ${check.detail}`}` : ''}
                      {waiting > 0 ? ` · ${waiting} change${waiting === 1 ? '' : 's'} waiting` : ''}
                    </div>
                  </div>
                  <div className="settings-connection-actions">
                    {isManaged(c.id) && (
                      <p className="field-hint" id={`conn-${c.id}-managed`}>
                        Set by your IT department: its address and settings cannot be changed here.
                      </p>
                    )}
                    {!isManaged(c.id) && (
                      <button
                        type="button"
                        className="secondary"
                        aria-label={`Edit ${c.label}`}
                        onClick={() => {
                          setEditing(c.id)
                          setCredentialsFor(null)
                        }}
                      >
                        Edit
                      </button>
                    )}
                    <button
                      type="button"
                      className="secondary"
                      aria-label={`Credentials and test for ${c.label}`}
                      onClick={() => {
                        setCredentialsFor(c.id)
                        setEditing(null)
                      }}
                    >
                      Credentials and test
                    </button>
                    {!isManaged(c.id) && (
                      <button
                        type="button"
                        className="secondary"
                        aria-label={`Remove ${c.label}`}
                        onClick={() => {
                          setRemoving(c.id)
                          setRemoveError(null)
                        }}
                      >
                        Remove…
                      </button>
                    )}
                  </div>
                  {removing === c.id && (
                    <div className="queue-confirm" role="group" aria-labelledby={`conn-${c.id}-remove`}>
                      <p id={`conn-${c.id}-remove`}>
                        <strong>Remove {c.label}?</strong> Frontdesk forgets its cached patients and diary and
                        removes its credentials from the keychain. The clinic system itself is not changed.
                        {waiting > 0
                          ? ` ${waiting} change(s) are still waiting, so this will be refused.`
                          : ''}
                      </p>
                      <div className="queue-actions">
                        <button type="button" className="danger" onClick={() => void remove(c)} autoFocus>
                          Remove connection
                        </button>
                        <button type="button" className="secondary" onClick={() => setRemoving(null)}>
                          Keep it
                        </button>
                      </div>
                    </div>
                  )}
                  {removeError?.id === c.id && (
                    <div role="alert" className="error">
                      {removeError.message}{' '}
                      <button type="button" className="secondary" onClick={() => go('queue')}>
                        Open the queue
                      </button>
                    </div>
                  )}
                </li>
              )
            })}
          </ul>
        )}
      </section>
      {editing && (
        <ConnectionForm
          key={editing}
          connection={editingConnection ?? null}
          onCancel={() => setEditing(null)}
          onSaved={(saved) => {
            void reloadConnections()
            notify(
              editing === 'new'
                ? `${saved.label} added. Now store its credentials and test it.`
                : `${saved.label} saved.`,
              'success',
            )
            setEditing(null)
            if (editing === 'new') setCredentialsFor(saved.id)
          }}
        />
      )}
      {credentialsConnection && (
        <CredentialsForm
          key={credentialsConnection.id}
          connection={credentialsConnection}
          onClose={() => setCredentialsFor(null)}
        />
      )}
      <ProxyPasswords connections={connections} managed={managed} />
      <TypeColours />
      <PractitionerLinks />
      <SupportBundle />
    </div>
  )
}
