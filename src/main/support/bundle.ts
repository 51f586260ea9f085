/**
 * The support bundle: what a clinic attaches to a ticket. It is built first as a list of text files
 * (the receptionist sees exactly what will leave: nothing from the encrypted database goes without
 * that), then written as one zip. Everything passes through the Redactor.
 */
import { randomUUID } from 'node:crypto'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { type Clock, systemClock } from '../../shared/clock'
import type { Connection } from '../../shared/model'
import type { Runtime } from '../app/runtime'
import { proxyPasswordAccount } from '../network/routes'
import type { OutboxError } from '../sync/outbox-repo'
import { vendorReason } from '../vendors/vendor-text'
import { Redactor } from './redact'
import { zip } from './zip'

export interface BundleFile {
  name: string
  text: string
}

export interface SupportBundleInput {
  app: { name: string; version: string; shell: string; platform: string }
  /** Every cached patient's given and family names, to redact them wherever they appear. */
  patientNames: () => string[]
  /** Outbox rows per connection and state. */
  outboxCounts: () => { id: string; state: string; n: number }[]
  /** Outbox rows that recorded an error, newest first. */
  outboxErrors: () => { id: string; kind: string; state: string; error: string; at: string }[]
  connections: () => Connection[]
  /** Each connection's state as the sync engine has it. */
  connectionState: (id: string) => {
    online: boolean
    since: string
    lastSuccessAt: string | null
    lastError: string | null
  }
  /** The connection's secrets (for redaction only; never written). */
  readSecrets: (id: string) => Promise<Record<string, string>>
  /** Further secrets to strip (proxy passwords). */
  extraSecrets?: () => Promise<string[]>
  logFiles: readonly string[]
  /** Extra facts for support: the trust store's counts, which settings are managed. */
  network?: unknown
  managed?: unknown
  maxLogLines?: number
  clock?: Clock
}

function tail(file: string, lines: number): string[] {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch {
    return []
  }
  return text.split('\n').filter(Boolean).slice(-lines)
}

/**
 * A queued change's stored error as support sees it: our message and the classified reason (kind,
 * HTTP status, vendor code), never the clinic system's own words, which stay in the encrypted store
 * as they do from the log and the queue panel: an error page may echo the request, a patient's
 * details and headers included. Parsed, so the redactor sees its keys too.
 */
function errorForSupport(stored: string): unknown {
  let e: unknown
  try {
    e = JSON.parse(stored)
  } catch {
    return stored
  }
  if (!e || typeof e !== 'object' || Array.isArray(e)) return stored
  const { kind, message, status, vendorCode } = e as OutboxError
  return {
    kind,
    message,
    ...(status !== undefined || vendorCode ? { reason: vendorReason({ kind, status, vendorCode }) } : {}),
  }
}

export async function buildSupportBundle(input: SupportBundleInput): Promise<BundleFile[]> {
  const clock = input.clock ?? systemClock
  const connections = input.connections()
  const secrets: string[] = []
  for (const c of connections) {
    try {
      secrets.push(...Object.values(await input.readSecrets(c.id)))
    } catch {
      // A keychain that does not answer leaves the patterns to do the work.
    }
  }
  secrets.push(...((await input.extraSecrets?.()) ?? []))
  const redactor = new Redactor({ secrets, names: input.patientNames() })

  const counts = input.outboxCounts()
  const errors = input.outboxErrors()

  const summary = {
    createdAt: clock.now().toISOString(),
    app: {
      product: input.app.name,
      version: input.app.version,
      shell: input.app.shell,
      platform: input.app.platform,
    },
    runtime: { node: process.versions.node, electron: process.versions.electron ?? null, arch: process.arch },
    connections: connections.map((c) => {
      const state = input.connectionState(c.id)
      const queue: Record<string, number> = {}
      for (const r of counts) if (r.id === c.id) queue[r.state] = r.n
      return {
        id: c.id,
        vendor: c.vendor,
        label: c.label,
        url: c.baseUrl,
        timeZone: c.timeZone,
        demo: c.demo,
        online: state.online,
        since: state.since,
        lastSuccessAt: state.lastSuccessAt,
        lastError: state.lastError,
        queue,
      }
    }),
    network: input.network ?? null,
    managed: input.managed ?? null,
  }
  const lastErrors: Record<string, { kind: string; state: string; error: unknown; at: string }[]> = {}
  for (const e of errors) {
    const list = (lastErrors[e.id] ??= [])
    if (list.length < 10)
      list.push({ kind: e.kind, state: e.state, error: errorForSupport(e.error), at: e.at })
  }
  const log = input.logFiles
    .flatMap((f) => tail(f, input.maxLogLines ?? 500))
    .slice(-(input.maxLogLines ?? 500))

  return [
    { name: 'summary.json', text: JSON.stringify(redactor.value(summary), null, 2) },
    { name: 'last-errors.json', text: JSON.stringify(redactor.value(lastErrors), null, 2) },
    { name: 'log.txt', text: log.map((l) => redactor.line(l)).join('\n') + (log.length ? '\n' : '') },
  ]
}

/** Writes the files the receptionist has seen as one zip. */
export function writeSupportBundle(
  files: readonly BundleFile[],
  path: string,
  clock: Clock = systemClock,
): void {
  writeFileSync(
    path,
    zip(
      files.map((f) => ({ name: f.name, data: f.text })),
      clock.now(),
    ),
  )
}

export type BundleSources = Pick<
  Runtime,
  'info' | 'cache' | 'outbox' | 'connections' | 'sync' | 'credentials' | 'secrets' | 'adapters' | 'managed'
>

/** The bundle's sources in a running app. */
export function bundleInputFor(
  rt: BundleSources,
  logFiles: readonly string[],
  clock: Clock = systemClock,
): SupportBundleInput {
  const trust = rt.adapters.network.trust
  return {
    app: rt.info,
    patientNames: () => rt.cache.allPatientNames().flatMap((n) => [n.given, n.family]),
    outboxCounts: () => rt.outbox.countsByState(),
    outboxErrors: () => rt.outbox.errors(),
    connections: () => rt.connections.list(),
    connectionState: (id) => rt.sync.state(id),
    readSecrets: (id) => rt.credentials.read(id),
    extraSecrets: async () => {
      const scopes = ['managed', ...rt.connections.list().map((c) => c.id)]
      const values = await Promise.all(
        scopes.map((s) => rt.secrets.get(proxyPasswordAccount(s)).catch(() => null)),
      )
      return values.filter((v): v is string => !!v)
    },
    logFiles,
    network: { trust: { counts: trust.counts, systemSource: trust.systemSource, problems: trust.problems } },
    managed: rt.managed,
    clock,
  }
}

/**
 * Settings → Help: `preview` builds the bundle and keeps it; `save` writes exactly what was
 * previewed (by its id), so what leaves is what the receptionist saw.
 */
export class SupportBundles {
  private last?: { id: string; files: BundleFile[] }

  constructor(
    private readonly input: () => SupportBundleInput,
    private readonly folder: string,
    private readonly clock: Clock = systemClock,
  ) {}

  async preview(): Promise<{ id: string; files: BundleFile[] }> {
    this.last = { id: randomUUID(), files: await buildSupportBundle(this.input()) }
    return this.last
  }

  /** The path written, or undefined when `id` is not the bundle last shown. */
  save(id: string): string | undefined {
    if (this.last?.id !== id) return undefined
    mkdirSync(this.folder, { recursive: true })
    const stamp = this.clock.now().toISOString().replace(/[:.]/g, '-')
    const path = join(this.folder, `frontdesk-support-${stamp}.zip`)
    writeSupportBundle(this.last.files, path, this.clock)
    this.last = undefined
    return path
  }
}
