/**
 * Settings → Help: the receptionist prepares a support bundle, sees every file in it (with the
 * planted key, patient name and NHS number already removed), saves it, and gets one zip.
 */
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRuntime, type Runtime } from '../../src/main/app/runtime'
import { startBrowserHost, type BrowserHost } from '../../src/main/browser-host/server'
import { createLogger, silentLogger } from '../../src/main/log/logger'
import { launchChromium, screenshotPath } from '../support/browser'
import { tempDir, testKeychainService } from '../support/temp'

const API_KEY = 'hk_live_PLANTED_e2e_51c0ffee'
const NAME = 'Philippa Quartermaine'
const NHS = '943 476 5919'

let runtime: Runtime
let host: BrowserHost
let browser: Browser
let page: Page
let dir: string
let cleanup: () => void

beforeAll(async () => {
  const t = tempDir()
  dir = t.dir
  cleanup = t.cleanup
  const logFile = join(dir, 'logs', 'frontdesk.log')
  runtime = await createRuntime({
    shell: 'browser',
    version: '3.2.1',
    dataDir: join(dir, 'data'),
    profile: 'clinic',
    log: silentLogger,
    keychainService: testKeychainService('e2e-bundle'),
    startSync: false,
    backgroundRefresh: false,
    managed: { settings: {} },
    logFile,
    supportDir: join(dir, 'bundles'),
  })
  const c = runtime.connections.save({
    vendor: 'hero',
    label: 'Hillside Surgery',
    baseUrl: 'https://api.hero.invalid',
    timeZone: 'Europe/London',
    locale: 'en-GB',
    options: { practiceGroupId: 'pg-1' },
  })
  await runtime.credentials.set(c.id, { apiKey: API_KEY })
  runtime.db
    .prepare(
      `INSERT INTO patients (id, connection_id, ref, given_name, family_name, birth_date, fetched_at)
       VALUES ('p1', ?, 'r1', 'Philippa', 'Quartermaine', '1980-02-02', '2026-06-01T09:00:00Z')`,
    )
    .run(c.id)
  const log = createLogger({ file: logFile, stderr: false })
  log.warn(`booking for ${NAME} (NHS ${NHS}) failed with key ${API_KEY}`)
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

describe('support bundle', () => {
  it('shows what will leave, redacted, then saves it as one zip', async () => {
    await page.getByRole('button', { name: 'Prepare a support bundle' }).click()
    const preview = page.getByTestId('support-preview')
    await preview.waitFor()
    for (const name of ['summary.json', 'last-errors.json', 'log.txt'])
      expect(await preview.getByText(name, { exact: true }).count()).toBe(1)
    await preview.getByText('log.txt', { exact: true }).click()
    const shown = await preview.innerText()
    expect(shown).toContain('booking for [name] [name] (NHS [nhs-number]) failed with key [secret]')
    for (const planted of [API_KEY, 'Philippa', 'Quartermaine', NHS]) expect(shown).not.toContain(planted)
    await page.screenshot({ path: screenshotPath('settings-support-bundle'), fullPage: true })

    await page.getByRole('button', { name: 'Save this bundle' }).click()
    const saved = page.getByTestId('support-saved')
    await saved.waitFor()
    const path = (await saved.locator('code').textContent())!
    expect(path.startsWith(join(dir, 'bundles'))).toBe(true)
    expect(existsSync(path)).toBe(true)
    const listing = execFileSync('unzip', ['-l', path], { encoding: 'utf8' })
    expect(listing).toMatch(/summary\.json[\s\S]*last-errors\.json[\s\S]*log\.txt/)
    expect(execFileSync('unzip', ['-p', path], { encoding: 'utf8' })).not.toContain(API_KEY)
  })
})
