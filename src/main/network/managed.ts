/**
 * Settings managed by clinic IT: one machine-wide JSON document that presets connections, the proxy,
 * an extra CA file, the update channel, in-app updates and the idle lock. Never credentials: those
 * are typed on each PC and go to that user's keychain, so a key that looks like one is refused.
 *
 * Where it is read (first found wins):
 *   Windows  registry policy HKLM\SOFTWARE\Policies\Frontdesk, value `Settings` (REG_SZ, the JSON)
 *            then %ProgramData%\Frontdesk\managed-settings.json
 *   macOS    /Library/Managed Preferences/health.frontdesk.app.plist (a configuration profile)
 *            then /Library/Application Support/Frontdesk/managed-settings.json
 *   Linux    /etc/frontdesk/managed-settings.json
 *   any      FRONTDESK_MANAGED_SETTINGS=<file> replaces the above (testing a file before rollout)
 */
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { IANAZone } from 'luxon'
import { z } from 'zod'
import { vendors } from '../../shared/model'
import { AppFailure } from '../../shared/result'
import type { ConnectionsRepo } from '../store/connections-repo'
import { proxySettingSchema, type ProxySetting } from './proxy'
import { buildTrustStore, type TrustStore } from './trust'

export const MACOS_PREFERENCES_DOMAIN = 'health.frontdesk.app'
export const WINDOWS_POLICY_KEY = 'HKLM\\SOFTWARE\\Policies\\Frontdesk'

const SECRET_KEY = /password|passwd|^pass$|token|secret|api.?key|credential|authori[sz]ation|private.?key/i

const managedConnectionSchema = z
  .object({
    id: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,40}$/, 'use lower-case letters, digits and dashes')
      .optional(),
    vendor: z.enum(vendors),
    label: z.string().trim().min(1).max(80),
    baseUrl: z.url({ protocol: /^https$/, message: 'must be a web address starting with https://' }),
    timeZone: z
      .string()
      .refine((zone) => IANAZone.isValidZone(zone), 'must be a time zone such as Europe/London'),
    locale: z
      .string()
      .regex(/^[a-z]{2}(-[A-Z]{2})?$/, 'must look like en-GB')
      .default('en-GB'),
    /** The vendor's non-secret settings (Hero practice group id, Healthie API version …). */
    options: z.record(z.string().regex(/^[a-zA-Z]{1,40}$/), z.string().max(500)).default({}),
  })
  .strict()

export const managedSettingsSchema = z
  .object({
    connections: z.array(managedConnectionSchema).max(50).optional(),
    proxy: proxySettingSchema.optional(),
    /** A PEM file of CA certificates to trust besides the system store (a TLS-inspecting network). */
    extraCaFile: z.string().trim().min(1).optional(),
    updateChannel: z.enum(['stable', 'beta']).optional(),
    inAppUpdates: z.boolean().optional(),
    idleLockMinutes: z.number().int().min(1).max(480).optional(),
  })
  .strict()
export type ManagedSettings = z.infer<typeof managedSettingsSchema>
export type ManagedConnection = z.infer<typeof managedConnectionSchema>

export interface ManagedLoad {
  settings: ManagedSettings
  /** Where they came from; undefined when nothing is managed on this machine. */
  source?: string
}

export class ManagedSettingsError extends Error {
  constructor(
    readonly source: string,
    readonly issues: string[],
  ) {
    super(
      `The settings managed by IT in ${source} are not valid: ${issues.join('; ')}. Frontdesk needs IT to correct them.`,
    )
    this.name = 'ManagedSettingsError'
  }
}

function secretPaths(value: unknown, path: string[] = []): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => secretPaths(v, [...path, String(i)]))
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) =>
      SECRET_KEY.test(k) ? [[...path, k].join('.')] : secretPaths(v, [...path, k]),
    )
  return []
}

/** The settings in a JSON text, or a ManagedSettingsError naming each problem and where it is. */
export function parseManagedSettings(text: string, source: string): ManagedSettings {
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch (err) {
    throw new ManagedSettingsError(source, [`not JSON (${(err as Error).message})`])
  }
  const secrets = secretPaths(raw)
  if (secrets.length)
    throw new ManagedSettingsError(
      source,
      secrets.map(
        (p) =>
          `${p}: credentials are never read from managed settings; enter them on each PC (they go to its keychain)`,
      ),
    )
  const parsed = managedSettingsSchema.safeParse(raw)
  if (!parsed.success)
    throw new ManagedSettingsError(
      source,
      parsed.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(top level)'}: ${i.message}`),
    )
  const ids = (parsed.data.connections ?? []).map(managedConnectionId)
  const twice = ids.filter((id, i) => ids.indexOf(id) !== i)
  if (twice.length)
    throw new ManagedSettingsError(source, [`connections: the id "${twice[0]}" is used twice`])
  return parsed.data
}

/** A preset connection's id: its own, or one made from vendor and label (stable across starts). */
export function managedConnectionId(c: Pick<ManagedConnection, 'id' | 'vendor' | 'label'>): string {
  if (c.id) return c.id
  const slug = c.label
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 24)
  return `managed-${c.vendor}-${slug || 'clinic'}`
}

export interface LoadOptions {
  platform?: NodeJS.Platform
  env?: Record<string, string | undefined>
  readFile?: (path: string) => string
  /** Runs `reg` / `plutil`; returns stdout, throws when the key or file is not there. */
  exec?: (cmd: string, args: string[]) => string
}

const defaultExec = (cmd: string, args: string[]) =>
  execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5_000 })

/** The machine-wide file's path on this platform. */
export function managedSettingsPath(
  platform: NodeJS.Platform = process.platform,
  env: Record<string, string | undefined> = process.env,
): string {
  if (env.FRONTDESK_MANAGED_SETTINGS) return env.FRONTDESK_MANAGED_SETTINGS
  if (platform === 'win32')
    return join(env.ProgramData ?? 'C:\\ProgramData', 'Frontdesk', 'managed-settings.json')
  if (platform === 'darwin') return '/Library/Application Support/Frontdesk/managed-settings.json'
  return '/etc/frontdesk/managed-settings.json'
}

/** `reg query` output → the JSON in the `Settings` value. */
export function registrySettingsValue(output: string): string | undefined {
  return /^\s*Settings\s+REG_(?:EXPAND_)?SZ\s+(.*)$/m.exec(output)?.[1]?.trim()
}

export function loadManagedSettings(opts: LoadOptions = {}): ManagedLoad {
  const platform = opts.platform ?? process.platform
  const env = opts.env ?? process.env
  const read = opts.readFile ?? ((p: string) => readFileSync(p, 'utf8'))
  const exec = opts.exec ?? defaultExec

  if (!env.FRONTDESK_MANAGED_SETTINGS) {
    if (platform === 'win32') {
      let value: string | undefined
      try {
        value = registrySettingsValue(exec('reg', ['query', WINDOWS_POLICY_KEY, '/v', 'Settings']))
      } catch {
        // No policy key: look for the file.
      }
      const source = `${WINDOWS_POLICY_KEY}\\Settings`
      if (value) return { settings: parseManagedSettings(value, source), source }
    }
    if (platform === 'darwin') {
      const plist = `/Library/Managed Preferences/${MACOS_PREFERENCES_DOMAIN}.plist`
      let json: string | undefined
      try {
        json = exec('plutil', ['-convert', 'json', '-o', '-', plist])
      } catch {
        // No configuration profile: look for the file.
      }
      if (json) {
        // A profile payload carries PayloadType and friends next to our keys.
        const { settings, source } = fromProfile(json, plist)
        return { settings, source }
      }
    }
  }
  const file = managedSettingsPath(platform, env)
  let text: string
  try {
    text = read(file)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { settings: {} }
    throw new ManagedSettingsError(file, [`cannot be read (${(err as Error).message})`])
  }
  return { settings: parseManagedSettings(text, file), source: file }
}

function fromProfile(json: string, source: string): ManagedLoad {
  let raw: Record<string, unknown>
  try {
    raw = JSON.parse(json) as Record<string, unknown>
  } catch {
    throw new ManagedSettingsError(source, ['not readable as a property list'])
  }
  const ours = Object.fromEntries(Object.entries(raw).filter(([k]) => !k.startsWith('Payload')))
  return { settings: parseManagedSettings(JSON.stringify(ours), source), source }
}

/** Which values IT has set, for the services and the settings screen to show as managed. */
export interface ManagedView {
  source: string | null
  connectionIds: string[]
  proxy: boolean
  proxyUsername: string | null
  extraCaFile: boolean
  updateChannel: NonNullable<ManagedSettings['updateChannel']> | null
  inAppUpdates: boolean | null
  idleLockMinutes: number | null
}

export function managedView(load: ManagedLoad): ManagedView {
  const s = load.settings
  return {
    source: load.source ?? null,
    connectionIds: (s.connections ?? []).map(managedConnectionId),
    proxy: s.proxy !== undefined,
    proxyUsername: s.proxy?.mode === 'fixed' ? (s.proxy.username ?? null) : null,
    extraCaFile: s.extraCaFile !== undefined,
    updateChannel: s.updateChannel ?? null,
    inAppUpdates: s.inAppUpdates ?? null,
    idleLockMinutes: s.idleLockMinutes ?? null,
  }
}

/** What managed settings change in the vendor network: the proxy and the extra CA file. */
export function managedNetwork(load: ManagedLoad): { managedProxy?: ProxySetting; trust: TrustStore } {
  const s = load.settings
  return {
    ...(s.proxy ? { managedProxy: s.proxy } : {}),
    trust: buildTrustStore(s.extraCaFile ? { extraCaFile: s.extraCaFile } : {}),
  }
}

/** Writes the preset connections over whatever this PC had for them (IT's values win every start). */
export function applyManagedConnections(load: ManagedLoad, connections: ConnectionsRepo): void {
  for (const c of load.settings.connections ?? []) {
    connections.upsert({
      id: managedConnectionId(c),
      vendor: c.vendor,
      label: c.label,
      baseUrl: c.baseUrl,
      timeZone: c.timeZone,
      locale: c.locale,
      options: c.options,
      demo: false,
    })
  }
}

/** A preset connection cannot be edited or removed on the PC. */
export function refuseManagedChange(
  view: ManagedView,
  connectionId: string | undefined,
  action: string,
): void {
  if (connectionId && view.connectionIds.includes(connectionId))
    throw new AppFailure(
      'invalid-input',
      `This connection is set by your IT department (managed settings), so it cannot be ${action} here. Ask IT to change it.`,
      'id',
    )
}

/** What managed settings say about in-app updates: whether they run, and on which feed channel. */
export function managedUpdates(view: Pick<ManagedView, 'inAppUpdates' | 'updateChannel' | 'source'>): {
  enabled: boolean
  /** electron-updater's channel: `latest` is the stable feed. */
  channel: 'latest' | 'beta'
  reason?: string
} {
  const channel = view.updateChannel === 'beta' ? 'beta' : 'latest'
  if (view.inAppUpdates === false)
    return {
      enabled: false,
      channel,
      reason: `in-app updates turned off by IT (${view.source ?? 'managed settings'})`,
    }
  return { enabled: true, channel }
}
