/**
 * Connection credentials are write-only across the contract: the renderer may set, delete and ask
 * which fields are present, never read a value back. Values go straight to the keychain.
 *
 * Credentials are bound to the address they were entered for (scheme, host and port, kept next to
 * them in the keychain): once the connection's address changes they are deleted before anything
 * can read them, so a key is never sent to a server it was not given for.
 */
import type { Connection } from '../../shared/model'
import { credentialFields, type CredentialStatus } from '../../shared/model'
import { AppFailure } from '../../shared/result'
import { accounts, type SecretStore } from '../secrets/secret-store'
import { addressOf, type ConnectionsRepo } from '../store/connections-repo'

/** The keychain entry holding the address a connection's credentials belong to. */
const BOUND_TO = '@address'

export class CredentialsService {
  constructor(
    private readonly secrets: SecretStore,
    private readonly connections: ConnectionsRepo,
    private readonly onChange: (connectionId: string) => void = () => {},
  ) {}

  /**
   * True when the stored credentials belong to the connection's current address. On a mismatch
   * they are deleted here. Credentials stored before binding existed are bound on first use.
   */
  private async bound(connection: Connection): Promise<boolean> {
    const account = accounts.credential(connection.id, BOUND_TO)
    const address = addressOf(connection.baseUrl)
    const stored = await this.secrets.get(account)
    if (stored === address) return true
    if (stored === null) {
      if (await this.anyStored(connection)) await this.secrets.set(account, address)
      return true
    }
    await this.forgetAll(connection.id)
    this.onChange(connection.id)
    return false
  }

  private async anyStored(connection: Connection) {
    for (const f of credentialFields[connection.vendor])
      if (await this.secrets.get(accounts.credential(connection.id, f.name))) return true
    return false
  }

  async status(connectionId: string): Promise<CredentialStatus> {
    const connection = this.connections.get(connectionId)
    await this.bound(connection)
    const fields = credentialFields[connection.vendor]
    const present: string[] = []
    for (const f of fields)
      if (await this.secrets.get(accounts.credential(connectionId, f.name))) present.push(f.name)
    return { connectionId, present, complete: isComplete(connection.vendor, present) }
  }

  async set(connectionId: string, values: Record<string, string>): Promise<CredentialStatus> {
    const connection = this.connections.get(connectionId)
    const allowed = new Set(credentialFields[connection.vendor].map((f) => f.name))
    for (const name of Object.keys(values)) {
      if (!allowed.has(name)) {
        throw new AppFailure(
          'invalid-input',
          `"${name}" is not a credential for this connection; expected one of: ${[...allowed].join(', ')}.`,
          `fields.${name}`,
        )
      }
    }
    if (this.secrets.backend !== 'os-keychain' && !connection.demo) {
      throw new AppFailure(
        'auth',
        'This computer has no working keychain, so Frontdesk will not store credentials for a real clinic. Ask IT to enable the system keychain.',
      )
    }
    await this.bound(connection)
    for (const [name, value] of Object.entries(values)) {
      await this.secrets.set(accounts.credential(connectionId, name), value)
    }
    await this.secrets.set(accounts.credential(connectionId, BOUND_TO), addressOf(connection.baseUrl))
    this.onChange(connectionId)
    return this.status(connectionId)
  }

  async delete(connectionId: string): Promise<CredentialStatus> {
    const connection = this.connections.get(connectionId)
    for (const f of credentialFields[connection.vendor]) {
      await this.secrets.delete(accounts.credential(connectionId, f.name))
    }
    this.onChange(connectionId)
    return this.status(connectionId)
  }

  /** After a connection is removed: its secrets leave the keychain too. */
  async forgetAll(connectionId: string) {
    for (const fields of Object.values(credentialFields)) {
      for (const f of fields) await this.secrets.delete(accounts.credential(connectionId, f.name))
    }
    await this.secrets.delete(accounts.credential(connectionId, BOUND_TO))
  }

  /** For the main process only (vendor adapters): never routed to the renderer. */
  async read(connectionId: string): Promise<Record<string, string>> {
    const connection = this.connections.get(connectionId)
    if (!(await this.bound(connection))) return {}
    const out: Record<string, string> = {}
    for (const f of credentialFields[connection.vendor]) {
      const v = await this.secrets.get(accounts.credential(connectionId, f.name))
      if (v) out[f.name] = v
    }
    return out
  }
}

/** Semble takes an API token, or an email and password to sign in; the others one API key. */
export function isComplete(vendor: string, present: string[]): boolean {
  const has = (n: string) => present.includes(n)
  if (vendor === 'semble') return has('apiToken') || (has('email') && has('password'))
  return has('apiKey')
}
