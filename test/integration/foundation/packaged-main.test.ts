/**
 * The built main bundle (out/main, from `electron-vite build`) run as an installed build would run
 * it. Electron's binary cannot run here, so `electron` itself is replaced by a minimal stand-in
 * (packaged/electron-stand-in.cjs: `app.isPackaged`, window and IPC recording); every line of our
 * own code is the bundle as shipped. What is checked is behaviour, not the bundle's text: the page
 * the window loads, and what the IPC handlers answer to frames from each origin.
 */
import { execFile } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { DateTime } from 'luxon'
import { afterEach, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { TEST_START } from '../../support/clock'
import { tempDir } from '../../support/temp'

const BUNDLE = 'out/main/index.js'
const DEV_SERVER = 'http://127.0.0.1:5173'
const FOREIGN = 'https://evil.example'
const OWN = 'app://frontdesk'

const Report = z.object({
  loaded: z.array(z.string()),
  channels: z.array(z.string()),
  calls: z.array(z.object({ origin: z.string(), result: z.object({ ok: z.boolean() }).passthrough() })),
  switches: z.record(z.string(), z.string()),
  error: z.string().optional(),
})

const cleanups: (() => void)[] = []
afterEach(() => cleanups.splice(0).forEach((c) => c()))

async function runBundle(packaged: boolean) {
  const { dir, cleanup } = tempDir('frontdesk-packaged-')
  cleanups.push(cleanup)
  const reportFile = join(dir, 'report.json')
  await promisify(execFile)(
    process.execPath,
    ['--import', './test/integration/foundation/packaged/use-stand-in.mjs', BUNDLE],
    {
      timeout: 60_000,
      env: {
        ...process.env,
        FRONTDESK_STAND_IN_DIR: dir,
        FRONTDESK_STAND_IN_PACKAGED: packaged ? '1' : '0',
        FRONTDESK_STAND_IN_REPORT: reportFile,
        FRONTDESK_STAND_IN_ORIGINS: [DEV_SERVER, FOREIGN, OWN].join(' '),
        // A feature IT turned off on the app's command line.
        FRONTDESK_STAND_IN_SWITCHES: 'disable-features=HardwareMediaKeyHandling',
        // The developer overrides an installed build must not obey.
        ELECTRON_RENDERER_URL: DEV_SERVER,
        FRONTDESK_UPDATE_URL: 'http://127.0.0.1:9/feed',
        // Kept in installed builds on purpose (IT's switch); the real updater would reach the network.
        FRONTDESK_UPDATES: 'off',
        FRONTDESK_PROFILE: 'demo',
        FRONTDESK_NOW: DateTime.fromJSDate(TEST_START, { zone: 'Europe/London' }).toFormat(
          "yyyy-MM-dd'T'HH:mm",
        ),
      },
    },
  )
  const report = Report.parse(JSON.parse(readFileSync(reportFile, 'utf8')))
  expect(report.error).toBeUndefined()
  const log = readFileSync(join(dir, 'logs', 'frontdesk.log'), 'utf8')
  const okFrom = (origin: string) => report.calls.find((c) => c.origin === origin)?.result.ok
  return { report, log, okFrom }
}

describe('the built main bundle', () => {
  it('exists (npm test builds it first)', () => {
    expect(existsSync(BUNDLE)).toBe(true)
  })

  it('installed: loads app:// whatever ELECTRON_RENDERER_URL says, answers only its own page, and runs without the features it turns off', async () => {
    const { report, log, okFrom } = await runBundle(true)
    expect(report.channels).toContain('frontdesk:app.health')
    expect(report.loaded).toEqual([`${OWN}/index.html`])
    expect(okFrom(DEV_SERVER)).toBe(false)
    expect(okFrom(FOREIGN)).toBe(false)
    expect(okFrom(OWN)).toBe(true)
    expect(log).toContain('ELECTRON_RENDERER_URL (installed build)')
    expect(log).toContain('FRONTDESK_UPDATE_URL (installed build)')
    expect(log).toContain('refused IPC from an untrusted frame')
    // Search answers are drawn in the keystroke's own frame, and what IT turned off stays off.
    expect(report.switches['disable-features']).toBe('HardwareMediaKeyHandling,DeferRendererTasksAfterInput')
  })

  it('in development the same bundle does obey the dev server (so the check above can fail)', async () => {
    const { report, okFrom } = await runBundle(false)
    expect(report.loaded).toEqual([DEV_SERVER])
    expect(okFrom(DEV_SERVER)).toBe(true)
    expect(okFrom(FOREIGN)).toBe(false)
  })
})
