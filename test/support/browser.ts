import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { disabledFeatures } from '../../src/main/electron/chromium'

export const CHROMIUM = process.env.FRONTDESK_CHROMIUM ?? '/usr/bin/chromium'

/**
 * How many times slower than this machine the page's CPU runs: `scripts/test-slow-pc.sh` sets it
 * to prove the screens still render on an old, busy clinic PC (Chromium's own CPU throttling).
 */
export const CPU_THROTTLE = Math.max(1, Number(process.env.FRONTDESK_E2E_CPU_THROTTLE ?? 1) || 1)

async function throttled(page: Page): Promise<Page> {
  if (CPU_THROTTLE > 1) {
    const cdp = await page.context().newCDPSession(page)
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_THROTTLE })
  }
  return page
}

/**
 * Under libfaketime (`scripts/test-awkward-times.sh`) Chromium cannot run preloaded with it, so it
 * starts without it and each page's clock is set to the faked time through Playwright instead.
 */
const FAKED_TIME = !!process.env.FAKETIME

async function prepareContext(context: BrowserContext): Promise<BrowserContext> {
  if (FAKED_TIME) await context.clock.setSystemTime(new Date())
  const newPage = context.newPage.bind(context)
  context.newPage = async () => throttled(await newPage())
  return context
}

const BASE_ARGS = ['--headless', '--no-sandbox', '--disable-gpu']

/**
 * The `--disable-features` value Playwright itself launches Chromium with. Chromium keeps only the
 * last value of a repeated switch, so ours must carry Playwright's list as well as our own. Read
 * once from a browser Playwright launched (its command line, over CDP) and kept in a file for the
 * other test files, keyed by this Chromium binary and this Playwright.
 */
async function playwrightDisabledFeatures(env: NodeJS.ProcessEnv): Promise<string> {
  const pw = JSON.parse(
    readFileSync(createRequire(import.meta.url).resolve('playwright-core/package.json'), 'utf8'),
  ) as {
    version: string
  }
  const key = `${pw.version}-${statSync(CHROMIUM).mtimeMs}`.replace(/[^\w.-]/g, '_')
  const file = join(tmpdir(), `frontdesk-chromium-features-${key}.txt`)
  try {
    return readFileSync(file, 'utf8')
  } catch {
    // Not read yet on this machine: ask a browser.
  }
  // `--enable-automation` only so CDP answers with the command line.
  const probe = await chromium.launch({
    executablePath: CHROMIUM,
    env,
    args: [...BASE_ARGS, '--enable-automation'],
  })
  try {
    const cdp = await probe.newBrowserCDPSession()
    const { arguments: argv } = (await cdp.send('Browser.getBrowserCommandLine')) as { arguments: string[] }
    const value =
      argv
        .filter((a) => a.startsWith('--disable-features='))
        .at(-1)
        ?.slice('--disable-features='.length) ?? ''
    // Written whole under another name and then renamed, so a test file starting meanwhile never
    // reads half of it.
    writeFileSync(`${file}.${process.pid}`, value)
    renameSync(`${file}.${process.pid}`, file)
    return value
  } finally {
    await probe.close()
  }
}

/** Debian's Chromium through playwright-core; never a downloaded browser. Every page it opens is CPU-throttled when asked. */
export async function launchChromium(): Promise<Browser> {
  const env = { ...process.env }
  delete env.LD_PRELOAD
  delete env.FAKETIME
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    env,
    args: [
      ...BASE_ARGS,
      '--disable-background-networking',
      '--disable-quic',
      '--no-first-run',
      '--disable-component-update',
      '--disable-sync',
      // Chromium features off as the desktop app has them, so the tests and benches see what its
      // window does (src/main/electron/chromium.ts).
      `--disable-features=${disabledFeatures(await playwrightDisabledFeatures(env))}`,
    ],
  })
  if (CPU_THROTTLE > 1 || FAKED_TIME) {
    const newContext = browser.newContext.bind(browser)
    browser.newContext = async (o) => prepareContext(await newContext(o))
    browser.newPage = async (o) => (await prepareContext(await newContext(o))).newPage()
  }
  return browser
}

export function screenshotPath(name: string): string {
  const dir = join(process.cwd(), 'test-results')
  mkdirSync(dir, { recursive: true })
  return join(dir, `${name}.png`)
}
