import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  APP_ORIGIN,
  CONTENT_SECURITY_POLICY,
  externalLinkTarget,
  isNavigationAllowed,
  isTrustedOrigin,
  isTrustedSender,
  resolveAppPath,
  windowOptions,
} from '../../../src/main/electron/security'

describe('window options', () => {
  it('sandboxes and isolates every window', () => {
    const { webPreferences } = windowOptions('/app/preload/index.cjs')
    expect(webPreferences).toMatchObject({
      preload: '/app/preload/index.cjs',
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    })
  })
})

describe('content security policy', () => {
  it('allows only our own origin and never eval', () => {
    expect(CONTENT_SECURITY_POLICY).toContain("default-src 'self'")
    expect(CONTENT_SECURITY_POLICY).toContain("connect-src 'self'")
    expect(CONTENT_SECURITY_POLICY).toContain("object-src 'none'")
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|unsafe-inline|\*/)
  })
})

describe('navigation and senders', () => {
  it('prevents every navigation', () => {
    for (const url of [
      `${APP_ORIGIN}/other`,
      'https://example.com',
      'file:///etc/passwd',
      'javascript:alert(1)',
    ]) {
      expect(isNavigationAllowed(url)).toBe(false)
    }
  })

  it('trusts only our top-level app:// frame (or the dev server)', () => {
    expect(isTrustedSender({ url: `${APP_ORIGIN}/index.html` })).toBe(true)
    expect(isTrustedSender({ url: `${APP_ORIGIN}/index.html`, parent: {} })).toBe(false)
    expect(isTrustedSender({ url: 'app://evil/index.html' })).toBe(false)
    expect(isTrustedSender({ url: 'https://frontdesk/index.html' })).toBe(false)
    expect(isTrustedSender({ url: 'file:///app/index.html' })).toBe(false)
    expect(isTrustedSender(null)).toBe(false)
    expect(isTrustedSender({ url: 'not a url' })).toBe(false)
    expect(isTrustedOrigin('http://localhost:5173/', 'http://localhost:5173')).toBe(true)
    expect(isTrustedOrigin('http://localhost:5174/', 'http://localhost:5173')).toBe(false)
    expect(isTrustedOrigin('http://localhost:5173/')).toBe(false)
  })

  it('opens only well-formed https links in the OS browser', () => {
    expect(externalLinkTarget('https://www.nhs.uk/conditions/')).toBe('https://www.nhs.uk/conditions/')
    expect(externalLinkTarget('http://example.com')).toBeNull()
    expect(externalLinkTarget('file:///C:/Windows/system32/calc.exe')).toBeNull()
    expect(externalLinkTarget('smb://server/share')).toBeNull()
    expect(externalLinkTarget('https://user:pw@example.com')).toBeNull()
    expect(externalLinkTarget('javascript:alert(1)')).toBeNull()
    expect(externalLinkTarget('not a url')).toBeNull()
  })
})

describe('app:// path resolver', () => {
  const root = resolve('/srv/frontdesk/renderer')

  it('maps our files and defaults to index.html', () => {
    expect(resolveAppPath(root, `${APP_ORIGIN}/`)).toBe(join(root, 'index.html'))
    expect(resolveAppPath(root, `${APP_ORIGIN}/assets/index-abc.js`)).toBe(
      join(root, 'assets', 'index-abc.js'),
    )
  })

  it('refuses anything that escapes the renderer folder or is not ours', () => {
    for (const url of [
      `${APP_ORIGIN}/../main/index.js`,
      `${APP_ORIGIN}/%2e%2e/%2e%2e/etc/passwd`,
      `${APP_ORIGIN}/assets/..%2f..%2f..%2fetc%2fpasswd`,
      `${APP_ORIGIN}/..%5c..%5cwindows`,
      `${APP_ORIGIN}/%00index.html`,
      `${APP_ORIGIN}/%E0%A4%A`,
      'app://other/index.html',
      'file:///srv/frontdesk/renderer/index.html',
    ]) {
      const resolved = resolveAppPath(root, url)
      if (resolved !== null) expect(resolved.startsWith(root + '/'), url).toBe(true)
      else expect(resolved, url).toBeNull()
    }
    // Dot segments are resolved by the URL parser before we see them: what is left stays inside root.
    expect(resolveAppPath(root, `${APP_ORIGIN}/%2e%2e/%2e%2e/etc/passwd`)).toBe(join(root, 'etc', 'passwd'))
    expect(resolveAppPath(root, `${APP_ORIGIN}/assets/..%2f..%2f..%2fetc%2fpasswd`)).toBeNull()
    expect(resolveAppPath(root, 'app://other/index.html')).toBeNull()
  })
})
