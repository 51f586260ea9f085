/**
 * A booking made at the clinic system itself (its own screens, online booking) reaches the open day
 * book when the background refresh brings it in: the refresh's progress event re-reads the day,
 * and nothing in the page polls (test/unit/lint/no-polling.test.ts). Reference data is asked once a
 * session for each connection, whichever screens need it, and again only when the refresh re-reads it.
 */
import { randomUUID } from 'node:crypto'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { card, drawer, firstTypeRef, freeClinician, openCard, RIVERSIDE, scrollToCard } from '../support/desk'
import { startDemoHost, type DemoHost } from '../support/e2e'
import { until } from '../support/until'

let demo: DemoHost
let page: Page

beforeAll(async () => {
  demo = await startDemoHost({ patients: 200, name: 'desk-refresh' })
  ;({ page } = await demo.page())
  await page.getByTestId('day-grid').waitFor({ timeout: 90_000 })
}, 180_000)

afterAll(async () => {
  await demo?.close()
})

/**
 * Books `minutesAhead` from now (to the 5 minutes) at Semble directly, as its own screens would:
 * Frontdesk's copy does not know it yet. Answers its ref and a look-up of its id in the copy.
 */
async function bookedAtSemble(minutesAhead: number, patientIndex: number) {
  const start = new Date(Math.floor((demo.clock.now().getTime() + minutesAhead * 60_000) / 300_000) * 300_000)
  const end = new Date(start.getTime() + 15 * 60_000)
  const patient = demo.runtime.db
    .prepare(
      `SELECT ref FROM patients WHERE connection_id = ? AND ref IS NOT NULL ORDER BY id LIMIT 1 OFFSET ?`,
    )
    .pluck()
    .get(RIVERSIDE, patientIndex) as string
  const booked = await demo.runtime.adapters.get(RIVERSIDE).book!({
    clientRef: randomUUID(),
    patientRef: patient,
    appointmentTypeRef: await firstTypeRef(demo),
    ...(await freeClinician(demo, start.toISOString(), end.toISOString())),
    start: start.toISOString(),
    end: end.toISOString(),
  })
  const inCopy = () =>
    demo.runtime.db
      .prepare(`SELECT id FROM appointments WHERE connection_id = ? AND ref = ?`)
      .pluck()
      .get(RIVERSIDE, booked.ref) as string | undefined
  return { ref: booked.ref!, start, inCopy }
}

/**
 * A refresh already under way (the one at start) is joined and may have read the day before a
 * change at Semble: ask until one has brought it in, as the two-minute timer would.
 */
const refreshUntil = (what: string, done: () => boolean | Promise<boolean>) =>
  until(
    what,
    async () => {
      await demo.runtime.refresh.refreshToday(RIVERSIDE)
      return done()
    },
    60_000,
    200,
  )

describe('the day book and the background refresh', () => {
  it('shows a booking made at the clinic system once the refresh brings it in', async () => {
    const { inCopy } = await bookedAtSemble(50, 0)
    expect(inCopy()).toBeUndefined()
    await refreshUntil('the booking in the copy', () => inCopy() !== undefined)
    // The page was told: the card is drawn without a reload or any action on the page.
    await openCard(page, inCopy()!)
  })
})

describe('keyboard focus in the day book', () => {
  it('stays on an appointment when the one it was on leaves the day at a re-read', async () => {
    const { ref, start, inCopy } = await bookedAtSemble(80, 1)
    await refreshUntil('the booking in the copy', () => inCopy() !== undefined)
    const id = inCopy()!
    await scrollToCard(page, id)
    await card(page, id).focus()
    const focused = () => page.evaluate("document.activeElement?.getAttribute('data-appointment-id') ?? null")
    expect(await focused()).toBe(id)

    // Moved to tomorrow at the clinic system: the re-read takes the focused card off this day.
    const tomorrow = new Date(start.getTime() + 24 * 3_600_000)
    const tomorrowEnd = new Date(tomorrow.getTime() + 15 * 60_000)
    const { practitionerRef } = await freeClinician(demo, tomorrow.toISOString(), tomorrowEnd.toISOString())
    await demo.runtime.adapters.get(RIVERSIDE).reschedule!({
      clientRef: randomUUID(),
      ref,
      start: tomorrow.toISOString(),
      end: tomorrowEnd.toISOString(),
      practitionerRef,
    })
    await refreshUntil('the card off the day', async () => (await card(page, id).count()) === 0)
    // Focus is on an appointment still, not dropped on the page, so the arrow keys go on working.
    await until('focus on an appointment', async () => (await focused()) !== null, 5_000, 50)
    const before = await focused()
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('ArrowRight')
    const after = await focused()
    expect(after).not.toBeNull()
    expect(after).not.toBe(before)
  })
})

describe('reference data in the page', () => {
  it('is asked once a connection, whichever screens need it, and again when the refresh re-reads it', async () => {
    // Every reference.get the page makes, by connection, from a fresh load of the app.
    const asked = new Map<string, number>()
    page.on('request', (r) => {
      if (!r.url().endsWith('/api/call/reference.get')) return
      const { connectionId } = JSON.parse(r.postData() ?? '{}') as { connectionId: string }
      asked.set(connectionId, (asked.get(connectionId) ?? 0) + 1)
    })
    await page.reload()
    const nav = page.getByRole('navigation', { name: 'Main' })

    // The day book (every connection's lanes) and an appointment's drawer (what it can do).
    await page.getByTestId('day-grid').locator('[data-appointment-id]').first().click()
    await drawer(page).getByRole('button', { name: 'Close appointment' }).click()
    // A patient card and its booking dialog.
    const nhs = demo.runtime.db
      .prepare(`SELECT nhs_number FROM patients WHERE connection_id = ? AND nhs_number IS NOT NULL LIMIT 1`)
      .pluck()
      .get(RIVERSIDE) as string
    await page.locator('#global-search-input').fill(nhs)
    await page.getByRole('listbox', { name: 'Patients found' }).getByRole('option').first().waitFor()
    await page.keyboard.press('Enter')
    const card = page.getByTestId('patient-card')
    await card.getByRole('button', { name: 'Book an appointment' }).click()
    const dialog = page.getByRole('dialog', { name: 'Book an appointment' })
    await dialog.getByLabel('Appointment type').locator('option').nth(1).waitFor({ state: 'attached' })
    await page.keyboard.press('Escape')
    // The outage kit (every connection's day), then the day book again.
    await nav.getByRole('button', { name: 'Outage kit' }).click()
    await page
      .getByRole('heading', { name: /Outage kit/ })
      .first()
      .waitFor()
    await nav.getByRole('button', { name: 'Today' }).click()
    await page.getByTestId('day-grid').waitFor()

    const connections = demo.runtime.connections.list().map((c) => c.id)
    await until('every connection asked for', () => connections.every((c) => asked.has(c)), 30_000, 50)
    expect(Object.fromEntries(asked)).toEqual(Object.fromEntries(connections.map((c) => [c, 1])))

    // A full refresh of one connection re-reads its reference data: the page asks for that one again.
    await demo.runtime.refresh.refreshNow(RIVERSIDE)
    await until('Riverside asked again', () => asked.get(RIVERSIDE) === 2, 30_000, 50)
    expect(Object.fromEntries(asked)).toEqual(
      Object.fromEntries(connections.map((c) => [c, c === RIVERSIDE ? 2 : 1])),
    )
  })
})
