/**
 * A day at the desk, the dangerous parts: nothing typed blanks the screen (one error boundary per
 * screen), dates are read day first, arrival and no-show only on the appointment's own day,
 * Today means the clinic's today, keystrokes after closing an appointment go where they should,
 * search says how many more match, and toasts never hide the drawer's buttons.
 */
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { screenshot, startDemoHost, type DemoHost } from '../support/e2e'

let demo: DemoHost
let page: Page
let problems: string[]

beforeAll(async () => {
  demo = await startDemoHost({ patients: 200, name: 'desk-safety' })
  ;({ page, problems } = await demo.page({ bypassCSP: true }))
  await page.getByTestId('day-grid').waitFor({ timeout: 90_000 })
}, 120_000)

afterAll(async () => {
  await demo?.close()
})

const nav = (name: string) => page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name })
const heading = () => page.locator('.today-title')

const sizes = [
  { width: 1280, height: 720 },
  { width: 1440, height: 900 },
  { width: 1920, height: 1080 },
]

async function screenshots(name: string) {
  for (const s of sizes) {
    await page.setViewportSize(s)
    await screenshot(page, `${name}-${s.width}x${s.height}`)
  }
  await page.setViewportSize({ width: 1440, height: 900 })
}

describe('nothing typed blanks the app', () => {
  it('typing 04/12/2026 into the day book’s date field keeps the app working', async () => {
    await page.getByLabel('Date', { exact: true }).click()
    await page.keyboard.type('04/12/2026')
    await page.keyboard.press('Enter')
    // The shell is still there, the other screens open, and Today comes back.
    await nav('Patients').click()
    await page.getByRole('heading', { name: 'Patients', level: 2 }).waitFor({ timeout: 5_000 })
    await nav('Today').click()
    await heading().waitFor({ timeout: 5_000 })
  })

  it('a screen that fails says what happened, keeps the rest working and offers a way back', async () => {
    // An audit entry whose time is in a form nobody expected (an older copy, a hand edit).
    const { lastInsertRowid } = demo.runtime.db
      .prepare(
        `INSERT INTO audit_log (at, actor, action, outcome) VALUES ('soon', 'Reception', 'markArrived', 'queued')`,
      )
      .run()
    try {
      await nav('Audit log').click()
      const failed = page.getByTestId('screen-error')
      await failed.waitFor({ timeout: 10_000 })
      await expect(failed.getByRole('heading').textContent()).resolves.toBe(
        'Something went wrong in the Audit log screen',
      )
      await failed.getByText('Invalid time value').waitFor()
      await screenshots('screen-error')
      // The rest works: the header search, another screen, and the way back to Today.
      await page.keyboard.press('/')
      await expect.poll(() => page.evaluate('document.activeElement?.id')).toBe('global-search-input')
      await page.keyboard.press('Escape')
      await nav('Queue').click()
      await page.getByTestId('screen-error').waitFor({ state: 'detached' })
      await nav('Audit log').click()
      await failed.getByRole('button', { name: 'Go to Today' }).click()
      await heading().waitFor()
      await expect(page.getByTestId('screen-error').count()).resolves.toBe(0)
      await expect(nav('Today').getAttribute('aria-current')).resolves.toBe('page')
    } finally {
      demo.runtime.db.prepare(`DELETE FROM audit_log WHERE id = ?`).run(lastInsertRowid)
    }
  })
})

describe('the page itself', () => {
  it('logged nothing unexpected (only the failure provoked above)', () => {
    expect(problems.filter((p) => !/Invalid time value|screen failed/.test(p))).toEqual([])
  })
})
