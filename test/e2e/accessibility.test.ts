/**
 * Accessibility sweep: every screen the main navigation reaches (whoever built it) is scanned with
 * axe-core for serious and critical violations and photographed into test-results/, once with all
 * clinic systems online and once with one offline and a change waiting (banner, badge, queue rows).
 * The navigation itself works from the keyboard, with a visible focus ring.
 */
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Slot } from '../../src/shared/model'
import { until } from '../support/until'
import {
  screenshot,
  seriousViolations,
  startDemoHost,
  type AxeViolation,
  type DemoHost,
} from '../support/e2e'

const CONNECTION = 'demo-semble'
let demo: DemoHost
let page: Page
let problems: string[]

const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')

const describeViolations = (vs: AxeViolation[]) =>
  vs.map((v) => `${v.impact} ${v.id}: ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)

/** The names of the navigation's buttons, without badge counts. */
async function navLabels(p: Page): Promise<string[]> {
  const nav = p.getByRole('navigation', { name: 'Main' })
  const buttons = nav.getByRole('button')
  await buttons.first().waitFor()
  return buttons.evaluateAll((els) =>
    els.map((el) => (el.firstChild?.textContent ?? el.textContent ?? '').trim()),
  )
}

/** Opens each screen from the navigation, lets it settle, scans and photographs it. */
async function sweep(p: Page, suffix: string) {
  const labels = await navLabels(p)
  expect(labels).toEqual(expect.arrayContaining(['Queue', 'Settings', 'Audit log', 'Status']))
  const found: Record<string, string[]> = {}
  for (const label of labels) {
    const button = p.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: label })
    await button.first().click()
    await expect(button.first().getAttribute('aria-current')).resolves.toBe('page')
    // Let data arrive: no "Loading…" or "Checking…" left in the main area, and the screen's text
    // the same on two looks in a row (nothing still filling in).
    let last = ''
    await until(
      `${label} settled`,
      async () => {
        const text = (await p.locator('#main').textContent()) ?? ''
        const settled = text === last && !/Loading…|Checking…/.test(text)
        last = text
        return settled
      },
      30_000,
      250,
    )
    const violations = await seriousViolations(p)
    if (violations.length) found[label] = describeViolations(violations)
    await screenshot(p, `screen-${slug(label)}${suffix}`)
  }
  return { labels, found }
}

beforeAll(async () => {
  demo = await startDemoHost({ patients: 200, name: 'a11y' })
  ;({ page, problems } = await demo.page({ bypassCSP: true }))
  await page.getByText('All clinic systems online').waitFor({ timeout: 20_000 })
})

afterAll(async () => {
  await demo?.runtime.sandbox?.semble.control.setOffline(false)
  await demo?.close()
})

describe('accessibility of every main screen', () => {
  it('has no serious or critical axe violations on any screen reachable from the navigation', async () => {
    const { labels, found } = await sweep(page, '')
    expect(labels.length).toBeGreaterThanOrEqual(4)
    expect(found).toEqual({})
  })

  it('stays clean with a clinic system offline and a change waiting', async () => {
    const adapter = demo.runtime.adapters.get(CONNECTION)
    const [types, locations, found] = await Promise.all([
      adapter.listAppointmentTypes!(),
      adapter.listLocations!(),
      adapter.findPatients!({ text: '', limit: 1 }),
    ])
    const typeRef = types.find((t) => t.lengthMinutes <= 30)!.ref
    const from = new Date(demo.clock.now().getTime() + 4 * 24 * 3600_000)
    const [slot] = (await adapter.findSlots!({
      from: from.toISOString(),
      to: new Date(from.getTime() + 2 * 24 * 3600_000).toISOString(),
      appointmentTypeRef: typeRef,
      locationRef: locations[0]!.ref,
    })) as Slot[]
    await demo.runtime.sandbox!.semble.control.setOffline(true)
    const r = await demo.runtime.dispatch('appointments.book', {
      connectionId: CONNECTION,
      patientId: demo.runtime.cache.upsertPatient(found[0]!),
      appointmentTypeRef: typeRef,
      practitionerRef: slot!.practitionerRef!,
      locationRef: locations[0]!.ref,
      start: slot!.start,
      end: slot!.end,
    })
    expect(r.ok).toBe(true)
    await page.getByTestId('offline-banner').waitFor({ timeout: 20_000 })
    const { found: violations } = await sweep(page, '-offline')
    expect(violations).toEqual({})
    await demo.runtime.sandbox!.semble.control.setOffline(false)
    await page.getByText('All clinic systems online').waitFor({ timeout: 30_000 })
  })

  it('stays clean with the search popup open (a misspelt name too), a filtered day book and a week', async () => {
    const surname = demo.runtime.db
      .prepare(`SELECT family_name FROM patients WHERE connection_id = ? AND length(family_name) > 5 LIMIT 1`)
      .pluck()
      .get(CONNECTION) as string
    const found: Record<string, string[]> = {}
    const scan = async (what: string) => {
      const v = await seriousViolations(page)
      if (v.length) found[what] = describeViolations(v)
      await screenshot(page, `a11y-${slug(what)}`)
    }
    const search = page.locator('#global-search-input')
    await search.fill(surname)
    await page.getByRole('listbox').first().getByRole('option').first().waitFor({ timeout: 20_000 })
    await scan('search popup')
    // One letter swapped: the "Did you mean" line and the similar names.
    await search.fill(surname.slice(0, 2) + surname[3] + surname[2] + surname.slice(4))
    await page
      .getByText(/Did you mean/)
      .first()
      .waitFor({ timeout: 20_000 })
    await scan('search popup, did you mean')
    await search.press('Escape')

    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Today' }).click()
    const practitioner = page.getByLabel('Practitioner', { exact: true })
    const first = await practitioner.locator('option').nth(1).getAttribute('value')
    await practitioner.selectOption(first!)
    await page.getByTestId('filter-count').waitFor()
    await scan('day book filtered')
    await page.getByRole('button', { name: 'Week', exact: true }).click()
    await page.getByText(/ this week$/).waitFor({ timeout: 30_000 })
    await scan('week')
    await page.getByRole('button', { name: 'Day', exact: true }).click()
    await page.getByRole('button', { name: 'Show all' }).click()
    expect(found).toEqual({})
  })

  it('reaches every screen from the keyboard with a visible focus ring', async () => {
    const labels = await navLabels(page)
    // Reach the navigation by keyboard (Tab from the search box), as :focus-visible expects.
    await page.locator('#global-search-input').focus()
    const isFocused = () =>
      page.evaluate(
        `document.activeElement === document.querySelector('nav[aria-label="Main"] button')`,
      ) as Promise<boolean>
    for (let n = 0; n < 10 && !(await isFocused()); n++) await page.keyboard.press('Tab')
    for (let i = 0; i < labels.length; i++) {
      // A string: the test compiles without DOM types; this runs in the page.
      const focused = (await page.evaluate(`(() => {
        const el = document.activeElement
        const style = getComputedStyle(el)
        const box = el.getBoundingClientRect()
        return {
          text: (el.firstChild?.textContent ?? '').trim(),
          outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
          height: box.height,
        }
      })()`)) as { text: string; outline: boolean; height: number }
      expect(focused.text).toBe(labels[i])
      expect(focused.outline, `${labels[i]} shows where the focus is`).toBe(true)
      expect(focused.height).toBeGreaterThanOrEqual(44)
      await page.keyboard.press('Enter')
      await expect(
        page
          .getByRole('navigation', { name: 'Main' })
          .getByRole('button', { name: labels[i] })
          .first()
          .getAttribute('aria-current'),
      ).resolves.toBe('page')
      await page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('button', { name: labels[i] })
        .first()
        .focus()
      await page.keyboard.press('Tab')
    }
    // Alt+number opens my screens from anywhere.
    for (const [key, label] of [
      ['3', 'Queue'],
      ['4', 'Settings'],
      ['5', 'Audit log'],
    ] as const) {
      await page.locator('body').click({ position: { x: 5, y: 5 } })
      await page.keyboard.press(`Alt+${key}`)
      await expect(
        page
          .getByRole('navigation', { name: 'Main' })
          .getByRole('button', { name: label })
          .first()
          .getAttribute('aria-current'),
      ).resolves.toBe('page')
    }
    expect(problems).toEqual([])
  })
})
