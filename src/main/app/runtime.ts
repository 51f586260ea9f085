/**
 * The composition root shared by both shells (Electron main and the browser host): it opens the
 * keychain and the encrypted store, builds the services and the router. No Electron imports here.
 */
import { join } from 'node:path'
import type { AppHealth, AppInfo } from '../../shared/contract'
import { createRouter, type Dispatch, type Handlers } from '../ipc/router'
import type { Logger } from '../log/logger'
import {
  KeychainSecretStore,
  probeKeychain,
  SessionMemorySecretStore,
  type SecretStore,
} from '../secrets/secret-store'
import { databaseKey, openDatabase, type Db } from '../store/database'
import { latestSchemaVersion } from '../store/migrations'
import { ConnectionsRepo } from '../services/connections'
import { CredentialsService } from '../services/credentials'
import type { Sandbox } from '../../sandbox'
import { AdapterHub } from './adapters'
import { startDemoClinic } from './demo'
import { EventBus } from './event-bus'
import { ephemeralDataDir } from './paths'

export interface RuntimeOptions {
  shell: AppInfo['shell']
  version: string
  /** The profile's folder; the database lives inside it. */
  dataDir: string
  /** `demo` runs the built-in demo clinic; `clinic` is real patient data. */
  profile: 'demo' | 'clinic'
  log: Logger
  /** Keychain service name; only tests change it. */
  keychainService?: string
  /** Demo profile only: how many patients the simulated clinic has (default 2000). */
  demoPatients?: number
}

export interface Runtime {
  info: AppInfo
  db: Db
  secrets: SecretStore
  bus: EventBus
  connections: ConnectionsRepo
  credentials: CredentialsService
  adapters: AdapterHub
  /** The in-process vendor simulators, for the demo profile only. */
  sandbox?: Sandbox
  dispatch: Dispatch
  dataDir: string
  health(): AppHealth
  close(): Promise<void>
}

export class NoKeychainError extends Error {
  constructor(reason: string) {
    super(
      `Frontdesk needs the system keychain to protect real patient data, and it is not available here (${reason}). The demo clinic still runs without one.`,
    )
    this.name = 'NoKeychainError'
  }
}

export async function createRuntime(opts: RuntimeOptions): Promise<Runtime> {
  const { log } = opts
  const probe = await probeKeychain(opts.keychainService)
  let secrets: SecretStore
  let dataDir = opts.dataDir
  let keychainDetail: string
  if (probe.ok) {
    secrets = new KeychainSecretStore(opts.keychainService)
    keychainDetail = 'System keychain in use'
  } else if (opts.profile === 'demo') {
    // docs/architecture.md §8: the demo keeps its key in memory and its data in a temporary folder.
    secrets = new SessionMemorySecretStore()
    dataDir = ephemeralDataDir()
    keychainDetail =
      'No system keychain on this computer: the demo clinic keeps its data for this session only'
    log.info('keychain unavailable; demo runs on session memory', { reason: probe.reason })
  } else {
    throw new NoKeychainError(probe.reason)
  }

  const file = join(dataDir, `${opts.profile}.db`)
  const key = await databaseKey(secrets, opts.profile, file)
  const db = openDatabase({ file, key })
  const bus = new EventBus()
  const connections = new ConnectionsRepo(db)
  // New credentials drop the connection's adapter (and any sign-in token it cached).
  const credentials = new CredentialsService(secrets, connections, (id) => adapters.forget(id))
  const adapters = new AdapterHub(connections, credentials, log)
  const sandbox =
    opts.profile === 'demo'
      ? await startDemoClinic(
          connections,
          credentials,
          opts.demoPatients ? { patients: opts.demoPatients } : {},
        )
      : undefined

  const info: AppInfo = {
    name: 'Frontdesk',
    version: opts.version,
    shell: opts.shell,
    platform: process.platform,
    demo: opts.profile === 'demo',
  }
  const health = (): AppHealth => {
    const schemaVersion = db.pragma('user_version', { simple: true }) as number
    return {
      store: {
        ok: schemaVersion === latestSchemaVersion(),
        detail: `Encrypted local database, schema ${schemaVersion}`,
        schemaVersion,
        encrypted: true,
      },
      keychain: { ok: secrets.backend === 'os-keychain', detail: keychainDetail, backend: secrets.backend },
    }
  }

  const handlers: Handlers = {
    'app.info': () => info,
    'app.health': () => health(),
    'connections.list': () => connections.list(),
    'credentials.status': ({ connectionId }) => credentials.status(connectionId),
    'credentials.set': ({ connectionId, fields }) => credentials.set(connectionId, fields),
    'credentials.delete': ({ connectionId }) => credentials.delete(connectionId),
    'credentials.test': ({ connectionId }) => adapters.check(connections.get(connectionId)),
  }

  log.info('runtime ready', { shell: opts.shell, profile: opts.profile, dataDir, keychain: secrets.backend })
  return {
    info,
    db,
    secrets,
    bus,
    connections,
    credentials,
    adapters,
    ...(sandbox ? { sandbox } : {}),
    dispatch: createRouter(handlers, log),
    dataDir,
    health,
    close: async () => {
      await adapters.close()
      await sandbox?.close()
      db.close()
    },
  }
}
