import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'

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

/** Debian's Chromium through playwright-core; never a downloaded browser. Every page it opens is CPU-throttled when asked. */
export async function launchChromium(): Promise<Browser> {
  const env = { ...process.env }
  delete env.LD_PRELOAD
  delete env.FAKETIME
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    env,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-quic',
      '--no-first-run',
      '--disable-component-update',
      '--disable-sync',
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
