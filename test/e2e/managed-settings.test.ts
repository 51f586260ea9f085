/**
 * A connection preset by IT in a managed settings file shows as managed in Settings: no Edit or
 * Remove, a plain sentence why, while its credentials stay the receptionist's to enter; a connection
 * added on the PC keeps its buttons.
 */
import { writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRuntime, type Runtime } from '../../src/main/app/runtime'
import { startBrowserHost, type BrowserHost } from '../../src/main/browser-host/server'
import { silentLogger } from '../../src/main/log/logger'
import { loadManagedSettings } from '../../src/main/network/managed'
import { proxyPasswordAccount } from '../../src/main/network/routes'
import { launchChromium, screenshotPath } from '../support/browser'
import { tempDir, testKeychainService } from '../support/temp'

let runtime: Runtime
let host: BrowserHost
let browser: Browser
let page: Page
let cleanup: () => void

beforeAll(async () => {
  const t = tempDir()
  cleanup = t.cleanup
  const file = join(t.dir, 'managed-settings.json')
  writeFileSync(
    file,
    JSON.stringify({
      connections: [
        {
          id: 'hillside',
          vendor: 'hero',
          label: 'Hillside Surgery',
          baseUrl: 'https://api.hero.invalid',
          timeZone: 'Europe/London',
          options: { practiceGroupId: 'pg-42' },
        },
      ],
      proxy: { mode: 'fixed', url: 'http://proxy.invalid:3128', username: 'frontdesk' },
    }),
  )
  runtime = await createRuntime({
    shell: 'browser',
    version: 'test',
    dataDir: join(t.dir, 'data'),
    profile: 'clinic',
    log: silentLogger,
    keychainService: testKeychainService('e2e-managed'),
    startSync: false,
    backgroundRefresh: false,
    managed: loadManagedSettings({ env: { FRONTDESK_MANAGED_SETTINGS: file } }),
  })
  runtime.connections.save({
    vendor: 'heim',
    label: 'Our own Heim',
    baseUrl: 'https://api.heim.invalid',
    timeZone: 'Europe/London',
    locale: 'en-GB',
    options: {},
  })
  host = await startBrowserHost({
    dispatch: runtime.dispatch,
    bus: runtime.bus,
    rendererDir: resolve('out/renderer'),
    log: silentLogger,
  })
  browser = await launchChromium()
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-GB' })
  page = await context.newPage()
  await page.goto(host.url)
  await page.getByRole('button', { name: 'Settings' }).click()
  await page.getByTestId('settings-view').waitFor()
}, 60_000)

afterAll(async () => {
  await browser?.close()
  await host?.close()
  await runtime?.close()
  cleanup?.()
})

describe('settings managed by IT', () => {
  it('shows the preset connection as managed, without Edit or Remove', async () => {
    const badge = page.getByTestId('managed-hillside')
    await badge.waitFor()
    expect(await badge.textContent()).toBe('Managed by IT')
    const item = page.getByRole('listitem').filter({ hasText: 'Hillside Surgery' })
    expect(await item.getByText('Set by your IT department').count()).toBe(1)
    expect(await item.getByRole('button', { name: 'Edit Hillside Surgery' }).count()).toBe(0)
    expect(await item.getByRole('button', { name: 'Remove Hillside Surgery' }).count()).toBe(0)
    // Credentials are never managed: the receptionist enters them on this PC.
    expect(
      await item.getByRole('button', { name: 'Credentials and test for Hillside Surgery' }).count(),
    ).toBe(1)

    const own = page.getByRole('listitem').filter({ hasText: 'Our own Heim' })
    expect(await own.getByText('Managed by IT').count()).toBe(0)
    expect(await own.getByRole('button', { name: 'Edit Our own Heim' }).count()).toBe(1)
    expect(await own.getByRole('button', { name: 'Remove Our own Heim' }).count()).toBe(1)
    await page.screenshot({ path: screenshotPath('settings-managed'), fullPage: true })
  })

  it('takes the managed proxy’s password once, into the keychain, and never shows it again', async () => {
    const field = page.getByLabel('Proxy password for “frontdesk” (the proxy set by IT)')
    await field.fill('Pr0xy-secret-77')
    await page.getByRole('button', { name: 'Save proxy password' }).click()
    await page.getByText('Proxy password for the proxy set by IT kept in the keychain.').waitFor()
    expect(await runtime.secrets.get(proxyPasswordAccount('managed'))).toBe('Pr0xy-secret-77')
    expect(await field.inputValue()).toBe('')
    expect(await page.content()).not.toContain('Pr0xy-secret-77')
    await runtime.secrets.delete(proxyPasswordAccount('managed'))
  })
})
