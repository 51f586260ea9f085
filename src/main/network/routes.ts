/**
 * The undici dispatchers vendor requests go through: one direct Agent, one ProxyAgent per proxy
 * (and sign-in), or undici's EnvHttpProxyAgent when only the environment says. Every one of them
 * trusts the same certificate list (trust.ts).
 */
import { createHash } from 'node:crypto'
import { createSecureContext, type SecureContext } from 'node:tls'
import { Agent, EnvHttpProxyAgent, ProxyAgent, type Dispatcher } from 'undici'
import type { Connection } from '../../shared/model'
import type { Logger } from '../log/logger'
import type { SecretStore } from '../secrets/secret-store'
import type { VendorError } from '../vendors/errors'
import { diagnose, type IssuerProbe, probeIssuer } from './diagnose'
import {
  basicToken,
  bypasses,
  chooseProxy,
  connectionProxy,
  type ProxySetting,
  type ProxySource,
  type SystemProxyResolver,
} from './proxy'
import { buildTrustStore, type TrustStore } from './trust'

export interface NetworkOptions {
  trust?: TrustStore
  /** The proxy from managed settings. */
  managedProxy?: ProxySetting
  /** Desktop app: Electron's session.resolveProxy. */
  systemProxy?: SystemProxyResolver
  /** Where proxy passwords live (`proxy:<connection id | managed>:password`). */
  secrets?: SecretStore
  env?: Record<string, string | undefined>
  log?: Logger
  probe?: IssuerProbe
}

export interface AgentTimeouts {
  connectMs: number
  headersMs: number
  bodyMs: number
}

export interface Route {
  dispatcher: Dispatcher
  /** The proxy the request takes (no credentials), when one does. */
  proxy?: string
  proxyToken?: string
  source: ProxySource
}

type RouteTarget = Pick<Connection, 'id' | 'baseUrl'> & { options?: Record<string, string>; demo?: boolean }

export const proxyPasswordAccount = (scope: string) => `proxy:${scope}:password`

/** What the environment variables choose for a URL, for messages only (undici decides the route). */
export function environmentProxy(target: URL, env: Record<string, string | undefined>): string | undefined {
  const pick = (k: string) => env[k.toLowerCase()] ?? env[k]
  const http = pick('HTTP_PROXY')
  const url = target.protocol === 'https:' ? (pick('HTTPS_PROXY') ?? http) : http
  if (!url) return undefined
  const noProxy = (pick('NO_PROXY') ?? '').split(/[\s,]+/).filter(Boolean)
  if (bypasses(target, noProxy)) return undefined
  try {
    return new URL(url).origin
  } catch {
    return undefined
  }
}

export class VendorNetwork {
  readonly trust: TrustStore
  private readonly common: Agent.Options
  private readonly tls: { secureContext: SecureContext }
  private direct?: Agent
  private envAgent?: EnvHttpProxyAgent
  private readonly proxies = new Map<string, ProxyAgent>()
  /** Proxy passwords read once per scope: a keychain read is too slow for every request. */
  private readonly passwords = new Map<string, Promise<string | null>>()
  private readonly env: Record<string, string | undefined>
  private readonly connectMs: number

  constructor(
    timeouts: AgentTimeouts,
    private readonly opts: NetworkOptions = {},
  ) {
    this.trust = opts.trust ?? buildTrustStore()
    this.env = opts.env ?? process.env
    // One context for every connection: building one from a few hundred CAs costs ~70 ms of CPU.
    this.tls = { secureContext: createSecureContext({ ca: this.trust.ca }) }
    this.connectMs = timeouts.connectMs
    this.common = {
      keepAliveTimeout: 10_000,
      keepAliveMaxTimeout: 60_000,
      headersTimeout: timeouts.headersMs,
      bodyTimeout: timeouts.bodyMs,
      connections: 8,
      connect: { timeout: timeouts.connectMs, ...this.tls },
    }
    for (const p of this.trust.problems) opts.log?.warn('trusted certificates', { problem: p })
  }

  private directAgent() {
    return (this.direct ??= new Agent(this.common))
  }

  private async proxyAgent(url: string, scope: string, username?: string) {
    const password = username ? await this.password(scope) : undefined
    const token = username && password ? basicToken(username, password) : undefined
    const key = `${url}|${token ? createHash('sha256').update(token).digest('hex') : ''}`
    let agent = this.proxies.get(key)
    if (!agent) {
      agent = new ProxyAgent({
        ...this.common,
        uri: url,
        ...(token ? { token } : {}),
        requestTls: { ...this.tls, timeout: this.connectMs },
        proxyTls: this.tls,
      })
      this.proxies.set(key, agent)
    }
    return { agent, token }
  }

  private password(scope: string): Promise<string | null> {
    let held = this.passwords.get(scope)
    if (!held) {
      held = (this.opts.secrets?.get(proxyPasswordAccount(scope)) ?? Promise.resolve(null)).catch(
        (err: unknown) => {
          this.passwords.delete(scope)
          throw err
        },
      )
      this.passwords.set(scope, held)
    }
    return held
  }

  /** Keeps a proxy password in the keychain (`scope`: a connection id, or `managed`). */
  async setProxyPassword(scope: string, password: string): Promise<void> {
    if (!this.opts.secrets) throw new Error('No keychain to keep the proxy password in.')
    await this.opts.secrets.set(proxyPasswordAccount(scope), password)
    this.passwords.delete(scope)
  }

  /** The dispatcher for a connection's next request. */
  async route(connection: RouteTarget): Promise<Route> {
    const target = new URL(connection.baseUrl)
    // The demo clinic's simulators run inside this process: never through a proxy.
    if (connection.demo) return { dispatcher: this.directAgent(), source: 'default' }
    const own = connectionProxy(connection.options)
    const choice = await chooseProxy(target, {
      ...(own ? { connection: own } : {}),
      ...(this.opts.managedProxy ? { managed: this.opts.managedProxy } : {}),
      ...(this.opts.systemProxy ? { system: this.opts.systemProxy } : {}),
    })
    if (!choice) {
      const proxy = environmentProxy(target, this.env)
      this.envAgent ??= new EnvHttpProxyAgent({
        ...this.common,
        requestTls: { ...this.tls, timeout: this.connectMs },
        proxyTls: this.tls,
        // Read from the injected environment (the process's by default), not undici's own lookup.
        httpProxy: this.env.http_proxy ?? this.env.HTTP_PROXY ?? '',
        httpsProxy: this.env.https_proxy ?? this.env.HTTPS_PROXY ?? '',
        noProxy: this.env.no_proxy ?? this.env.NO_PROXY ?? '',
      })
      return {
        dispatcher: this.envAgent,
        source: proxy ? 'environment' : 'default',
        ...(proxy ? { proxy } : {}),
      }
    }
    if (choice.kind === 'direct') return { dispatcher: this.directAgent(), source: choice.source }
    const scope = choice.source === 'connection' ? connection.id : 'managed'
    const { agent, token } = await this.proxyAgent(choice.url, scope, choice.username)
    return {
      dispatcher: agent,
      proxy: choice.url,
      source: choice.source,
      ...(token ? { proxyToken: token } : {}),
    }
  }

  diagnose(
    err: unknown,
    ctx: { target: URL; route: Route; vendor?: Connection['vendor']; operation: string },
  ): Promise<VendorError | undefined> {
    return diagnose(
      err,
      {
        target: ctx.target,
        operation: ctx.operation,
        ...(ctx.vendor ? { vendor: ctx.vendor } : {}),
        ...(ctx.route.proxy ? { proxy: ctx.route.proxy } : {}),
        ...(ctx.route.proxyToken ? { proxyToken: ctx.route.proxyToken } : {}),
      },
      this.opts.probe ?? probeIssuer,
    )
  }

  async close() {
    const all: Dispatcher[] = [...this.proxies.values()]
    if (this.direct) all.push(this.direct)
    if (this.envAgent) all.push(this.envAgent)
    await Promise.all(all.map((d) => d.close()))
  }
}
