import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRuntime, type Runtime } from '../../src/main/app/runtime'
import { startBrowserHost, type BrowserHost } from '../../src/main/browser-host/server'
import { silentLogger } from '../../src/main/log/logger'
import { launchChromium, screenshotPath } from '../support/browser'
import { tempDir, testKeychainService } from '../support/temp'

const rendererDir = resolve('out/renderer')
let runtime: Runtime
let host: BrowserHost
let browser: Browser
let cleanup: () => void

beforeAll(async () => {
  expect(existsSync(join(rendererDir, 'index.html')), 'run `npm run build` first (npm test does)').toBe(true)
  const t = tempDir()
  cleanup = t.cleanup
  runtime = await createRuntime({
    shell: 'browser',
    version: (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version,
    dataDir: t.dir,
    profile: 'demo',
    demoPatients: 60,
    log: silentLogger,
    keychainService: testKeychainService('e2e'),
  })
  host = await startBrowserHost({
    dispatch: runtime.dispatch,
    bus: runtime.bus,
    rendererDir,
    log: silentLogger,
  })
  browser = await launchChromium()
})

afterAll(async () => {
  await browser?.close()
  await host?.close()
  await runtime?.close()
  cleanup?.()
})

describe('the first screen in a real browser', () => {
  it('shows the shell, the version, and the store and keychain state, with no CSP violations', async () => {
    const page = await browser.newPage()
    const problems: string[] = []
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()))
    page.on('pageerror', (e) => problems.push(e.message))
    await page.goto(host.url)
    // The token left the address bar for an HttpOnly cookie.
    expect(page.url()).toBe(`${host.origin}/`)
    await expect(page.getByRole('heading', { name: 'Frontdesk', level: 1 }).isVisible()).resolves.toBe(true)
    const version = page.getByTestId('app-version')
    await version.waitFor()
    expect(await version.textContent()).toContain(runtime.info.version)
    // The front desk opens on Today; the state of this computer is on the Status screen.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Status' }).click()
    const health = page.getByTestId('health')
    await health.waitFor()
    expect(await page.getByLabel('Local database: working').count()).toBe(1)
    expect(await page.getByLabel('Keychain: working').count()).toBe(1)
    expect(await health.textContent()).toContain('Encrypted local database')
    expect(await page.evaluate('document.cookie')).toBe('')
    // The demo clinic: one connection per vendor, each checked against its simulator.
    const connections = page.getByTestId('connections')
    await connections.waitFor()
    for (const label of [
      'Riverside Clinic (Semble (Heydoc))',
      'Harbour Wellness (Healthie)',
      'Hillside Surgery (Hero Health)',
      'Heim home visits (Heim Health)',
    ]) {
      await page.getByLabel(`${label}: working`).waitFor({ timeout: 15_000 })
    }
    await page.screenshot({ path: screenshotPath('first-screen'), fullPage: true })
    expect(problems).toEqual([])
  })

  it('a page without the token gets the shell but every call is refused', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    const res = await page.goto(`${host.origin}/`)
    expect(res?.status()).toBe(200)
    const status = await page.evaluate(async () => {
      const r = await fetch('/api/call/app.info', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: '{}',
      })
      return r.status
    })
    expect(status).toBe(403)
    await context.close()
  })

  it('moves the token out of the address bar into this tab only, with no cookie', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    await page.goto(host.url)
    await expect.poll(() => page.url()).toBe(`${host.origin}/`)
    expect(await context.cookies()).toEqual([])
    await page.reload()
    // After a reload the tab still holds the token (sessionStorage is per origin, port included).
    const kept = await page.evaluate(() => sessionStorage.getItem('frontdesk.session'))
    expect(kept).toBe(host.token)
    await context.close()
  })
})
