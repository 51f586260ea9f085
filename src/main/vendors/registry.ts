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
  return factory.create({
    connection,
    http: env.http.forConnection(connection, factory.rateLimit(connection)),
    credentials: () => env.readCredentials(connection.id),
    log: env.log,
    ...(env.now ? { now: env.now } : {}),
  })
}
