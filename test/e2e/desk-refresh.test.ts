/**
 * A booking made at the clinic system itself (its own screens, online booking) reaches the open day
 * book when the background refresh brings it in: the refresh's progress event re-reads the day,
 * and nothing in the page polls (test/unit/lint/no-polling.test.ts).
 */
import { randomUUID } from 'node:crypto'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { firstTypeRef, freeClinician, openCard, RIVERSIDE } from '../support/desk'
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

describe('the day book and the background refresh', () => {
  it('shows a booking made at the clinic system once the refresh brings it in', async () => {
    const start = new Date(Math.floor((demo.clock.now().getTime() + 50 * 60_000) / 300_000) * 300_000)
    const end = new Date(start.getTime() + 15 * 60_000)
    const clinician = await freeClinician(demo, start.toISOString(), end.toISOString())
    const patient = demo.runtime.db
      .prepare(`SELECT ref FROM patients WHERE connection_id = ? AND ref IS NOT NULL ORDER BY id LIMIT 1`)
      .pluck()
      .get(RIVERSIDE) as string
    // Booked at Semble directly: Frontdesk's copy does not know it yet.
    const booked = await demo.runtime.adapters.get(RIVERSIDE).book!({
      clientRef: randomUUID(),
      patientRef: patient,
      appointmentTypeRef: await firstTypeRef(demo),
      ...clinician,
      start: start.toISOString(),
      end: end.toISOString(),
    })
    const inCopy = () =>
      demo.runtime.db
        .prepare(`SELECT id FROM appointments WHERE connection_id = ? AND ref = ?`)
        .pluck()
        .get(RIVERSIDE, booked.ref) as string | undefined
    expect(inCopy()).toBeUndefined()

    // A refresh already under way (the one at start) is joined and may have read the day before
    // the booking: ask until one brings it in, as the two-minute timer would.
    await until(
      'the booking in the copy',
      async () => {
        await demo.runtime.refresh.refreshToday(RIVERSIDE)
        return inCopy() !== undefined
      },
      60_000,
      200,
    )
    const id = inCopy()
    // The page was told: the card is drawn without a reload or any action on the page.
    await openCard(page, id!)
  })
})
