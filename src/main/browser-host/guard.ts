/**
 * Request checks for the browser host, as pure functions that never throw. The host binds
 * 127.0.0.1 only; these stop the attacks left: a page on another site calling it (Origin /
 * Sec-Fetch-Site), a DNS-rebinding name pointing at loopback (Host), and malformed requests.
 *
 * The session token is accepted from the `x-frontdesk-token` header only. The page reads it once
 * from its own address on first load, keeps it in this tab's sessionStorage (scoped to this exact
 * origin, port included) and removes it from the address bar. There is no cookie: cookies ignore
 * ports, so one would be sent to every other server on 127.0.0.1.
 */
import { timingSafeEqual } from 'node:crypto'

export const TOKEN_HEADER = 'x-frontdesk-token'

const loopbackNames = ['127.0.0.1', 'localhost']

/** Host must name loopback with our port exactly; anything else is a rebinding attempt. */
export function isAllowedHost(host: string | undefined, port: number): boolean {
  if (!host) return false
  return loopbackNames.some((name) => host.toLowerCase() === `${name}:${port}`)
}

/** Origin, when sent, must be our own; `null` (sandboxed or file pages) is refused too. */
export function isAllowedOrigin(origin: string | undefined, port: number): boolean {
  if (origin === undefined) return true
  return loopbackNames.some((name) => origin.toLowerCase() === `http://${name}:${port}`)
}

/** Browsers label requests from other sites; those are refused even with a token. */
export const isAllowedFetchSite = (site: string | undefined) =>
  site === undefined || site === 'same-origin' || site === 'none'

export function tokensEqual(given: string | undefined, expected: string): boolean {
  if (!given) return false
  const a = Buffer.from(given)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}

export type Refusal = { status: 403; reason: string } | null

/** Where a request comes from: every request, static files included, must pass this. */
export function checkSource(
  req: { host?: string; origin?: string; fetchSite?: string },
  port: number,
): Refusal {
  if (!isAllowedHost(req.host, port)) return { status: 403, reason: 'foreign Host header' }
  if (!isAllowedOrigin(req.origin, port)) return { status: 403, reason: 'foreign Origin' }
  if (!isAllowedFetchSite(req.fetchSite)) return { status: 403, reason: 'cross-site request' }
  return null
}

/** The API and the event stream: the source check, then the token from the header only. */
export function checkRequest(
  req: { host?: string; origin?: string; fetchSite?: string; tokenHeader?: string },
  port: number,
  token: string,
): Refusal {
  const source = checkSource(req, port)
  if (source) return source
  if (!tokensEqual(req.tokenHeader, token)) return { status: 403, reason: 'missing or wrong session token' }
  return null
}

/** The path and query of a request target, or null for anything that is not an origin-form path. */
export function parseTarget(raw: string | undefined): { pathname: string; search: string } | null {
  if (!raw || !raw.startsWith('/')) return null
  try {
    // A fixed base and the raw target appended: `//x` stays a path instead of naming a host.
    const url = new URL(`http://host${raw}`)
    if (url.host !== 'host') return null
    return { pathname: url.pathname, search: url.search }
  } catch {
    return null
  }
}

/** Percent-decoding that answers null instead of throwing on a broken sequence (`%E0%A4%A`). */
export function safeDecode(s: string): string | null {
  try {
    return decodeURIComponent(s)
  } catch {
    return null
  }
}

/** `application/json`, optionally with parameters (`; charset=utf-8`), nothing else. */
export function isJsonContentType(value: string | undefined): boolean {
  if (!value) return false
  return value.split(';')[0]!.trim().toLowerCase() === 'application/json'
}
