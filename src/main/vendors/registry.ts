/**
 * Vendor → adapter factory. Adding a vendor is one folder implementing `AdapterFactory` and one
 * line here.
 */
import type { Connection, Vendor } from '../../shared/model'
import type { Logger } from '../log/logger'
import type { HttpClient } from './http/client'
import { healthieFactory } from './healthie'
import { heimFactory } from './heim'
import { heroFactory } from './hero'
import { sembleFactory } from './semble'
import type { AdapterFactory, VendorAdapter } from './types'
import { VendorError } from './errors'
import { vendorAddressProblem } from './known-hosts'

export const adapterFactories: Record<Vendor, AdapterFactory> = {
  semble: sembleFactory,
  healthie: healthieFactory,
  hero: heroFactory,
  heim: heimFactory,
}

export interface AdapterEnvironment {
  /** The app-wide client: its limiters are shared by every adapter on the same connection. */
  http: HttpClient
  /** The main process's keychain reader (CredentialsService.read). */
  readCredentials: (connectionId: string) => Promise<Record<string, string>>
  log: Logger
  now?: () => Date
}

export function createAdapter(connection: Connection, env: AdapterEnvironment): VendorAdapter {
  const factory = adapterFactories[connection.vendor]
  // Outside the vendor's known hosts, no credentials: every request needs them first.
  const problem = vendorAddressProblem(connection)
  return factory.create({
    connection,
    http: env.http.forConnection(connection, factory.rateLimit(connection)),
    credentials: problem
      ? () =>
          Promise.reject(
            new VendorError('auth', problem, { vendor: connection.vendor, operation: 'credentials' }),
          )
      : () => env.readCredentials(connection.id),
    log: env.log,
    ...(env.now ? { now: env.now } : {}),
  })
}
