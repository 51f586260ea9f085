import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { chromium, type Browser } from 'playwright-core'

export const CHROMIUM = process.env.FRONTDESK_CHROMIUM ?? '/usr/bin/chromium'

/** Debian's Chromium through playwright-core; never a downloaded browser. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
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
}

export function screenshotPath(name: string): string {
  const dir = join(process.cwd(), 'test-results')
  mkdirSync(dir, { recursive: true })
  return join(dir, `${name}.png`)
}
