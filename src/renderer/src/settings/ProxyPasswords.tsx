/**
 * Proxy sign-in: the password for each proxy that has a user name (a connection's own, or the one
 * IT set), typed once on this PC and kept in the keychain; never shown again.
 */
import { useState } from 'react'
import type { ManagedSettingsView } from '../../../shared/contract'
import type { Connection } from '../../../shared/model'
import { api } from '../api/client'
import { useUi } from '../state/ui-store'
import { Field } from './fields'

interface Scope {
  scope: string
  label: string
  username: string
}

function ProxyPassword({ scope, label, username }: Scope) {
  const notify = useUi((s) => s.notify)
  const [password, setPassword] = useState('')
  const [error, setError] = useState<string | null>(null)
  const id = `proxy-password-${scope}`

  async function save(e: React.FormEvent) {
    e.preventDefault()
    const r = await api.proxy.setPassword({ scope, password })
    if (!r.ok) return setError(r.error.message)
    setError(null)
    setPassword('')
    notify(`Proxy password for ${label} kept in the keychain.`, 'success')
  }

  return (
    <form className="inline-form" onSubmit={(e) => void save(e)} noValidate>
      <Field id={id} label={`Proxy password for “${username}” (${label})`} error={error ?? undefined}>
        {(a) => (
          <input
            {...a}
            type="password"
            autoComplete="off"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        )}
      </Field>
      <button type="submit" className="secondary">
        Save proxy password
      </button>
    </form>
  )
}

export function ProxyPasswords({
  connections,
  managed,
}: {
  connections: Connection[]
  managed: ManagedSettingsView | null
}) {
  const scopes: Scope[] = [
    ...(managed?.proxyUsername
      ? [{ scope: 'managed', label: 'the proxy set by IT', username: managed.proxyUsername }]
      : []),
    ...connections
      .filter((c) => c.options.proxyUsername)
      .map((c) => ({ scope: c.id, label: c.label, username: c.options.proxyUsername! })),
  ]
  if (!scopes.length) return null
  return (
    <section className="panel" aria-labelledby="proxy-heading" data-testid="proxy-passwords">
      <h3 id="proxy-heading">Proxy sign-in</h3>
      <p className="field-hint">
        Frontdesk signs in to proxies with a user name and password (Basic). Windows sign-in to a proxy (NTLM
        or Kerberos) is not supported. The password is kept in this computer’s keychain and never shown again.
      </p>
      {scopes.map((s) => (
        <ProxyPassword key={s.scope} {...s} />
      ))}
    </section>
  )
}
