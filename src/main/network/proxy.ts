/**
 * Which proxy a vendor request takes, in order: one set for the connection or in managed settings;
 * the operating system's answer for that URL (desktop: Electron's `session.resolveProxy`, which
 * covers PAC files, WPAD and Windows policy); `HTTPS_PROXY` / `HTTP_PROXY` / `NO_PROXY` (browser
 * host, tests); then direct.
 *
 * Proxy sign-in: Basic only, with the password in the keychain. NTLM and Kerberos (Windows
 * "integrated" sign-in) are not supported: undici cannot answer those challenges.
 */
import { z } from 'zod'

/** A proxy address as IT writes it: `http://proxy.example.nhs.uk:8080` (no password in it). */
export const proxyUrlSchema = z
  .string()
  .trim()
  .refine((s) => {
    try {
      const u = new URL(s)
      return (u.protocol === 'http:' || u.protocol === 'https:') && !u.password && u.pathname === '/'
    } catch {
      return false
    }
  }, 'must be an address like http://proxy.example.nhs.uk:8080, with no password in it')

export const proxySettingSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('direct') }).strict(),
  z.object({ mode: z.literal('system') }).strict(),
  z
    .object({
      mode: z.literal('fixed'),
      url: proxyUrlSchema,
      /** Basic sign-in; the password lives in the keychain, never here. */
      username: z.string().trim().min(1).max(200).optional(),
      /** Hosts that skip the proxy: `example.org`, `.example.org`, `*.example.org`, `host:port`. */
      bypass: z.array(z.string().trim().min(1)).max(200).optional(),
    })
    .strict(),
])
export type ProxySetting = z.infer<typeof proxySettingSchema>

export type ProxyChoice =
  | { kind: 'direct'; source: ProxySource }
  | { kind: 'proxy'; url: string; username?: string; source: ProxySource }
export type ProxySource = 'connection' | 'managed' | 'system' | 'environment' | 'default'

/** Asks the operating system (Electron's session) which proxy a URL takes; answers in PAC form. */
export type SystemProxyResolver = (url: string) => Promise<string>

/**
 * The first usable entry of a PAC-style answer ("PROXY a:8080; HTTPS b:443; DIRECT").
 * SOCKS entries are skipped (not supported); an answer with nothing usable means direct.
 */
export function parsePacResult(answer: string): { kind: 'direct' } | { kind: 'proxy'; url: string } {
  for (const raw of answer.split(';')) {
    const [type, hostPort] = raw.trim().split(/\s+/, 2)
    const t = (type ?? '').toUpperCase()
    if (t === 'DIRECT') return { kind: 'direct' }
    if ((t === 'PROXY' || t === 'HTTP' || t === 'HTTPS') && hostPort) {
      const scheme = t === 'HTTPS' ? 'https' : 'http'
      try {
        const url = new URL(`${scheme}://${hostPort}`)
        return { kind: 'proxy', url: url.origin }
      } catch {
        continue
      }
    }
  }
  return { kind: 'direct' }
}

/** `NO_PROXY`-style match: exact host, a domain suffix (`.x.org`, `*.x.org`), `host:port`, or `*`. */
export function bypasses(target: URL, entries: readonly string[]): boolean {
  const host = target.hostname.toLowerCase().replace(/^\[|\]$/g, '')
  const port = target.port || (target.protocol === 'https:' ? '443' : '80')
  for (const raw of entries) {
    const entry = raw.trim().toLowerCase()
    if (!entry) continue
    if (entry === '*') return true
    const m = /^(.*?)(?::(\d+))?$/.exec(entry)
    const name = (m?.[1] ?? entry).replace(/^\*/, '').replace(/^\[|\]$/g, '')
    if (m?.[2] && m[2] !== port) continue
    if (name.startsWith('.') ? host.endsWith(name) || host === name.slice(1) : host === name) return true
  }
  return false
}

/** A `Proxy-Authorization` value for Basic sign-in. */
export function basicToken(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`
}

export interface ProxyPolicyInput {
  /** Set on the connection (its options `proxyUrl`, `proxyUsername`); wins over everything. */
  connection?: ProxySetting
  /** From managed settings. */
  managed?: ProxySetting
  /** The desktop app's resolver; absent in the browser host. */
  system?: SystemProxyResolver
}

/**
 * The proxy for one URL by the rules above, or `undefined` when the environment decides (no
 * resolver and nothing set: undici's EnvHttpProxyAgent reads HTTPS_PROXY / NO_PROXY itself).
 */
export async function chooseProxy(target: URL, input: ProxyPolicyInput): Promise<ProxyChoice | undefined> {
  for (const source of ['connection', 'managed'] as const) {
    const setting = input[source]
    if (!setting) continue
    if (setting.mode === 'direct') return { kind: 'direct', source }
    if (setting.mode === 'fixed') {
      if (setting.bypass && bypasses(target, setting.bypass)) return { kind: 'direct', source }
      return {
        kind: 'proxy',
        url: new URL(setting.url).origin,
        source,
        ...(setting.username ? { username: setting.username } : {}),
      }
    }
    break // 'system': fall through to the operating system's answer
  }
  if (!input.system) return undefined
  const answer = parsePacResult(await input.system(target.href))
  return answer.kind === 'direct' ? { kind: 'direct', source: 'system' } : { ...answer, source: 'system' }
}

/** A connection's own proxy, from its non-secret options. */
export function connectionProxy(options: Record<string, string> | undefined): ProxySetting | undefined {
  const url = options?.proxyUrl?.trim()
  if (!url) return undefined
  if (url === 'direct') return { mode: 'direct' }
  if (url === 'system') return { mode: 'system' }
  const username = options?.proxyUsername?.trim()
  return proxySettingSchema.parse({ mode: 'fixed', url, ...(username ? { username } : {}) })
}

/** The desktop app's resolver: Electron's `session.resolveProxy` (passed in, so tests need no Electron). */
export function electronProxyResolver(session: {
  resolveProxy(url: string): Promise<string>
}): SystemProxyResolver {
  return (url) => session.resolveProxy(url)
}
