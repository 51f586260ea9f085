/**
 * Semble sends `x-token` on every request. The token is either a long-lived API token (settings →
 * API access) or the answer of `signIn(email, password)`, valid 12 hours: that one is cached in
 * memory only and renewed an hour early, and a request refused as UNAUTHENTICATED signs in again
 * once (see adapter.ts).
 */
import { z } from 'zod'
import type { Logger } from '../../log/logger'
import { VendorError } from '../errors'
import { parseVendor } from '../http/boundary'
import type { VendorHttp } from '../http/client'
import { graphqlRequest } from '../http/graphql'
import { SIGN_IN } from './documents'

export const SESSION_HOURS = 12
/** Renew this long before Semble's 12 hours run out. */
const RENEW_EARLY_MS = 60 * 60 * 1000
/** An API token read from the keychain is re-read after this long, so a replaced token takes effect. */
const API_TOKEN_TTL_MS = 5 * 60 * 1000

interface Cached {
  token: string
  mode: 'api' | 'session'
  /** Epoch ms after which we fetch a new one. */
  refreshAt: number
}

/** The `exp` claim of a JWT-shaped token, if it has one (Semble does not document the token format). */
export function jwtExpiry(token: string): number | undefined {
  const part = token.split('.')[1]
  if (!part) return undefined
  try {
    const claims = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as { exp?: unknown }
    return typeof claims.exp === 'number' ? claims.exp * 1000 : undefined
  } catch {
    return undefined
  }
}

export class SembleAuth {
  private cached: Cached | undefined
  private inflight: Promise<Cached> | undefined

  constructor(
    private readonly deps: {
      http: VendorHttp
      credentials: () => Promise<Record<string, string>>
      log: Logger
      now: () => Date
      path: string
    },
  ) {}

  /** The token to send now. */
  async token(): Promise<{ token: string; mode: 'api' | 'session' }> {
    const now = this.deps.now().getTime()
    if (this.cached && now < this.cached.refreshAt) return this.cached
    this.inflight ??= this.obtain().finally(() => {
      this.inflight = undefined
    })
    this.cached = await this.inflight
    return this.cached
  }

  /** Drop a token the vendor refused; true when a fresh one could differ (worth one more try). */
  async refused(token: string): Promise<boolean> {
    if (this.cached?.token === token) this.cached = undefined
    const creds = await this.deps.credentials()
    if (creds.apiToken) return creds.apiToken !== token
    return !!(creds.email && creds.password)
  }

  private async obtain(): Promise<Cached> {
    const creds = await this.deps.credentials()
    const now = this.deps.now().getTime()
    if (creds.apiToken) return { token: creds.apiToken, mode: 'api', refreshAt: now + API_TOKEN_TTL_MS }
    if (!creds.email || !creds.password) {
      throw new VendorError('auth', 'Semble needs an API token, or an email and password, in Settings.', {
        vendor: 'semble',
        operation: 'signIn',
      })
    }
    const data = await graphqlRequest(
      this.deps.http,
      {
        operation: 'SignIn',
        query: SIGN_IN,
        variables: { email: creds.email, password: creds.password },
        // Signing in changes nothing a retry could duplicate.
        write: false,
        headers: {},
        path: this.deps.path,
      },
      this.deps.log,
    ).catch((err: unknown) => {
      if (err instanceof VendorError && err.kind === 'auth') {
        throw new VendorError(
          'auth',
          'Semble did not accept the sign-in email and password. Check them in Settings.',
          {
            vendor: 'semble',
            operation: 'signIn',
            vendorMessage: err.vendorMessage,
            status: err.status,
          },
        )
      }
      throw err
    })
    const parsed = parseVendor(
      z.object({ signIn: z.object({ token: z.string().min(1) }).nullable() }),
      data,
      {
        vendor: 'semble',
        operation: 'SignIn',
      },
    )
    if (!parsed.signIn) {
      throw new VendorError(
        'auth',
        'Semble did not accept the sign-in email and password. Check them in Settings.',
        {
          vendor: 'semble',
          operation: 'signIn',
        },
      )
    }
    const token = parsed.signIn.token
    // Renew an hour before the 12 hours (or the token's own expiry, if it says) run out. An expiry
    // already past means our clock and Semble's disagree: trust the documented 12 hours instead.
    let expiry = now + SESSION_HOURS * 3_600_000
    const claimed = jwtExpiry(token)
    if (claimed !== undefined && claimed > now + RENEW_EARLY_MS) expiry = Math.min(expiry, claimed)
    else if (claimed !== undefined)
      this.deps.log.warn('semble token expiry disagrees with our clock', { claimed })
    this.deps.log.info('semble signed in', { expiresAt: new Date(expiry).toISOString() })
    return { token, mode: 'session', refreshAt: Math.max(now, expiry - RENEW_EARLY_MS) }
  }
}
