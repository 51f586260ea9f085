/**
 * A day at the desk, the dangerous parts: nothing typed blanks the screen (one error boundary per
 * screen), dates are read day first, arrival and no-show only on the appointment's own day,
 * Today means the clinic's today, keystrokes after closing an appointment go where they should,
 * search says how many more match, and toasts never hide the drawer's buttons.
 */
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { screenshot, seriousViolations, startDemoHost, type DemoHost } from '../support/e2e'

let demo: DemoHost
let page: Page
let problems: string[]

/** A search answer held back until the test lets it go, as on a slow, busy PC. */
const held: { text: string | null; release: (() => void) | null } = { text: null, release: null }

beforeAll(async () => {
  demo = await startDemoHost({
    patients: 200,
    name: 'desk-safety',
    through: (dispatch) => async (name, input) => {
      if (name === 'patients.search' && held.text !== null && (input as { text?: string }).text === held.text)
        await new Promise<void>((r) => (held.release = r))
      return dispatch(name, input)
    },
  })
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

describe('Today means the clinic’s today', () => {
  it('the Today tab, Alt+1 and the Today button all go back to today from another day', async () => {
    await nav('Today').click()
    await expect.poll(() => heading().textContent()).toMatch(/^Today, /)
    const today = (await heading().textContent())!.replace(/^Today, /, '')
    expect(today).toBe('Monday, 30 March 2026') // the pinned clock's day, not the machine's
    await page.getByRole('button', { name: 'Next day' }).click()
    await page.getByRole('button', { name: 'Next day' }).click()
    await expect.poll(() => heading().textContent()).not.toMatch(/^Today, /)
    await nav('Today').click()
    await expect.poll(() => heading().textContent()).toBe(`Today, ${today}`)
    await expect(nav('Today').getAttribute('aria-current')).resolves.toBe('page')

    await dateField().fill('04/12/2026')
    await nav('Patients').click()
    await page.keyboard.press('Alt+1')
    await expect.poll(() => heading().textContent()).toBe(`Today, ${today}`)

    await page.getByRole('button', { name: 'Previous day' }).click()
    const todayButton = page
      .getByRole('group', { name: 'Choose the day' })
      .getByRole('button', { name: 'Today' })
    await todayButton.click()
    await expect.poll(() => heading().textContent()).toBe(`Today, ${today}`)
    await expect(todayButton.isDisabled()).resolves.toBe(true)
  })
})

const londonDay = (d: Date) =>
  new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/London',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(d)

describe('arrival and no-show only on the appointment’s own day', () => {
  it('refuses tomorrow’s appointment in the service and in the drawer, with the reason', async () => {
    await nav('Today').click()
    await page
      .getByRole('button', { name: 'Today', exact: true })
      .click()
      .catch(() => undefined)
    const riverside = page.locator(
      'section[aria-label$="Riverside Clinic"] button[data-appointment-id][data-status="booked"]',
    )
    const today = londonDay(demo.clock.now())
    // The next day with Riverside bookings after the app's today.
    for (let i = 0; i < 8; i++) {
      await page.getByRole('button', { name: 'Next day' }).click()
      const found = await riverside
        .first()
        .waitFor({ timeout: 8_000 })
        .then(() => true)
        .catch(() => false)
      if (found) break
    }
    const card = riverside.first()
    const id = (await card.getAttribute('data-appointment-id'))!
    const start = demo.runtime.db
      .prepare('SELECT start FROM appointments WHERE id = ?')
      .pluck()
      .get(id) as string
    expect(londonDay(new Date(start)) > today).toBe(true)

    for (const method of ['appointments.markArrived', 'appointments.markNoShow'] as const) {
      const r = await demo.runtime.dispatch(method, { appointmentId: id })
      expect(r.ok).toBe(false)
      if (!r.ok)
        expect(r.error.message).toMatch(/can only be recorded on the day of the appointment: this one is on /)
    }

    await card.scrollIntoViewIfNeeded()
    await card.click()
    const drawer = page.getByTestId('appointment-drawer')
    await drawer.waitFor()
    await expect(drawer.getByRole('button', { name: 'Arrived' }).isDisabled()).resolves.toBe(true)
    await expect(drawer.getByRole('button', { name: 'No-show' }).isDisabled()).resolves.toBe(true)
    await drawer.getByText(/^Arrival only on the day: this appointment is on \w+, \d+ \w+ \d{4}\.$/).waitFor()
    await drawer.getByText(/^No-show only on the day: /).waitFor()
    await expect(drawer.getByRole('button', { name: 'Cancel appointment…' }).isDisabled()).resolves.toBe(
      false,
    )
    await screenshots('drawer-not-today')
    await drawer.getByRole('button', { name: 'Close appointment' }).click()
    await expect(demo.runtime.appointments.get(id).status).toBe('booked')
  })

  it('allows arrival today, and no-show only once the appointment has started', async () => {
    const now = demo.clock.now()
    const patients = demo.runtime.db
      .prepare(`SELECT id FROM patients WHERE connection_id = 'demo-semble' LIMIT 3`)
      .pluck()
      .all() as string[]
    const ref = await demo.runtime.dispatch('reference.get', { connectionId: 'demo-semble' })
    if (!ref.ok) throw new Error(ref.error.message)
    const type = (ref.value as { appointmentTypes: { ref: string }[] }).appointmentTypes[0]!.ref
    const book = async (start: Date, patientId: string) => {
      const r = await demo.runtime.dispatch('appointments.book', {
        connectionId: 'demo-semble',
        patientId,
        appointmentTypeRef: type,
        start: start.toISOString(),
        end: new Date(start.getTime() + 15 * 60_000).toISOString(),
      })
      if (!r.ok) throw new Error(r.error.message)
      return (r.value as { appointment: { id: string } }).appointment.id
    }
    // On the pinned clock (Monday 09:00 in London), whatever the machine's own time.
    const started = await book(new Date(now.getTime() - 20 * 60_000), patients[0]!)
    const noShow = await demo.runtime.dispatch('appointments.markNoShow', { appointmentId: started })
    expect(noShow.ok).toBe(true)

    const startsAt = new Date(now.getTime() + 10 * 60_000)
    const soon = await book(startsAt, patients[1]!)
    const early = await demo.runtime.dispatch('appointments.markNoShow', { appointmentId: soon })
    expect(early.ok).toBe(false)
    if (!early.ok)
      expect(early.error.message).toMatch(
        /^A no-show can only be recorded once the appointment has started: it starts at \d\d:\d\d, and it is \d\d:\d\d at Riverside Clinic\.$/,
      )
    // Arrival is fine before the start, on the day.
    const arrived = await demo.runtime.dispatch('appointments.markArrived', { appointmentId: soon })
    expect(arrived.ok).toBe(true)
    // Once its start has passed, a no-show is accepted.
    const later = await book(startsAt, patients[2]!)
    demo.clock.advance(startsAt.getTime() - demo.clock.now().getTime() + 60_000)
    const late = await demo.runtime.dispatch('appointments.markNoShow', { appointmentId: later })
    expect(late.ok).toBe(true)
  })
})

describe('reschedule reads its From day first', () => {
  it('typed 08/04/2026 means 8 April: the free slots start there', async () => {
    await nav('Today').click()
    const booked = page.locator(
      'section[aria-label$="Riverside Clinic"] button[data-appointment-id][data-status="booked"]',
    )
    for (let i = 0; i < 8; i++) {
      await page.getByRole('button', { name: 'Next day' }).click()
      const found = await booked
        .first()
        .waitFor({ timeout: 8_000 })
        .then(() => true)
        .catch(() => false)
      if (found) break
    }
    await booked.first().scrollIntoViewIfNeeded()
    await booked.first().click()
    const drawer = page.getByTestId('appointment-drawer')
    await drawer.getByRole('button', { name: 'Reschedule…' }).click()
    const finder = page.getByTestId('slot-finder')
    const from = finder.getByRole('textbox', { name: 'From', exact: true })
    await from.fill('08/04/2026')
    await expect(from.inputValue()).resolves.toBe('08/04/2026')
    // Free slots come from Semble behind its 120-a-minute limit, shared with the background refresh
    // that fills the cache at start: on a busy machine the first answer can take a while.
    await finder.locator('.slot-day h4').first().waitFor({ timeout: 90_000 })
    await expect.poll(() => finder.getByText('Looking for free slots…').count()).toBe(0)
    const days = await finder.locator('.slot-day h4').allTextContents()
    expect(days.length).toBeGreaterThan(0)
    for (const d of days) {
      const [, day, month] = /, (\d+) (\w+) 2026$/.exec(d)!
      expect(month === 'April' ? Number(day) >= 8 : month === 'May', d).toBe(true)
    }
    // A slip is named where it was typed, and the search stays on the last good day.
    await from.fill('31/04/2026')
    await from.press('Enter')
    await finder.getByRole('alert').getByText('April 2026 has 30 days; there is no day 31.').waitFor()
    await screenshots('reschedule-from')
    await drawer.getByRole('button', { name: 'Close appointment' }).click()
  }, 240_000)
})

describe('keystrokes and search', () => {
  it('`/` right after Close puts every following keystroke in the search box', async () => {
    await nav('Today').click()
    const cards = page.locator('section[aria-label$="Riverside Clinic"] button[data-appointment-id]')
    await cards.first().waitFor({ timeout: 30_000 })
    const drawer = page.getByTestId('appointment-drawer')
    for (let i = 0; i < 3; i++) {
      await cards.first().click()
      await drawer.waitFor()
      await drawer.getByRole('button', { name: 'Close appointment' }).click()
      await page.keyboard.press('/')
      await page.keyboard.type('Kaur 4/10/2014')
      await expect(page.locator('#global-search-input').inputValue()).resolves.toBe('Kaur 4/10/2014')
      await expect(drawer.count()).resolves.toBe(0)
      await page.keyboard.press('Escape')
    }
  })

  it('Enter while the answer for the text typed is on its way opens a patient of that answer, not the one highlighted before', async () => {
    // A surname two patients share, with different first names and birth dates.
    const { family } = demo.runtime.db
      .prepare(
        `SELECT a.family_name AS family FROM patients a JOIN patients b ON b.family_name = a.family_name
           AND b.id <> a.id AND b.given_name <> a.given_name AND b.birth_date <> a.birth_date LIMIT 1`,
      )
      .get() as { family: string }
    const box = page.locator('#global-search-input')
    await page.keyboard.press('/')
    await box.fill(family)
    const hits = page.getByTestId('patient-hit')
    await expect.poll(() => hits.count(), { timeout: 10_000 }).toBeGreaterThan(1)
    const list = page.locator('#global-search-results')
    await expect.poll(() => list.getAttribute('aria-busy')).toBe('false')
    const highlighted = (await page
      .locator('[data-testid="patient-hit"][aria-selected="true"]')
      .textContent())!
    // Another patient of that surname: not the one highlighted, born on another day.
    const others = demo.runtime.db
      .prepare(`SELECT given_name AS given, birth_date AS born FROM patients WHERE family_name = ?`)
      .all(family) as { given: string; born: string }[]
    const first = others.find((o) => highlighted.includes(o.given))!
    const pair = { family, ...others.find((o) => !highlighted.includes(o.given) && o.born !== first.born)! }
    // The surname and the other patient's birth date, in one go; its answer is held back.
    const typed = `${pair.family} ${pair.born.split('-').reverse().join('/')}`
    held.text = typed
    await box.fill(typed)
    await expect.poll(() => list.getAttribute('aria-busy')).toBe('true')
    await box.press('Enter')
    // Nothing opens on the previous answer's highlighted row...
    await expect(page.getByTestId('patient-card').count()).resolves.toBe(0)
    // ...and once the answer comes, its patient opens.
    await expect.poll(() => held.release !== null).toBe(true)
    held.text = null
    held.release!()
    held.release = null
    const card = page.getByTestId('patient-card')
    await card.waitFor({ timeout: 10_000 })
    await expect(page.locator('#patient-heading').textContent()).resolves.toContain(pair.given)
    await nav('Today').click()
  })

  it('says how many more match beyond the ten shown, and keeps the highlighted row in view', async () => {
    await page.setViewportSize({ width: 1280, height: 720 })
    await page.keyboard.press('/')
    await page.keyboard.type('a')
    const more = page.getByTestId('search-more')
    await more.waitFor()
    await expect(more.textContent()).resolves.toMatch(
      /^(More than )?\d+ more patients? match beyond these 10: type more of the name, or add the date of birth\.$/,
    )
    await expect(page.getByTestId('patient-hit').count()).resolves.toBe(10)
    for (let i = 0; i < 9; i++) {
      await page.keyboard.press('ArrowDown')
      const inView = await page.evaluate(`(() => {
        const row = document.querySelector('[data-testid="patient-hit"][aria-selected="true"]')
        const box = document.querySelector('[data-testid="search-popover"]')
        const r = row.getBoundingClientRect(), b = box.getBoundingClientRect()
        return r.top >= b.top - 1 && r.bottom <= b.bottom + 1 && r.bottom <= window.innerHeight
      })()`)
      expect(inView, `row ${i + 2} in view`).toBe(true)
    }
    await screenshots('search-more')
    // The search popup itself is clean (today's cards are checked by the accessibility suite).
    const v = (await seriousViolations(page)).filter((x) =>
      x.nodes.some((n) => n.target.join(' ').includes('search')),
    )
    expect(v.map((x) => `${x.id}: ${x.nodes.map((n) => n.target.join(' ')).join(' | ')}`)).toEqual([])
    await page.keyboard.press('Escape')
    await page.setViewportSize({ width: 1440, height: 900 })
  })
})

describe('toasts', () => {
  it('never cover the open drawer, and a confirmation goes by itself', async () => {
    await nav('Today').click()
    const booked = page.locator(
      'section[aria-label$="Riverside Clinic"] button[data-appointment-id][data-status="booked"]',
    )
    for (let i = 0; i < 8; i++) {
      await page.getByRole('button', { name: 'Next day' }).click()
      const found = await booked
        .first()
        .waitFor({ timeout: 8_000 })
        .then(() => true)
        .catch(() => false)
      if (found) break
    }
    const drawer = page.getByTestId('appointment-drawer')
    const toast = page.getByTestId('toasts').locator('.toast')
    for (const size of sizes) {
      await page.setViewportSize(size)
      await booked.first().scrollIntoViewIfNeeded()
      await booked.first().click()
      await drawer.waitFor()
      await drawer.getByRole('button', { name: 'Cancel appointment…' }).click()
      await drawer.getByRole('button', { name: 'Booked in error' }).click()
      await drawer.getByRole('button', { name: 'Cancel appointment', exact: true }).click()
      await toast.first().waitFor()
      await drawer.getByTestId('drawer-status').getByText('Cancelled').waitFor()
      const t = (await page.getByTestId('toasts').boundingBox())!
      const d = (await drawer.boundingBox())!
      const overlaps =
        t.x < d.x + d.width && d.x < t.x + t.width && t.y < d.y + d.height && d.y < t.y + t.height
      expect(overlaps, `toasts over the drawer at ${size.width}x${size.height}`).toBe(false)
      await screenshot(page, `toast-beside-drawer-${size.width}x${size.height}`)
      await drawer.getByRole('button', { name: 'Close appointment' }).click()
      // Every message can be dismissed; good news also goes by itself.
      await toast.first().getByRole('button', { name: 'Dismiss message' }).waitFor()
    }
    await expect.poll(() => toast.count(), { timeout: 30_000 }).toBe(0)
    await page.setViewportSize({ width: 1440, height: 900 })
  })
})

describe('the page itself', () => {
  it('logged nothing unexpected (only the failure provoked above)', () => {
    expect(problems.filter((p) => !/Invalid time value|screen failed/.test(p))).toEqual([])
  })
})
