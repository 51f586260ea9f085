/**
 * The desktop shell's security rules as pure functions, so unit tests cover exactly what
 * src/main/index.ts applies. Nothing here imports Electron at run time.
 */
import { isAbsolute, normalize, relative, resolve, sep } from 'node:path'

export const APP_SCHEME = 'app'
export const APP_HOST = 'frontdesk'
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`

/** A strict policy: only our own files, no eval, no inline script, no remote anything. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ')

export interface SecureWebPreferences {
  preload: string
  sandbox: true
  contextIsolation: true
  nodeIntegration: false
  nodeIntegrationInWorker: false
  nodeIntegrationInSubFrames: false
  webSecurity: true
  allowRunningInsecureContent: false
  webviewTag: false
  spellcheck: false
}

export function windowOptions(preload: string) {
  const webPreferences: SecureWebPreferences = {
    preload,
    sandbox: true,
    contextIsolation: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    // Off: Chromium would fetch dictionaries from Google, and Frontdesk talks only to the clinic's vendors.
    spellcheck: false,
  }
  return {
    width: 1360,
    height: 860,
    minWidth: 960,
    minHeight: 600,
    show: false,
    backgroundColor: '#ffffff',
    title: 'Frontdesk',
    autoHideMenuBar: true,
    webPreferences,
  }
}

function parse(url: string | undefined | null): URL | null {
  if (!url) return null
  try {
    return new URL(url)
  } catch {
    return null
  }
}

/** Whether a frame URL belongs to our renderer (the app:// origin, or the dev server in development). */
export function isTrustedOrigin(url: string | undefined | null, devServerUrl?: string): boolean {
  const u = parse(url)
  if (!u) return false
  if (u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST) return true
  const dev = parse(devServerUrl)
  return !!dev && u.origin === dev.origin
}

/** IPC calls are answered only for our own top-level frame; anything else is refused. */
export function isTrustedSender(
  frame: { url: string; parent?: unknown } | null | undefined,
  devServerUrl?: string,
): boolean {
  if (!frame || frame.parent) return false
  return isTrustedOrigin(frame.url, devServerUrl)
}

/** The renderer never navigates away from itself: every `will-navigate` is prevented. */
export const isNavigationAllowed = (_url: string): boolean => false

/** A link the OS browser may open: only well-formed https URLs with a host. */
export function externalLinkTarget(url: string): string | null {
  const u = parse(url)
  if (!u || u.protocol !== 'https:' || !u.hostname || u.username || u.password) return null
  return u.toString()
}

/**
 * Maps an app:// request to a file under `root`, or null when the path escapes it (`..`, encoded
 * separators, absolute paths) or the URL is not ours. Unknown routes fall back to index.html.
 */
export function resolveAppPath(root: string, requestUrl: string): string | null {
  const u = parse(requestUrl)
  if (!u || u.protocol !== `${APP_SCHEME}:` || u.host !== APP_HOST) return null
  return resolveUnderRoot(root, u.pathname)
}

/**
 * The file a URL path names under `root` (`/` → index.html), or null when it escapes: `..`,
 * encoded separators, NUL, backslashes, absolute paths. Used by app:// and the browser host alike.
 */
export function resolveUnderRoot(root: string, urlPathname: string): string | null {
  let pathname: string
  try {
    pathname = decodeURIComponent(urlPathname)
  } catch {
    return null
  }
  if (pathname.includes('\0') || pathname.includes('\\')) return null
  const relativePath = pathname === '/' || pathname === '' ? 'index.html' : pathname.replace(/^\/+/, '')
  if (isAbsolute(relativePath)) return null
  const base = resolve(root)
  const target = resolve(base, normalize(relativePath))
  const rel = relative(base, target)
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel) || rel.split(sep).includes('..')) return null
  return target
}
