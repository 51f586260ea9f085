/**
 * End-to-end harness: the browser host on the demo clinic (simulators in-process), Debian's
 * Chromium through playwright-core, an accessibility scan with axe-core, screenshots kept under
 * test-results/.
 */
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join, resolve } from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { createRuntime, type Runtime } from '../../src/main/app/runtime'
import type { StartedAtClock } from '../../src/shared/clock'
import { testClock } from './clock'
import { startBrowserHost, type BrowserHost } from '../../src/main/browser-host/server'
import type { Dispatch } from '../../src/main/ipc/router'
import { silentLogger } from '../../src/main/log/logger'
import { launchChromium, screenshotPath } from './browser'
import { tempDir, testKeychainService } from './temp'

export interface DemoHost {
  runtime: Runtime
  /** The app's clock: starts at `now` and runs at real speed, so timers still elapse. */
  clock: StartedAtClock
  host: BrowserHost
  browser: Browser
  /** A fresh signed-in page (token traded for the cookie), sized like a reception PC screen; closes the pages opened before it. */
  page(opts?: { bypassCSP?: boolean }): Promise<{ page: Page; context: BrowserContext; problems: string[] }>
  close(): Promise<void>
}

export async function startDemoHost(
  opts: {
    patients?: number
    name?: string
    now?: Date
    /** The host's calls pass through this first (a test holds some back, as a slow PC would). */
    through?: (dispatch: Dispatch) => Dispatch
  } = {},
): Promise<DemoHost> {
  const rendererDir = resolve('out/renderer')
  if (!existsSync(join(rendererDir, 'index.html')))
    throw new Error('run `npm run build` first (npm test does)')
  const t = tempDir()
  const clock = testClock(opts.now)
  const runtime = await createRuntime({
    clock,
    shell: 'browser',
    version: (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version,
    dataDir: t.dir,
    profile: 'demo',
    log: silentLogger,
    keychainService: testKeychainService(opts.name ?? 'e2e'),
    demoPatients: opts.patients ?? 200,
    // Probes no faster than Semble's 120 a minute, or they queue in its limiter ahead of real sends.
    sync: { probeEveryMs: 1_000, random: () => 0.05 },
  })
  const host = await startBrowserHost({
    dispatch: opts.through ? opts.through(runtime.dispatch) : runtime.dispatch,
    bus: runtime.bus,
    rendererDir,
    log: silentLogger,
  })
  const browser = await launchChromium()
  // One desk at a time: a page left open by an earlier test would go on answering every event
  // (re-reading the day, the patient card), and on a throttled CPU several of them starve the next.
  const opened: BrowserContext[] = []
  return {
    runtime,
    clock,
    host,
    browser,
    async page(o = {}) {
      await Promise.all(opened.splice(0).map((c) => c.close().catch(() => undefined)))
      const context = await browser.newContext({
        viewport: { width: 1440, height: 900 },
        bypassCSP: !!o.bypassCSP,
        locale: 'en-GB',
        timezoneId: 'Europe/London',
      })
      opened.push(context)
      const page = await context.newPage()
      const problems: string[] = []
      page.on('console', (m) => m.type() === 'error' && problems.push(m.text()))
      page.on('pageerror', (e) => problems.push(e.message))
      await page.goto(host.url)
      return { page, context, problems }
    },
    async close() {
      await browser.close()
      await host.close()
      await runtime.close()
      t.cleanup()
    },
  }
}

const axeSource = () => readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

export interface AxeViolation {
  id: string
  impact: string | null
  help: string
  nodes: { target: string[] }[]
}

/**
 * Serious and critical axe-core violations on the page as it is now (needs a bypassCSP page).
 *
 * One kind of finding is left out, and only for an element its scrolling container cuts: axe takes
 * an element's "visible text" to be the parts of it inside that container, so a day book card half
 * scrolled past the grid's edge shows, say, ", Chidi … Arrived", which is not a run of words of its
 * label ("08:40, MAC GIOLLA ÍOSA, Chidi, Travel vaccination, Arrived"). Whole in view, the same card
 * is checked as usual.
 */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  await page.addScriptTag({ content: axeSource() })
  const result = (await page.evaluate(`(async () => {
    const r = await axe.run(document, { resultTypes: ['violations'] })
    const cutByScroller = (el) => {
      const box = el.getBoundingClientRect()
      for (let p = el.parentElement; p; p = p.parentElement) {
        const style = getComputedStyle(p)
        if (!/(auto|scroll|hidden)/.test(style.overflowX + style.overflowY)) continue
        if (p.scrollWidth <= p.clientWidth && p.scrollHeight <= p.clientHeight) continue
        const view = p.getBoundingClientRect()
        if (box.left < view.left - 0.5 || box.right > view.right + 0.5 || box.top < view.top - 0.5 || box.bottom > view.bottom + 0.5) return true
      }
      return false
    }
    for (const v of r.violations) {
      if (v.id !== 'label-content-name-mismatch') continue
      v.nodes = v.nodes.filter((n) => {
        const el = document.querySelector(n.target[0])
        return !el || !cutByScroller(el)
      })
    }
    return { violations: r.violations.filter((v) => v.nodes.length > 0) }
  })()`)) as {
    violations: AxeViolation[]
  }
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
}

export async function screenshot(page: Page, name: string) {
  await page.screenshot({ path: screenshotPath(name), fullPage: true })
}
