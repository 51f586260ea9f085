/**
 * Readable lanes: a lane holding appointments that overlap is widened so each side-by-side card
 * keeps room for its time and name, and the day book scrolls sideways instead of squeezing; the
 * time column and the lane headers stay in view while it scrolls. At the three reception sizes.
 */
import { randomUUID } from 'node:crypto'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { card, cachedPatients, ok, RIVERSIDE, screenSizes, scrollToCard } from '../support/desk'
import { screenshot, startDemoHost, type DemoHost } from '../support/e2e'
import { until } from '../support/until'

/** What a side-by-side card must keep: "09:30 SURNAME, First" at the card's font size. */
const READABLE = 170

let demo: DemoHost
let page: Page
let problems: string[]
const cluster: string[] = []

beforeAll(async () => {
  demo = await startDemoHost({ patients: 200, name: 'desk-lanes' })
  const patients = cachedPatients(demo)
  const ref = await ok<{ practitioners: { ref: string }[]; appointmentTypes: { ref: string }[] }>(
    demo,
    'reference.get',
    { connectionId: RIVERSIDE },
  )
  // Four appointments at the same time with one clinician (a double-booked hour, as a clinic
  // system may hold): Frontdesk's copy has them as they are.
  const start = new Date(demo.clock.now().getTime() + 90 * 60_000)
  start.setUTCMinutes(0, 0, 0)
  for (let i = 0; i < 4; i++) {
    const id = randomUUID()
    demo.runtime.cache.putAppointment(
      id,
      {
        connectionId: RIVERSIDE,
        status: 'booked',
        start: start.toISOString(),
        end: new Date(start.getTime() + (30 + 15 * i) * 60_000).toISOString(),
        practitionerRef: ref.practitioners[0]!.ref,
        appointmentTypeRef: ref.appointmentTypes[0]!.ref,
      },
      patients[40 + i]!,
    )
    cluster.push(id)
  }
  ;({ page, problems } = await demo.page())
  await page.getByTestId('day-grid').waitFor({ timeout: 90_000 })
}, 120_000)

afterAll(async () => {
  await demo?.close()
})

/** Brings the card into view (the lanes scroll both ways). */
async function showCard(id: string) {
  await scrollToCard(page, id)
  await card(page, id).scrollIntoViewIfNeeded()
}

const widthOf = (id: string): Promise<number> =>
  card(page, id).evaluate((el) => el.closest('li')!.getBoundingClientRect().width)

describe('lanes keep a readable width', () => {
  it('widens a lane for overlapping appointments instead of squeezing them, and scrolls sideways', async () => {
    for (const size of screenSizes) {
      await page.setViewportSize(size)
      await showCard(cluster[0]!)
      for (const id of cluster) await card(page, id).waitFor()
      const widths = await Promise.all(cluster.map(widthOf))
      expect(
        widths.every((w) => w >= READABLE),
        `side-by-side cards at ${size.width}×${size.height}: ${widths.map(Math.round).join(', ')} px`,
      ).toBe(true)
      // Every lane drawn is at least a lane wide, and the day book scrolls rather than squeezes.
      const laneWidths = await page
        .locator('.day-lane')
        .evaluateAll((els) => els.map((e) => e.getBoundingClientRect().width))
      expect(Math.min(...laneWidths)).toBeGreaterThanOrEqual(220)
      const grid = page.getByTestId('day-grid')
      expect(await grid.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true)
      await screenshot(page, `desk-lanes-overlap-${size.width}x${size.height}`)

      // Scrolled across and down: the time column and the lane headers are still in view.
      await grid.evaluate((el) => el.scrollTo({ left: el.scrollWidth, top: el.scrollHeight / 2 }))
      await until('scrolled', async () => grid.evaluate((el) => el.scrollLeft > 0 && el.scrollTop > 0))
      const look = () =>
        grid.evaluate((el) => {
          const box = el.getBoundingClientRect()
          const gutter = el.querySelector('.day-gutter')!.getBoundingClientRect()
          const heads = [...el.querySelectorAll('.day-lane-head')]
            .map((h) => h.getBoundingClientRect())
            .filter((r) => r.right > box.left + gutter.width && r.left < box.right)
          return {
            gutterLeft: gutter.left - box.left,
            headsTop: heads.map((r) => r.top - box.top),
          }
        })
      // The lanes now in view are drawn a frame after the scroll.
      await until('lanes in view are drawn', async () => (await look()).headsTop.length > 0)
      const seen = await look()
      expect(seen.gutterLeft).toBeLessThanOrEqual(2)
      expect(seen.headsTop.length).toBeGreaterThan(0)
      expect(seen.headsTop.every((t) => t >= 0 && t <= 2)).toBe(true)
      await screenshot(page, `desk-lanes-scrolled-${size.width}x${size.height}`)
    }
    await page.setViewportSize({ width: 1440, height: 900 })
  })

  it('logged nothing unexpected', () => {
    expect(problems).toEqual([])
  })
})
