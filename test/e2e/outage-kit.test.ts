/**
 * The outage kit with the clinic system down: the day list per practitioner comes from Frontdesk's
 * own copy, with each patient's date of birth, ready to print (one practitioner per page).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { screenshotPath } from '../support/browser'
import { seriousViolations, startDemoHost, type DemoHost } from '../support/e2e'

let demo: DemoHost

beforeAll(async () => {
  demo = await startDemoHost({ patients: 200, name: 'outage-kit' })
})

afterAll(async () => {
  await demo?.close()
})

/** The next weekday after `from` (the app's today; clinics keep weekday lists), as YYYY-MM-DD. */
function nextWeekday(from = demo.clock.now()): string {
  const d = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate() + 1))
  while (d.getUTCDay() === 0 || d.getUTCDay() === 6) d.setUTCDate(d.getUTCDate() + 1)
  return d.toISOString().slice(0, 10)
}

describe('the outage kit', () => {
  it('prints the day list per practitioner from the cache while Semble is offline', async () => {
    const date = nextWeekday()
    // The nightly refresh filled the cache while Semble was up: patients (written by the
    // background writer's thread) and then the days around today, each appointment with its patient.
    await demo.runtime.refresh.refreshNow('demo-semble')
    const before = await demo.runtime.dispatch('appointments.day', { date })
    expect(before.ok).toBe(true)
    expect((await demo.runtime.dispatch('reference.get', { connectionId: 'demo-semble' })).ok).toBe(true)
    await demo.runtime.sandbox!.semble.control.setOffline(true)

    const { page, problems } = await demo.page({ bypassCSP: true })
    await page.getByRole('button', { name: 'Outage kit' }).click()
    await page.getByRole('heading', { name: /Outage kit/ }).waitFor()
    await page.getByLabel('Day').fill(date)
    const riverside = page.locator('section.outage-page[aria-label$=", Riverside Clinic"]')
    await riverside.first().waitFor({ timeout: 60_000 })
    // Riverside's list is Frontdesk's copy, and says so.
    await page.getByText(/Riverside Clinic: Frontdesk’s copy/).waitFor()
    expect(await riverside.count()).toBeGreaterThan(1)
    const firstPage = riverside.first()
    await expect(firstPage.getByRole('heading', { level: 3 }).textContent()).resolves.toMatch(
      /^(Dr|Mr|Mrs|Ms) /,
    )
    const rows = firstPage.locator('tbody tr')
    expect(await rows.count()).toBeGreaterThan(0)
    const row = (await rows.first().textContent())!
    expect(row).toMatch(/^\d\d:\d\d–\d\d:\d\d/)
    expect(row).toMatch(/Born \d{1,2} \w{3} \d{4} \(\d+\)/)
    expect(row).toMatch(/NHS \d{3} \d{3} \d{4}|Riverside Clinic /)
    expect(row).toMatch(/07\d{3} \d{6}/) // phone
    expect(await firstPage.locator('tbody tr td:nth-child(4)').first().textContent()).not.toBe('—') // type
    await page.getByText('Riverside Clinic is offline').first().waitFor()
    // One practitioner per printed page.
    await page.emulateMedia({ media: 'print' })
    const breaks = (await page.evaluate(
      "[...document.querySelectorAll('section.outage-page')].slice(0, -1).map((e) => getComputedStyle(e).breakAfter)",
    )) as string[]
    expect(new Set(breaks)).toEqual(new Set(['page']))
    expect(await page.locator('nav.nav').isVisible()).toBe(false)
    expect(await page.getByText('Riverside Clinic is offline').first().isVisible()).toBe(false)
    await page.screenshot({ path: screenshotPath('outage-kit-print') })
    await page.emulateMedia({ media: 'screen' })
    await expect(page.getByRole('button', { name: 'Print / Save as PDF' }).isEnabled()).resolves.toBe(true)
    await page.screenshot({ path: screenshotPath('outage-kit') })
    expect(await seriousViolations(page)).toEqual([])
    expect(problems).toEqual([])
  }, 240_000)
})
