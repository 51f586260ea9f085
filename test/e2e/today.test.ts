/**
 * The day book as a receptionist uses it: open Today, move with the arrow keys, open an
 * appointment, check one in, cancel one with a reason, move one to another slot, then lose Semble,
 * mark a no-show while it is away and see it sent exactly once when it is back.
 */
import type { Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AppointmentView } from '../../src/shared/contract'
import { screenshot, seriousViolations, startDemoHost, type DemoHost } from '../support/e2e'

let demo: DemoHost
let page: Page
let problems: string[]

beforeAll(async () => {
  demo = await startDemoHost({ patients: 200, name: 'today' })
  ;({ page, problems } = await demo.page({ bypassCSP: true }))
})

afterAll(async () => {
  await demo?.close()
})

const semble = () => demo.runtime.sandbox!.semble.control
const drawer = () => page.getByTestId('appointment-drawer')
const toasts = () => page.getByTestId('toasts')

/** Booked Semble (Riverside Clinic) appointments on the screen, as card buttons. */
const bookedRiverside = () =>
  page.locator('section[aria-label$="Riverside Clinic"] button[data-appointment-id][data-status="booked"]')

/** The appointment id of the element with keyboard focus. */
const activeId = () => page.evaluate("document.activeElement?.getAttribute('data-appointment-id')")

async function idOf(card: Locator): Promise<string> {
  return (await card.getAttribute('data-appointment-id'))!
}

/** The appointment's card, by id; clicking it opens the drawer. */
const card = (id: string) => page.locator(`[data-appointment-id="${id}"]`)

async function openBooked(skip: string[]): Promise<string> {
  const cards = bookedRiverside()
  const n = await cards.count()
  for (let i = 0; i < n; i++) {
    const id = await idOf(cards.nth(i))
    if (skip.includes(id)) continue
    await cards.nth(i).scrollIntoViewIfNeeded()
    await cards.nth(i).click()
    await drawer().waitFor()
    return id
  }
  throw new Error('no booked Riverside appointment left on the screen')
}

async function appointment(id: string): Promise<AppointmentView> {
  const r = await demo.runtime.dispatch('appointments.get', { appointmentId: id })
  if (!r.ok) throw new Error(r.error.message)
  return r.value as AppointmentView
}

describe('Today, the day book', () => {
  const used: string[] = []

  it('shows the demo clinic’s appointments by practitioner, in the clinic’s zone', async () => {
    await page.getByTestId('day-grid').waitFor()
    await expect(page.getByRole('heading', { level: 2 }).first().textContent()).resolves.toMatch(/^Today, /)
    // Clinics are closed at weekends: go forward to the next day Riverside has bookings.
    for (let i = 0; i < 7; i++) {
      await page.getByText(/appointments? across/).waitFor({ timeout: 90_000 })
      await page.waitForTimeout(300)
      if ((await bookedRiverside().count()) > 0) break
      await page.getByRole('button', { name: 'Next day' }).click()
    }
    await bookedRiverside().first().waitFor({ timeout: 20_000 })
    await expect(page.getByText('Times in Europe/London').isVisible()).resolves.toBe(true)
    await expect(page.locator('section[aria-label$="Riverside Clinic"]').count()).resolves.toBeGreaterThan(0)
    // A card names the time, the patient and the status for a screen reader.
    const name = (await bookedRiverside().first().getAttribute('aria-label'))!
    expect(name).toMatch(/^\d\d:\d\d, [A-Z' -]+, .+Booked, until \d\d:\d\d, born \d{1,2} \w{3} \d{4}, with /)
    // Only the lanes in view (plus a few either side) are in the page; scrolling brings the rest.
    const lanes = page.locator('section.day-lane')
    const total = Number(
      (await page.getByText(/appointments? across/).textContent())!.match(/across (\d+) columns/)![1],
    )
    expect(total).toBeGreaterThan(12)
    expect(await lanes.count()).toBeLessThan(total)
    await screenshot(page, 'today')
    expect(await seriousViolations(page)).toEqual([])
    await page.getByTestId('day-grid').evaluate((el) => el.scrollTo({ left: el.scrollWidth }))
    await page.locator('section.day-lane[aria-label$="Heim home visits"]').first().waitFor()
    await page.getByTestId('day-grid').evaluate((el) => el.scrollTo({ left: 0 }))
    await page.locator('section.day-lane').first().waitFor()
  }, 240_000)

  it('moves between appointments with the arrow keys and opens one with Enter', async () => {
    const first = page.locator('button[data-appointment-id][tabindex="0"]')
    await first.focus()
    const start = await activeId()
    expect(start).toBeTruthy()
    await page.keyboard.press('ArrowDown')
    const down = await activeId()
    expect(down).toBeTruthy()
    expect(down).not.toBe(start)
    const laneOf = () =>
      page.evaluate("document.activeElement?.closest('section')?.getAttribute('aria-label') ?? null")
    const laneBefore = await laneOf()
    await page.keyboard.press('ArrowRight')
    const laneAfter = await laneOf()
    expect(laneAfter).toBeTruthy()
    expect(laneAfter).not.toBe(laneBefore)
    await page.keyboard.press('ArrowUp')
    await page.keyboard.press('ArrowLeft')
    expect(await page.evaluate("document.activeElement?.hasAttribute('data-appointment-id')")).toBe(true)
    await page.keyboard.press('Enter')
    await drawer().waitFor()
    await expect(drawer().locator('.identity-dob').textContent()).resolves.toMatch(/Born \d{1,2} \w{3} \d{4}/)
    await screenshot(page, 'today-drawer')
    expect(await seriousViolations(page)).toEqual([])
    // Escape closes it and puts focus back on the appointment.
    await page.keyboard.press('Escape')
    await drawer().waitFor({ state: 'detached' })
    expect(await page.evaluate("document.activeElement?.hasAttribute('data-appointment-id')")).toBe(true)
  })

  it('checks a patient in and says so', async () => {
    const id = await openBooked(used)
    used.push(id)
    await drawer().getByRole('button', { name: 'Arrived' }).click()
    await toasts()
      .getByText(/^Checked in: .+ — sending to Riverside Clinic now\.$/)
      .waitFor()
    await drawer().getByTestId('drawer-status').getByText('Arrived').waitFor()
    await expect(card(id).getAttribute('data-status')).resolves.toBe('arrived')
    await expect(card(id).getAttribute('aria-label')).resolves.toContain('Arrived')
    // Once arrived, arrival and no-show are no longer offered, and the drawer says why.
    await expect(drawer().getByRole('button', { name: 'No-show' }).isDisabled()).resolves.toBe(true)
    await drawer().getByText('Not possible: this appointment is arrived.').first().waitFor()
    await drawer().getByRole('button', { name: 'Close appointment' }).click()
  })

  it('offers only what the clinic system can do, and says why (Hero records no arrivals)', async () => {
    const hero = page.locator(
      'section[aria-label$="Hillside Surgery"] button[data-appointment-id][data-status="booked"]',
    )
    // Lanes are windowed: scroll across until Hillside Surgery's are in the page.
    const grid = page.getByTestId('day-grid')
    for (let i = 0; i < 60 && (await hero.count()) === 0; i++) {
      await grid.evaluate((el) => el.scrollBy({ left: 400 }))
      await page.waitForTimeout(100)
    }
    await hero.first().scrollIntoViewIfNeeded()
    await hero.first().click()
    await drawer().waitFor()
    await expect.poll(() => drawer().getByRole('button', { name: 'Arrived' }).isDisabled()).toBe(true)
    await drawer()
      .getByText('Hero does not record arrivals; record them in the clinical system.')
      .first()
      .waitFor()
    await expect(drawer().getByRole('button', { name: 'Cancel appointment…' }).isDisabled()).resolves.toBe(
      false,
    )
    await drawer().getByRole('button', { name: 'Close appointment' }).click()
    await grid.evaluate((el) => el.scrollTo({ left: 0 }))
    await bookedRiverside().first().waitFor()
  })

  it('cancels one with a reason', async () => {
    const id = await openBooked(used)
    used.push(id)
    await drawer().getByRole('button', { name: 'Cancel appointment…' }).click()
    const confirm = drawer().getByRole('button', { name: 'Cancel appointment', exact: true })
    await expect(confirm.isDisabled()).resolves.toBe(true) // a reason is required
    await drawer().getByRole('button', { name: 'Patient unwell' }).click()
    await expect(drawer().getByLabel('Reason (required)').inputValue()).resolves.toBe('Patient unwell')
    await confirm.click()
    await toasts()
      .getByText(/^Cancelled: .+ — sending to Riverside Clinic now\.$/)
      .waitFor()
    await drawer().getByTestId('drawer-status').getByText('Cancelled').waitFor()
    await drawer().getByRole('button', { name: 'Close appointment' }).click()
    await expect.poll(async () => (await appointment(id)).sync, { timeout: 15_000 }).toBe('synced')
    const ref = (await appointment(id)).ref!
    const deletes = semble()
      .writes()
      .filter((w) => /delete/i.test(w.operation) && JSON.stringify(w.input).includes(ref))
    expect(deletes.length).toBe(1)
  })

  it('reschedules one by choosing another slot', async () => {
    const id = await openBooked(used)
    used.push(id)
    const before = await appointment(id)
    await drawer().getByRole('button', { name: 'Reschedule…' }).click()
    const finder = page.getByTestId('slot-finder')
    await finder.waitFor()
    const slot = finder.locator('.slot-button').first()
    await slot.waitFor({ timeout: 20_000 })
    await screenshot(page, 'today-reschedule')
    const v = await seriousViolations(page)
    expect(v.map((x) => `${x.id}: ${x.nodes.map((n) => n.target.join(' ')).join(' | ')}`)).toEqual([])
    await slot.click()
    await finder.getByRole('button', { name: /^Move to / }).click()
    await toasts()
      .getByText(/^Moved: .+ — sending to Riverside Clinic now\.$/)
      .waitFor()
    await expect.poll(async () => (await appointment(id)).start, { timeout: 10_000 }).not.toBe(before.start)
    await drawer()
      .getByRole('button', { name: 'Close appointment' })
      .click()
      .catch(() => undefined)
  })

  it('marks a no-show while Semble is offline, shows it queued, and sends it exactly once when back', async () => {
    await semble().setOffline(true)
    // The receptionist refreshes: Frontdesk notices, says so, and shows its own copy.
    await page.getByRole('button', { name: 'Refresh' }).click()
    await page.getByText('Riverside Clinic is offline').first().waitFor({ timeout: 15_000 })
    await page
      .getByTestId('cache-notice')
      .getByText(/Riverside Clinic: showing Frontdesk’s copy/)
      .waitFor()

    const id = await openBooked(used)
    used.push(id)
    await drawer().getByRole('button', { name: 'No-show' }).click()
    await toasts()
      .getByText(/^Marked as no-show: .+ — will be sent when Riverside Clinic is back online\.$/)
      .waitFor()
    await drawer()
      .getByTestId('drawer-sync')
      .getByText('Queued')
      .waitFor({ timeout: 5_000 })
      .catch(async (e: unknown) => {
        await screenshot(page, 'today-offline-failed')
        console.log(await drawer().textContent())
        throw e
      })
    await card(id).getByText('Queued').waitFor()
    await expect(card(id).getAttribute('data-status')).resolves.toBe('noshow')
    await expect(card(id).getAttribute('aria-label')).resolves.toMatch(/(No-show, Queued|Queued, .*No-show), /)
    await screenshot(page, 'today-offline')
    expect(
      semble()
        .writes()
        .filter((w) => /journey/i.test(w.operation) && JSON.stringify(w.input).includes('dna')),
    ).toEqual([])

    await semble().setOffline(false)
    await drawer()
      .getByTestId('drawer-sync')
      .getByText('The clinic system has this.')
      .waitFor({ timeout: 20_000 })
    await expect(card(id).getByText('Queued').count()).resolves.toBe(0)
    const ref = (await appointment(id)).ref!
    const dna = semble()
      .writes()
      .filter(
        (w) =>
          /journey/i.test(w.operation) && w.outcome === 'applied' && JSON.stringify(w.input).includes(ref),
      )
    expect(dna.length).toBe(1)
    expect(JSON.stringify(dna[0]!.input)).toContain('dna')
    await screenshot(page, 'today-back-online')
    expect(problems).toEqual([])
  })
})
