/**
 * Request checks for the browser host, as pure functions. The host binds 127.0.0.1 only; these
 * stop the two attacks left: a page on another site calling it (Origin / Sec-Fetch-Site) and a
 * DNS-rebinding name pointing at loopback (Host).
 */
import { timingSafeEqual } from 'node:crypto'

export const SESSION_COOKIE = 'frontdesk_session'
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

export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=')
    if (k === name) return v.join('=')
  }
  return undefined
}

export type Refusal = { status: 403; reason: string } | null

export function checkRequest(
  req: {
    host?: string
    origin?: string
    fetchSite?: string
    cookie?: string
    tokenHeader?: string
    tokenQuery?: string
  },
  port: number,
  token: string,
): Refusal {
  if (!isAllowedHost(req.host, port)) return { status: 403, reason: 'foreign Host header' }
  if (!isAllowedOrigin(req.origin, port)) return { status: 403, reason: 'foreign Origin' }
  if (!isAllowedFetchSite(req.fetchSite)) return { status: 403, reason: 'cross-site request' }
  const given = req.tokenHeader ?? readCookie(req.cookie, SESSION_COOKIE) ?? req.tokenQuery
  if (!tokensEqual(given, token)) return { status: 403, reason: 'missing or wrong session token' }
  return null
}
