/**
 * Readable lanes: a lane holding appointments that overlap is widened so each side-by-side card
 * keeps room for its time and name (a long name widens its lane), and the day book scrolls sideways
 * instead of squeezing; the time column and the lane headers stay in view while it scrolls. At the
 * three reception sizes.
 * Filters by site, practitioner and type, one practitioner's week (a card dragged to another day in
 * it; a clinician linked across clinic systems), and one lane for a linked clinician.
 */
import { randomUUID } from 'node:crypto'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AppointmentView, DayColumn } from '../../src/shared/contract'
import {
  bookAt,
  card,
  cachedPatients,
  patientsInCopy,
  drawer,
  ok,
  RIVERSIDE,
  screenSizes,
  screenshotsAtSizes,
  scrollToCard,
  clickCard,
} from '../support/desk'
import { screenshot, startDemoHost, type DemoHost } from '../support/e2e'
import { until } from '../support/until'

/** What a side-by-side card must keep: "09:30 SURNAME, First" at the card's font size. */
const READABLE = 210

let demo: DemoHost
let page: Page
let problems: string[]
const cluster: string[] = []
let practitionerRef = ''
let typeRef = ''
let clusterStart: Date
/** An appointment for a patient whose name is longer than the widest lane (MAX_COLUMN_WIDTH). */
let overlongId = ''
const OVERLONG = {
  familyName: 'Wolfeschlegelsteinhausenbergerdorff-Featherstonehaugh',
  givenName: 'Hubert Blaine',
}
const overlongName = `${OVERLONG.familyName.toUpperCase()}, ${OVERLONG.givenName}`

beforeAll(async () => {
  demo = await startDemoHost({ patients: 200, name: 'desk-lanes' })
  // The cluster's patients must be in the copy (a busy machine may still be filling it), or their
  // cards would be of unknown patients, which cannot be moved.
  await patientsInCopy(demo, 100)
  // The cluster's four are the Riverside patients with the longest names, so their side-by-side
  // columns have to be widened for them.
  const longNamed = demo.runtime.db
    .prepare(
      `SELECT id FROM patients WHERE connection_id = ?
         ORDER BY length(family_name) + length(given_name) DESC, id LIMIT 4`,
    )
    .pluck()
    .all(RIVERSIDE) as string[]
  const ref = await ok<{ practitioners: { ref: string }[]; appointmentTypes: { ref: string }[] }>(
    demo,
    'reference.get',
    { connectionId: RIVERSIDE },
  )
  // Four appointments at the same time with one clinician (a double-booked hour, as a clinic
  // system may hold): Frontdesk's copy has them as they are.
  const start = new Date(demo.clock.now().getTime() + 90 * 60_000)
  start.setUTCMinutes(0, 0, 0)
  clusterStart = start
  practitionerRef = ref.practitioners[0]!.ref
  typeRef = ref.appointmentTypes[0]!.ref
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
      longNamed[i]!,
    )
    cluster.push(id)
  }
  // One patient renamed, at the clinic system and in the copy alike (a refresh keeps the name), to a
  // name no lane is widened for, booked with another clinician later that morning.
  const renamed = cachedPatients(demo).find((id) => !longNamed.includes(id))!
  const row = demo.runtime.cache.patientRow(renamed)!
  const simulated = demo.runtime.sandbox!.semble.control.state.patients.get(row.ref!)!
  simulated.lastName = OVERLONG.familyName
  simulated.firstName = OVERLONG.givenName
  demo.runtime.cache.upsertPatient({
    id: row.id,
    connectionId: RIVERSIDE,
    ref: row.ref!,
    givenName: OVERLONG.givenName,
    familyName: OVERLONG.familyName,
    birthDate: row.birth_date,
  })
  overlongId = randomUUID()
  const later = new Date(start.getTime() + 60 * 60_000)
  demo.runtime.cache.putAppointment(
    overlongId,
    {
      connectionId: RIVERSIDE,
      status: 'booked',
      start: later.toISOString(),
      end: new Date(later.getTime() + 15 * 60_000).toISOString(),
      practitionerRef: ref.practitioners[1]!.ref,
      appointmentTypeRef: ref.appointmentTypes[0]!.ref,
    },
    renamed,
  )
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
      expect(Math.min(...laneWidths), `lane widths: ${laneWidths.join(', ')}`).toBeGreaterThanOrEqual(220)
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
      // The lanes are in the page in the order they are drawn, the one holding the tab stop (the
      // first lane's, now out of view) included: read and tabbed through left to right, and never
      // moved within the page as it scrolls, which reattached every lane in view.
      const lanes = await grid.evaluate((el) => ({
        viewLeft: el.getBoundingClientRect().left,
        lanes: [...el.querySelectorAll('.day-lane')].map((lane) => ({
          left: Math.round(lane.getBoundingClientRect().left),
          right: Math.round(lane.getBoundingClientRect().right),
          tabStop: lane.querySelector('[data-appointment-id][tabindex="0"]') !== null,
        })),
      }))
      const lefts = lanes.lanes.map((l) => l.left)
      const tabLane = lanes.lanes.find((l) => l.tabStop)
      expect(tabLane, 'the lane holding the tab stop is in the page').toBeDefined()
      expect(tabLane!.right, 'the lane holding the tab stop is out of view').toBeLessThanOrEqual(
        lanes.viewLeft,
      )
      expect(lefts, `lanes' lefts in page order: ${lefts.join(', ')}`).toEqual(
        [...lefts].sort((a, b) => a - b),
      )
      await screenshot(page, `desk-lanes-scrolled-${size.width}x${size.height}`)
    }
    await page.setViewportSize({ width: 1440, height: 900 })
  })
})

/** The lanes' spoken names, read over the whole width of the day book (lanes are drawn as they scroll into view). */
async function laneNames(): Promise<string[]> {
  const grid = page.getByTestId('day-grid')
  const names = new Set<string>()
  await grid.evaluate((el) => el.scrollTo({ left: 0, top: 0 }))
  for (;;) {
    for (const n of await page
      .locator('.day-lane')
      .evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? '')))
      names.add(n)
    const moved = await grid.evaluate((el) => {
      const left = el.scrollLeft
      el.scrollBy({ left: el.clientWidth / 2 })
      return el.scrollLeft !== left
    })
    if (!moved) break
    await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))')
  }
  return [...names]
}

const summary = () => page.getByTestId('filter-count').textContent()

/**
 * Each drawn card's time and name parts: what is shown of each against its whole width, and the
 * least the surname keeps before the first name is cut (3.5em of the card's font).
 */
const cardNames = () =>
  page.evaluate(`[...document.querySelectorAll('.day-card-name')].flatMap((el) => {
    const surname = el.querySelector('.day-card-surname')
    const given = el.querySelector('.day-card-given')
    const time = el.closest('.day-card')?.querySelector('.day-card-time')
    if (!surname || !given || !time) return []
    return [{
      text: el.textContent ?? '',
      id: el.closest('[data-appointment-id]')?.getAttribute('data-appointment-id') ?? '',
      time: { shown: time.clientWidth, whole: time.scrollWidth },
      surname: { shown: surname.clientWidth, whole: surname.scrollWidth },
      given: { shown: given.clientWidth, whole: given.scrollWidth },
      floor: parseFloat(getComputedStyle(el).fontSize) * 3.5,
    }]
  })`) as Promise<CardName[]>

interface CardName {
  text: string
  id: string
  time: { shown: number; whole: number }
  surname: { shown: number; whole: number }
  given: { shown: number; whole: number }
  floor: number
}

describe('cards keep the name readable', () => {
  it('shows every card’s time, surname and first name whole, widening a lane for a long name; a name longer than the widest lane is cut surname first', async () => {
    for (const size of screenSizes) {
      await page.setViewportSize(size)
      const seen = new Map<string, CardName>()
      // The cards around them come a few frames at a time: look again until more than these five
      // are drawn.
      await expect
        .poll(
          async () => {
            for (const id of [...cluster, overlongId]) {
              await showCard(id)
              await card(page, id).waitFor()
              for (const n of await cardNames()) seen.set(n.id, n)
            }
            return seen.size
          },
          { timeout: 30_000 },
        )
        .toBeGreaterThan(8)
      const names = [...seen.values()]
      const described = (n: CardName) =>
        `${n.text}: time ${n.time.shown}/${n.time.whole}, surname ${n.surname.shown}/${n.surname.whole}, first name ${n.given.shown}/${n.given.whole} px`
      const whole = (part: { shown: number; whole: number }) => part.whole <= part.shown + 1
      for (const n of names) {
        // Some of both, and the text read out is the whole name.
        expect(n.surname.shown, described(n)).toBeGreaterThan(0)
        expect(n.given.shown, described(n)).toBeGreaterThan(0)
        expect(n.text).toMatch(/^[^,]+, .+$/)
        expect(whole(n.time), described(n)).toBe(true)
        // (The renamed patient may have other appointments that day.)
        if (n.text === overlongName) continue
        // Every other card, the cluster's four longest names side by side included, shows it all.
        expect(whole(n.surname) && whole(n.given), described(n)).toBe(true)
      }
      // The name no lane is widened for: the surname gives way to its least before the first name.
      const overlong = seen.get(overlongId)!
      expect(overlong.text).toBe(overlongName)
      expect(whole(overlong.surname), described(overlong)).toBe(false)
      if (!whole(overlong.given))
        expect(overlong.surname.shown, described(overlong)).toBeLessThanOrEqual(
          Math.min(overlong.floor, overlong.surname.whole) + 1,
        )
    }
    await screenshotsAtSizes(page, 'desk-lanes-long-names')
  })
})

describe('filters and the week', () => {
  it('shows one site, one practitioner or one type, says how many of the day it shows, and keeps the choice across days', async () => {
    const today = await page.locator('.today-title').textContent()
    const day = await ok<DayColumn[]>(demo, 'appointments.day', {
      date: clusterStart.toISOString().slice(0, 10),
      connectionIds: [RIVERSIDE],
    })
    const riverside = day[0]!
    const who = riverside.practitioners.find((p) => p.ref === practitionerRef)!.name
    const theirs = riverside.appointments.filter((a) => a.practitionerRef === practitionerRef)

    await page.getByLabel('Practitioner', { exact: true }).selectOption(`${RIVERSIDE}|${practitionerRef}`)
    await until('only their lanes', async () => (await laneNames()).every((n) => n.startsWith(`${who},`)))
    expect((await laneNames()).length).toBeGreaterThan(0)
    await expect.poll(summary).toMatch(new RegExp(`^Showing ${theirs.length} of \\d+ appointments$`))
    for (const id of cluster) await card(page, id).waitFor()

    // A type as well: only their appointments of that type are left.
    await page.getByLabel('Type', { exact: true }).selectOption(`${RIVERSIDE}:${typeRef}`)
    const ofType = theirs.filter((a) => a.appointmentTypeRef === typeRef).length
    await expect.poll(summary).toMatch(new RegExp(`^Showing ${ofType} of `))
    await screenshotsAtSizes(page, 'desk-filters')

    // The choice stays while the day changes, and Show all brings every lane back.
    await page.getByRole('button', { name: 'Next day' }).click()
    await expect.poll(() => page.locator('.today-title').textContent()).not.toBe(today)
    await expect(page.getByLabel('Practitioner', { exact: true }).inputValue()).resolves.toBe(
      `${RIVERSIDE}|${practitionerRef}`,
    )
    await page.locator('.today-nav').getByRole('button', { name: 'Today' }).click()
    await page.getByRole('button', { name: 'Show all' }).click()
    await expect.poll(async () => (await laneNames()).some((n) => !n.startsWith(`${who},`))).toBe(true)

    // One site: a whole clinic system keeps only its own lanes.
    await page.getByLabel('Site', { exact: true }).selectOption(`${RIVERSIDE}|`)
    await until('only Riverside lanes', async () =>
      (await laneNames()).every((n) => n.endsWith(`, ${riverside.label}`)),
    )
    await page.getByRole('button', { name: 'Show all' }).click()
  })

  it('shows one practitioner’s week, a lane a day, with appointments on their own day', async () => {
    // Another day of the same week (Monday to Sunday), booked at the clinic system for them.
    const weekday = (clusterStart.getUTCDay() + 6) % 7
    const other = new Date(clusterStart.getTime() + (weekday < 6 ? 1 : -1) * 86_400_000)
    const otherId = randomUUID()
    demo.runtime.cache.putAppointment(
      otherId,
      {
        connectionId: RIVERSIDE,
        status: 'booked',
        start: other.toISOString(),
        end: new Date(other.getTime() + 30 * 60_000).toISOString(),
        practitionerRef,
        appointmentTypeRef: typeRef,
      },
      cachedPatients(demo)[50]!,
    )
    await page.getByLabel('Practitioner', { exact: true }).selectOption(`${RIVERSIDE}|${practitionerRef}`)
    await page.getByRole('button', { name: 'Week', exact: true }).click()
    await expect
      .poll(() => page.locator('.today-title').textContent())
      .toMatch(/: week of Mon \d+ \w+ – Sun \d+ \w+$/)
    const lanes = await laneNames()
    expect(lanes.length).toBeGreaterThanOrEqual(7)
    expect(lanes.every((n) => /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d+ \w+, /.test(n))).toBe(true)

    const dayOf = (d: Date) =>
      new Intl.DateTimeFormat('en-GB', {
        weekday: 'short',
        day: 'numeric',
        month: 'short',
        timeZone: 'Europe/London',
      }).format(d)
    for (const [id, at] of [
      [cluster[0]!, clusterStart],
      [otherId, other],
    ] as const) {
      await scrollToCard(page, id)
      const lane = await card(page, id).evaluate((el) => el.closest('.day-lane')!.getAttribute('aria-label'))
      expect(lane).toMatch(new RegExp(`^${dayOf(at)}, `))
    }
    await screenshotsAtSizes(page, 'desk-week')

    // A card dragged onto the next day's lane: the outline names that day, and the drawer opens on
    // the reschedule step with that day and the same time chosen. Nothing is sent unless confirmed.
    const writesBefore = demo.runtime.sandbox!.semble.control.writes().length
    await showCard(cluster[0]!)
    const from = (await card(page, cluster[0]!).boundingBox())!
    const target = page.locator(`section.day-lane[aria-label^="${dayOf(other)}, "]`).first()
    await target.scrollIntoViewIfNeeded()
    await showCard(cluster[0]!)
    const grabbed = (await card(page, cluster[0]!).boundingBox())!
    const to = (await target.boundingBox())!
    expect(Math.abs(grabbed.y - from.y)).toBeLessThan(2 * from.height + 1)
    await page.mouse.move(grabbed.x + 10, grabbed.y + 5)
    await page.mouse.down()
    await page.mouse.move(to.x + to.width / 2, grabbed.y + 5, { steps: 8 })
    await page.mouse.move(to.x + to.width / 2 + 4, grabbed.y + 5, { steps: 2 })
    const time = new Intl.DateTimeFormat('en-GB', {
      hour: '2-digit',
      minute: '2-digit',
      timeZone: 'Europe/London',
    }).format(clusterStart)
    await page
      .getByTestId('drop-ghost')
      .getByText(`Move to ${dayOf(other)} ${time}`)
      .waitFor()
    await page.mouse.up()
    const part = (o: Intl.DateTimeFormatOptions) =>
      new Intl.DateTimeFormat('en-GB', { ...o, timeZone: 'Europe/London' }).format(other)
    await drawer(page)
      .getByTestId('slot-dragged')
      .getByText(
        new RegExp(
          `^Dragged to ${part({ weekday: 'long' })},? ${part({ day: 'numeric' })} ${part({ month: 'long' })} \\d{4} ${time} with `,
        ),
      )
      .waitFor()
    expect(demo.runtime.sandbox!.semble.control.writes().length).toBe(writesBefore)
    await drawer(page).getByRole('button', { name: 'Close appointment' }).click()

    // A week on and back; Day returns to everyone's day.
    const title = await page.locator('.today-title').textContent()
    await page.getByRole('button', { name: 'Next week' }).click()
    await expect.poll(() => page.locator('.today-title').textContent()).not.toBe(title)
    await page.getByRole('button', { name: 'Previous week' }).click()
    await expect.poll(() => page.locator('.today-title').textContent()).toBe(title)
    await scrollToCard(page, otherId)
    await page.getByRole('button', { name: 'Day', exact: true }).click()
    await page.getByRole('button', { name: 'Show all' }).click()
    await expect.poll(() => page.locator('.today-title').textContent()).toMatch(/^Today, /)
  })

  it('drags a card to a later time: the reschedule step opens with it chosen, and the move is sent once when confirmed', async () => {
    const start = new Date(clusterStart.getTime() + 4 * 3_600_000)
    const id = await bookAt(demo, { patientId: cachedPatients(demo)[60]!, typeRef, start })
    const before = await ok<AppointmentView>(demo, 'appointments.get', { appointmentId: id })
    const moves = () =>
      demo.runtime
        .sandbox!.semble.control.writes()
        .filter((w) => w.operation === 'updateBooking' && JSON.stringify(w.input).includes(before.ref!))
    await scrollToCard(page, id)
    const c = card(page, id)
    await c.scrollIntoViewIfNeeded()
    // A later time the practitioner has free in Frontdesk's copy (their day is busy), in five minutes.
    let minutes = 0
    for (let q = 6; q <= 48 && !minutes; q++) {
      const from = new Date(Date.parse(before.start!) + q * 5 * 60_000)
      const { clash } = await ok<{ clash: string | null }>(demo, 'appointments.checkTime', {
        connectionId: RIVERSIDE,
        practitionerRef: before.practitionerRef,
        start: from.toISOString(),
        end: new Date(from.getTime() + 15 * 60_000).toISOString(),
      })
      if (!clash) minutes = q * 5
    }
    expect(minutes).toBeGreaterThan(0)
    const box = (await c.boundingBox())!
    // Down by that many minutes (2 px a minute), in the same lane.
    await page.mouse.move(box.x + 20, box.y + 5)
    await page.mouse.down()
    await page.mouse.move(box.x + 20, box.y + 5 + minutes, { steps: 5 })
    await page.mouse.move(box.x + 20, box.y + 5 + 2 * minutes, { steps: 5 })
    await page
      .getByTestId('drop-ghost')
      .getByText(/^Move to \d\d:\d\d$/)
      .waitFor()
    await page.mouse.up()

    const to = new Date(Date.parse(before.start!) + minutes * 60_000)
    const time = new Intl.DateTimeFormat('en-GB', {
      hour: '2-digit',
      minute: '2-digit',
      timeZone: 'Europe/London',
    }).format(to)
    const finder = drawer(page).getByTestId('slot-finder')
    await finder
      .getByTestId('slot-dragged')
      .getByText(new RegExp(` ${time} with `))
      .waitFor()
    // Nothing is sent until the move is confirmed, with the same button as a chosen slot.
    expect(moves()).toHaveLength(0)
    await screenshotsAtSizes(page, 'desk-drag-reschedule')
    await finder.getByRole('button', { name: new RegExp(`^Move to .* ${time}$`) }).click()
    await until('Semble has the new time', async () => {
      const a = await ok<AppointmentView>(demo, 'appointments.get', { appointmentId: id })
      if (a.sync === 'needs-attention')
        throw new Error(`the move was refused: ${await page.locator('.toast').allTextContents()}`)
      return a.sync === 'synced' && a.start !== before.start
    })
    const after = await ok<AppointmentView>(demo, 'appointments.get', { appointmentId: id })
    expect(after.start).toBe(to.toISOString())
    expect(Date.parse(after.end!) - Date.parse(after.start!)).toBe(
      Date.parse(before.end!) - Date.parse(before.start!),
    )
    expect(moves()).toHaveLength(1)

    // A press that does not travel is still a click: it opens the card.
    await drawer(page).getByRole('button', { name: 'Close appointment' }).click()
    await clickCard(page, id)
    await drawer(page).getByRole('button', { name: 'Reschedule…' }).waitFor()
    await drawer(page).getByRole('button', { name: 'Close appointment' }).click()
  })

  it('shows a clinician linked in settings across two clinic systems as one lane, and unlinks them', async () => {
    const HARBOUR = 'demo-healthie'
    const names = async (connectionId: string) =>
      (await ok<{ practitioners: { ref: string; name: string }[] }>(demo, 'reference.get', { connectionId }))
        .practitioners
    const [river, harbour] = [(await names(RIVERSIDE))[1]!, (await names(HARBOUR))[0]!]
    const nav = (name: string) => page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name })
    await nav('Settings').click()
    const panel = page.getByTestId('practitioner-links')
    await panel.getByLabel('Practitioner', { exact: true }).selectOption(`${RIVERSIDE}|${river.ref}`)
    await panel.getByLabel('Is the same person as').selectOption(`${HARBOUR}|${harbour.ref}`)
    await panel.getByRole('button', { name: 'Link' }).click()
    await panel
      .getByRole('list', { name: 'Linked clinicians' })
      .getByText(`${river.name} (Riverside Clinic) = ${harbour.name} (Harbour Wellness)`)
      .waitFor()
    await screenshotsAtSizes(page, 'settings-linked-clinicians')

    await nav('Today').click()
    const label = `${river.name}, Riverside Clinic + Harbour Wellness`
    await until('one lane for both', async () => (await laneNames()).includes(label))
    // Harbour Wellness has no lane of their own any more.
    expect((await laneNames()).filter((n) => n.startsWith(`${harbour.name},`))).toEqual([])
    // An appointment of each clinic system's practitioner is a card in that one lane.
    const day = await ok<DayColumn[]>(demo, 'appointments.day', {
      date: clusterStart.toISOString().slice(0, 10),
      cacheOnly: true,
    })
    const one = (connectionId: string, ref: string) =>
      day.find((c) => c.connectionId === connectionId)!.appointments.find((a) => a.practitionerRef === ref)!
        .id!
    for (const id of [one(RIVERSIDE, river.ref), one(HARBOUR, harbour.ref)]) {
      await scrollToCard(page, id)
      const lane = await card(page, id).evaluate((el) => el.closest('.day-lane')!.getAttribute('aria-label'))
      expect(lane).toBe(label)
    }
    await scrollToCard(page, one(HARBOUR, harbour.ref))
    await card(page, one(HARBOUR, harbour.ref)).scrollIntoViewIfNeeded()
    await screenshot(page, 'desk-linked-lane')

    // Their week (the filter offers the one lane once) holds both systems' appointments, one lane a day.
    await page.getByLabel('Practitioner', { exact: true }).selectOption(`${RIVERSIDE}|${river.ref}`)
    await page.getByRole('button', { name: 'Week', exact: true }).click()
    await expect
      .poll(() => page.locator('.today-title').textContent())
      .toMatch(new RegExp(`^${river.name}: week of `))
    const dayName = new Intl.DateTimeFormat('en-GB', {
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      timeZone: 'Europe/London',
    }).format(clusterStart)
    for (const id of [one(RIVERSIDE, river.ref), one(HARBOUR, harbour.ref)]) {
      await scrollToCard(page, id)
      const lane = await card(page, id).evaluate((el) => el.closest('.day-lane')!.getAttribute('aria-label'))
      expect(lane).toBe(`${dayName}, Riverside Clinic + Harbour Wellness`)
    }
    await screenshot(page, 'desk-linked-week')
    await page.getByRole('button', { name: 'Day', exact: true }).click()
    await page.getByRole('button', { name: 'Show all' }).click()

    await nav('Settings').click()
    await panel.getByRole('button', { name: 'Unlink' }).click()
    await panel.getByRole('list', { name: 'Linked clinicians' }).waitFor({ state: 'detached' })
    await nav('Today').click()
    await until('separate again', async () => !(await laneNames()).includes(label))
  })

  it('logged nothing unexpected', () => {
    expect(problems).toEqual([])
  })
})
