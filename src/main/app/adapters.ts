/**
 * One adapter per connection, made on first use and remade when the connection or its
 * credentials change. Every adapter shares the one HTTP client, so each connection's rate limiter
 * is shared by the outbox worker, background refresh and interactive reads alike.
 */
import { type Clock, systemClock } from '../../shared/clock'
import type { ConnectionCheck } from '../../shared/contract'
import type { Connection } from '../../shared/model'
import { AppFailure } from '../../shared/result'
import type { Logger } from '../log/logger'
import type { CredentialsService } from '../services/credentials'
import type { ConnectionsRepo } from '../store/connections-repo'
import { VendorError } from '../vendors/errors'
import { defaultTimeouts, HttpClient, type HttpTimeouts } from '../vendors/http/client'
import { VendorNetwork, type NetworkOptions } from '../network/routes'
import { createAdapter } from '../vendors/registry'
import type { VendorAdapter } from '../vendors/types'

export class AdapterHub {
  readonly http: HttpClient
  readonly network: VendorNetwork
  private readonly cache = new Map<string, { key: string; adapter: VendorAdapter }>()

  constructor(
    private readonly connections: ConnectionsRepo,
    private readonly credentials: CredentialsService,
    private readonly log: Logger,
    private readonly clock: Clock = systemClock,
    network: NetworkOptions = {},
    timeouts: Partial<HttpTimeouts> = {},
  ) {
    const limits = { ...defaultTimeouts, ...timeouts }
    // Proxies and the trusted certificates (system store included) for every vendor request.
    this.network = new VendorNetwork(limits, { log, ...network })
    this.http = new HttpClient({ log, now: () => clock.now(), network: this.network, timeouts: limits })
  }

  get(connectionId: string): VendorAdapter {
    const connection = this.connections.get(connectionId)
    const key = JSON.stringify(connection)
    const hit = this.cache.get(connectionId)
    if (hit && hit.key === key) return hit.adapter
    const adapter = createAdapter(connection, {
      http: this.http,
      readCredentials: this.heldCredentials(connectionId),
      log: this.log,
      now: () => this.clock.now(),
    })
    this.cache.set(connectionId, { key, adapter })
    return adapter
  }

  /**
   * The connection's secrets, read from the keychain once per adapter and held in memory by it
   * (a keychain read is a D-Bus or XPC round trip: too slow for every request). New or deleted
   * credentials drop the adapter, and with it what it held. An empty or failed read is not held.
   */
  private heldCredentials(connectionId: string) {
    let held: Promise<Record<string, string>> | undefined
    return (id: string): Promise<Record<string, string>> => {
      if (id !== connectionId) return this.credentials.read(id)
      held ??= this.credentials.read(id).then(
        (values) => {
          if (Object.keys(values).length === 0) held = undefined
          return values
        },
        (err: unknown) => {
          held = undefined
          throw err
        },
      )
      return held
    }
  }

  /** New credentials: forget the adapter so cached sign-in tokens go with the old secrets. */
  forget(connectionId: string) {
    this.cache.delete(connectionId)
  }

  async check(connection: Connection): Promise<ConnectionCheck> {
    const checkedAt = this.clock.now().toISOString()
    try {
      const { detail } = await this.get(connection.id).testConnection()
      return { connectionId: connection.id, ok: true, detail, checkedAt }
    } catch (err) {
      if (err instanceof VendorError)
        return { connectionId: connection.id, ok: false, detail: err.message, checkedAt }
      if (err instanceof AppFailure) throw err
      this.log.error('connection check failed', { connectionId: connection.id, err })
      return {
        connectionId: connection.id,
        ok: false,
        detail: 'The check failed inside Frontdesk; see the log.',
        checkedAt,
      }
    }
  }

  async close() {
    await this.http.close()
  }
}
