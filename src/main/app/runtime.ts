/**
 * The composition root shared by both shells (Electron main and the browser host): it opens the
 * keychain and the encrypted store, builds the services and the router. No Electron imports here.
 */
import { join } from 'node:path'
import { type Clock, systemClock } from '../../shared/clock'
import type { AppHealth, AppInfo } from '../../shared/contract'
import { createRouter, type Dispatch, type Handlers } from '../ipc/router'
import type { Logger } from '../log/logger'
import {
  KeychainSecretStore,
  probeKeychain,
  SessionMemorySecretStore,
  type SecretStore,
} from '../secrets/secret-store'
import { BackgroundWriter } from '../store/background-writer'
import { Checkpoints } from '../store/checkpoints'
import { databaseKey, openDatabase, openReadConnection, writeGate, type Db } from '../store/database'
import { PATIENT_UPSERT_SQL } from '../search'
import { acquireProfileLock } from '../store/profile-lock'
import { latestSchemaVersion } from '../store/migrations'
import { AuditRepo } from '../store/audit-repo'
import { ConnectionsRepo } from '../store/connections-repo'
import { SettingsRepo } from '../store/settings-repo'
import { StaffRepo } from '../store/staff-repo'
import { DeskService } from '../desk/desk'
import { CredentialsService } from '../services/credentials'
import type { Sandbox } from '../../sandbox'
import { AdapterHub } from './adapters'
import { AppFailure } from '../../shared/result'
import { memberKey } from '../../shared/practitioner-links'
import { typeColourKey } from '../../shared/type-colours'
import { bundleInputFor, SupportBundles } from '../support/bundle'
import type { NetworkOptions } from '../network/routes'
import type { HttpTimeouts } from '../vendors/http/client'
import {
  applyManagedConnections,
  loadManagedSettings,
  managedNetwork,
  managedView,
  refuseManagedChange,
  type ManagedLoad,
  type ManagedView,
} from '../network/managed'
import { EventBus } from './event-bus'
import { CacheRepo } from '../cache/cache-repo'
import { DayReadRepo } from '../cache/day-read-repo'
import { OutboxRepo } from '../sync/outbox-repo'
import { RefreshService, type RefreshOptions } from '../sync/refresh'
import { SyncEngine, type SyncEngineOptions } from '../sync/sync-engine'
import { AppointmentsService } from '../services/appointments'
import { DayBookService } from '../services/day-book'
import { PatientsService } from '../services/patients'
import { QueueService } from '../services/queue'
import { ReferenceService } from '../services/reference'
import { SlotCache } from '../slots/slot-cache'
import { SlotCacheRepo } from '../store/slot-cache-repo'
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
  /** Sync timing; tests shorten it. */
  sync?: SyncEngineOptions
  /** Start draining queued changes at once (default true). */
  startSync?: boolean
  /** Keep the cache current in the background (default true; focused tests turn it off). */
  backgroundRefresh?: boolean | RefreshOptions
  /** Proxies and trusted certificates for vendor requests (src/main/network). */
  network?: NetworkOptions
  /** How long a vendor may take to connect and answer (default `defaultTimeouts`; tests shorten it). */
  httpTimeouts?: Partial<HttpTimeouts>
  /** Settings managed by IT; read from this machine's managed settings when not given. */
  managed?: ManagedLoad
  /** The log file, whose recent lines go (redacted) into the support bundle. */
  logFile?: string
  /** Where support bundles are saved (default: `support/` in the profile's folder). */
  supportDir?: string
  /**
   * "Now" for every service, the sync worker, the background refresh and the demo clinic's
   * simulators (default: the system clock). The demo's `--now` and the tests pin it.
   */
  clock?: Clock
}

export interface Runtime {
  info: Omit<AppInfo, 'now'>
  /** Which values IT presets on this machine (shown as managed, not editable). */
  managed: ManagedView
  db: Db
  secrets: SecretStore
  bus: EventBus
  connections: ConnectionsRepo
  credentials: CredentialsService
  adapters: AdapterHub
  cache: CacheRepo
  outbox: OutboxRepo
  sync: SyncEngine
  appointments: AppointmentsService
  patients: PatientsService
  refresh: RefreshService
  /** Who is at the desk: the staff list, the lock and the name changes are recorded under. */
  desk: DeskService
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
  const clock = opts.clock ?? systemClock
  const now = () => clock.now()
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
  // One process per profile, for as long as it runs: a second opener is refused, naming the first.
  const profileLock = acquireProfileLock({ dataDir, profile: opts.profile, shell: opts.shell })
  let db: Db
  let patientWriter: BackgroundWriter
  let dayReader: DayReadRepo
  try {
    const key = await databaseKey(secrets, opts.profile, file)
    db = openDatabase({ file, key })
    // Days are read on a connection of their own, in short turns (cache/day-read-repo.ts).
    try {
      dayReader = new DayReadRepo(openReadConnection({ file, key }))
    } catch (err) {
      db.close()
      throw err
    }
    // The background refresh writes the patient list from its own thread and connection (started on first use).
    patientWriter = new BackgroundWriter({ file, key, sql: PATIENT_UPSERT_SQL, gate: writeGate(db) })
  } catch (err) {
    profileLock.release()
    throw err
  }
  // The main connection's WAL checkpoints run in the writer's thread.
  const checkpoints = new Checkpoints(db, file, patientWriter, log)
  checkpoints.start()
  const bus = new EventBus()
  const connections = new ConnectionsRepo(db, clock)
  const cache = new CacheRepo(db, now)
  const outbox = new OutboxRepo(db, now)
  const settings = new SettingsRepo(db)
  const audit = new AuditRepo(db)
  const desk = new DeskService(new StaffRepo(db), clock, bus, () => settings.staffName())
  // Every change is recorded under whoever is at the desk (the typed name while nobody is listed).
  const staffName = () => desk.actorName()
  /**
   * A setting, a credential, the staff list or the desk lock changed: in the audit log under the
   * person who did it (`who`, else whoever is at the desk), with what changed in words, never a
   * secret's value or a PIN.
   */
  const settingChanged = (
    action: string,
    e: { connectionId?: string; detail?: string; who?: string; outcome?: string } = {},
  ) =>
    outbox.audit({
      actor: e.who ?? staffName(),
      ...(e.connectionId ? { connectionId: e.connectionId } : {}),
      entity: 'settings',
      action,
      outcome: e.outcome ?? 'done',
      ...(e.detail ? { detail: e.detail } : {}),
    })
  const staffNameOf = (staffId: string) => desk.state().staff.find((s) => s.id === staffId)?.name
  // New credentials drop the connection's adapter (and any sign-in token it cached) and restart sending.
  const credentials = new CredentialsService(secrets, connections, (id) => {
    adapters.forget(id)
    void sync.credentialsChanged(id)
  })
  const managed = opts.managed ?? loadManagedSettings()
  const managedInfo = managedView(managed)
  if (opts.profile === 'clinic') applyManagedConnections(managed, connections)
  const adapters = new AdapterHub(
    connections,
    credentials,
    log,
    clock,
    { secrets, ...managedNetwork(managed), ...opts.network },
    opts.httpTimeouts,
  )
  const adapterFor = (connectionId: string) => adapters.get(connectionId)
  const sync = new SyncEngine(db, connections, outbox, cache, adapterFor, bus, log, { clock, ...opts.sync })
  const appointments = new AppointmentsService(
    connections,
    cache,
    outbox,
    sync,
    adapterFor,
    staffName,
    log,
    clock,
  )
  const patients = new PatientsService(connections, cache, outbox, sync, adapterFor, staffName, (r) =>
    appointments.view(r),
  )
  // Free slots in the copy; the background fill steps aside while changes wait to be sent.
  const slotCache = new SlotCache(new SlotCacheRepo(db), clock, (id) => outbox.counts(id).pending > 0)
  const reference = new ReferenceService(connections, cache, sync, adapterFor, log, slotCache, bus, clock)
  const queue = new QueueService(connections, outbox, sync, staffName)
  const dayBook = new DayBookService(connections, cache, dayReader, appointments, sync, adapterFor, log)
  const refresh = new RefreshService(db, connections, cache, adapterFor, sync, bus, log, {
    now,
    slotCache,
    writer: patientWriter,
    ...(typeof opts.backgroundRefresh === 'object' ? opts.backgroundRefresh : {}),
  })
  // The demo clinic and its simulators load only when the demo runs: a clinic's build never runs them.
  const sandbox =
    opts.profile === 'demo'
      ? await (
          await import('./demo')
        ).startDemoClinic(connections, credentials, {
          clock,
          ...(opts.demoPatients ? { patients: opts.demoPatients } : {}),
        })
      : undefined

  const info: Omit<AppInfo, 'now'> = {
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

  const support = new SupportBundles(
    () =>
      bundleInputFor(
        { info, cache, outbox, connections, sync, credentials, secrets, adapters, managed: managedInfo },
        opts.logFile ? [opts.logFile] : [],
      ),
    opts.supportDir ?? join(dataDir, 'support'),
  )

  const handlers: Handlers = {
    'app.info': () => ({ ...info, now: clock.now().toISOString() }),
    'app.health': () => health(),
    'connections.list': () => connections.list(),
    'credentials.status': ({ connectionId }) => credentials.status(connectionId),
    'credentials.set': async ({ connectionId, fields }) => {
      const answer = await credentials.set(connectionId, fields)
      settingChanged('setCredentials', { connectionId, detail: `saved: ${Object.keys(fields).join(', ')}` })
      return answer
    },
    'credentials.delete': async ({ connectionId }) => {
      const answer = await credentials.delete(connectionId)
      settingChanged('deleteCredentials', { connectionId })
      return answer
    },
    'credentials.test': async ({ connectionId }) => {
      const check = await adapters.check(connections.get(connectionId))
      if (check.ok) sync.setOnline(connectionId, true)
      return check
    },
    'connections.status': () => connections.list().map((c) => sync.status(c.id)),
    'patients.search': (input) => patients.search(input),
    'patients.get': ({ patientId }) => patients.get(patientId),
    'patients.duplicates': ({ connectionId, ...p }) => patients.likelyDuplicates(connectionId, p),
    'patients.create': (input) => patients.create(input),
    'patients.update': (input) => patients.update(input),
    'patients.trace': (input) => patients.trace(input),
    'patients.appointments': ({ patientId }) => patients.appointments(patientId),
    'reference.get': ({ connectionId }) => reference.get(connectionId),
    'slots.find': (input) => reference.findSlots(input),
    'appointments.warnings': (input) => reference.warnings(input),
    'connections.save': (input) => {
      refuseManagedChange(managedInfo, input.id, 'changed')
      const saved = connections.save(input)
      adapters.forget(saved.id)
      settingChanged('saveConnection', { connectionId: saved.id, detail: `${saved.label} (${saved.vendor})` })
      return saved
    },
    'connections.remove': async ({ connectionId }) => {
      refuseManagedChange(managedInfo, connectionId, 'removed')
      connections.remove(connectionId)
      await credentials.forgetAll(connectionId)
      adapters.forget(connectionId)
      settingChanged('removeConnection', { connectionId })
      return { removed: connectionId }
    },
    'appointments.day': (input) => dayBook.day(input),
    'appointments.get': ({ appointmentId }) => appointments.get(appointmentId),
    'appointments.checkTime': (input) => appointments.checkTime(input),
    'appointments.book': (input) => appointments.book(input),
    'appointments.reschedule': (input) => appointments.reschedule(input),
    'appointments.rebook': (input) => appointments.rebook(input),
    'appointments.cancel': (input) => appointments.cancel(input),
    'appointments.markArrived': (input) => appointments.markArrived(input),
    'appointments.markNoShow': (input) => appointments.markNoShow(input),
    'appointments.undoStatus': (input) => appointments.undoStatus(input),
    'appointments.updateNote': (input) => appointments.updateNote(input),
    'queue.list': (input) => queue.list(input),
    'queue.retry': (input) => queue.retry(input),
    'queue.discard': (input) => queue.discard(input),
    'queue.sendNow': (input) => queue.sendNow(input),
    'audit.list': ({ limit }) => audit.latest(limit ?? 200),
    'settings.get': () => ({
      staffName: desk.locked() ? '' : staffName(),
      typeColours: settings.typeColours(),
      practitionerLinks: settings.practitionerLinks(),
    }),
    'settings.setPractitionerLinks': ({ links }) => {
      // Checked here, not only in settings: each member is a practitioner Frontdesk has read from
      // that clinic system, and nobody is in two links (one lane cannot be two people's).
      const seen = new Set<string>()
      for (const link of links)
        for (const m of link.members) {
          if (!connections.list().some((c) => c.id === m.connectionId))
            throw new AppFailure('not-found', 'That clinic system is no longer set up.', 'links')
          const known = cache.practitionerNames(m.connectionId)
          if (!known.some((p) => p.ref === m.practitionerRef))
            throw new AppFailure(
              'not-found',
              `That practitioner is not in ${connections.get(m.connectionId).label} (as Frontdesk last read it).`,
              'links',
            )
          const key = memberKey(m)
          if (seen.has(key))
            throw new AppFailure('invalid-input', 'A practitioner can be in one link only.', 'links')
          seen.add(key)
        }
      const saved = settings.setPractitionerLinks(links)
      settingChanged('setPractitionerLinks', {
        detail: `${links.length} link${links.length === 1 ? '' : 's'}`,
      })
      return { practitionerLinks: saved }
    },
    'settings.setTypeColour': ({ connectionId, typeRef, colour }) => {
      if (!connections.list().some((c) => c.id === connectionId))
        throw new AppFailure('not-found', 'That clinic system is no longer set up.', 'connectionId')
      const typeColours = settings.setTypeColour(typeColourKey(connectionId, typeRef), colour)
      settingChanged('setTypeColour', { connectionId, detail: `${typeRef}: ${colour ?? 'default'}` })
      return { typeColours }
    },
    'settings.managed': () => managedInfo,
    'support.preview': () => support.preview(),
    'proxy.setPassword': async ({ scope, password }) => {
      const needs =
        scope === 'managed'
          ? managedInfo.proxyUsername !== null
          : !!connections.list().find((c) => c.id === scope)?.options.proxyUsername
      if (!needs)
        throw new AppFailure(
          'invalid-input',
          'That proxy has no user name, so it takes no password.',
          'scope',
        )
      await adapters.network.setProxyPassword(scope, password)
      settingChanged('setProxyPassword', scope === 'managed' ? {} : { connectionId: scope })
      return { scope }
    },
    'support.save': ({ id: bundleId }) => {
      const path = support.save(bundleId)
      if (!path)
        throw new AppFailure(
          'conflict',
          'Show the support bundle again before saving it, so you see what will be in it.',
        )
      return { path }
    },
    'settings.setStaffName': ({ staffName: name }) => {
      if (desk.state().staff.length > 0)
        throw new AppFailure(
          'conflict',
          'Names come from the staff list now: switch person to record changes under another name.',
          'staffName',
        )
      settings.setStaffName(name)
      settingChanged('setStaffName', { detail: name, who: name })
      return { staffName: name }
    },
    'desk.state': () => desk.state(),
    'desk.unlock': ({ staffId, pin }) => {
      try {
        const state = desk.unlock(staffId, pin)
        settingChanged('unlock')
        return state
      } catch (err) {
        // A wrong PIN is worth knowing about on a shared PC: under the name it was tried for.
        const who = staffNameOf(staffId)
        if (who) settingChanged('unlock', { who, outcome: 'refused' })
        throw err
      }
    },
    'desk.lock': () => {
      if (!desk.locked() && desk.state().staff.length > 0) settingChanged('lock')
      return desk.lock()
    },
    'desk.activity': () => desk.activity(),
    'desk.setIdleLock': ({ minutes }) => {
      const state = desk.setIdleLock(minutes)
      settingChanged('setIdleLock', { detail: `${minutes} min` })
      return state
    },
    'staff.add': ({ name, pin }) => {
      const state = desk.add(name, pin)
      settingChanged('addStaff', { detail: name.trim() })
      return state
    },
    'staff.remove': ({ staffId }) => {
      const name = staffNameOf(staffId)
      // Read before: removing oneself (the last person listed) leaves nobody at the desk.
      const who = staffName()
      const state = desk.remove(staffId)
      settingChanged('removeStaff', { who, ...(name ? { detail: name } : {}) })
      return state
    },
  }
  desk.start()
  if (opts.startSync !== false) sync.start()
  if (opts.backgroundRefresh !== false) refresh.start()

  log.info('runtime ready', { shell: opts.shell, profile: opts.profile, dataDir, keychain: secrets.backend })
  return {
    info,
    db,
    secrets,
    bus,
    connections,
    credentials,
    adapters,
    cache,
    outbox,
    sync,
    appointments,
    patients,
    refresh,
    ...(sandbox ? { sandbox } : {}),
    desk,
    dispatch: createRouter(handlers, log, (method) => desk.guard(method)),
    dataDir,
    managed: managedInfo,
    health,
    close: async () => {
      desk.stop()
      await refresh.stop()
      await checkpoints.stop()
      await patientWriter.close()
      await sync.stop()
      await adapters.close()
      await sandbox?.close()
      await dayReader.close()
      db.close()
      profileLock.release()
    },
  }
}
