/**
 * The day book's cards and drawer show what the desk needs: status by a mark and a word (not tint
 * alone), type, status and notes in a tooltip on cards too short to show them, no card drawn over
 * the next, a queued mark that leaves the first name readable, notes in the drawer (changed there,
 * offline too) and the printed day list, and no cancel or reschedule of an appointment whose
 * patient Frontdesk does not know.
 */
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bookAt, card, drawer, firstTypeRef, ok, openCard, screenshotsAtSizes } from '../support/desk'
import { startDemoHost, type DemoHost } from '../support/e2e'

let demo: DemoHost
let page: Page
let problems: string[]
let noted: string
const NOTE = 'Wheelchair user: ground floor room'

beforeAll(async () => {
  demo = await startDemoHost({ patients: 200, name: 'desk-cards' })
  ;({ page, problems } = await demo.page())
  await page.getByTestId('day-grid').waitFor({ timeout: 90_000 })
  const start = new Date(demo.clock.now().getTime() + 40 * 60_000)
  // A name of a dozen letters: it fits a short card's line unless a mark takes its room.
  const patientId = demo.runtime.db
    .prepare(
      `SELECT id FROM patients WHERE connection_id = 'demo-semble'
         AND length(family_name) + length(given_name) BETWEEN 9 AND 10 ORDER BY id LIMIT 1`,
    )
    .pluck()
    .get() as string
  noted = await bookAt(demo, {
    patientId,
    typeRef: await firstTypeRef(demo),
    start,
    note: NOTE,
  })
}, 180_000)

afterAll(async () => {
  await demo?.close()
})

describe('cards', () => {
  it('show status by a mark and a word, tooltips carry type, status and notes, and no card covers the next', async () => {
    // Held back for a minute, so the card shows "queued" while we look.
    demo.runtime.appointments.undoWindowMs = 60_000
    await ok(demo, 'appointments.markArrived', { appointmentId: noted })
    await openCard(page, noted)
    const c = card(page, noted)
    // The day book re-reads the copy after the change; the card follows.
    await expect.poll(() => c.getAttribute('data-status'), { timeout: 30_000 }).toBe('arrived')
    // Queued (held for Undo), or sending when another change of the same record is on its way.
    await expect(c.getAttribute('data-sync')).resolves.toMatch(/^(queued|sending)$/)
    await expect(c.locator('.day-card-icon').textContent()).resolves.toBe('✓')
    const title = (await c.getAttribute('title'))!
    expect(title).toMatch(
      /^\d\d:\d\d–\d\d:\d\d [A-ZÀ-Ž' -]+, .+\n.+ · Arrived · (Queued|Sending)\nNotes: Wheelchair user: ground floor room$/,
    )
    // The first name is whole: the queued mark on a short card is a sign, not the word.
    const name = c.locator('.day-card-given')
    const widths = await name.evaluate((el) => `${el.textContent}: ${el.scrollWidth} in ${el.clientWidth}`)
    expect(await name.evaluate((el) => el.scrollWidth > el.clientWidth + 1), widths).toBe(false)

    // Every drawn card: a status mark, and none overlapping another in its lane.
    const overlaps = (await page.evaluate(`(() => {
      const found = []
      for (const lane of document.querySelectorAll('section.day-lane')) {
        const boxes = [...lane.querySelectorAll('.day-card')].map((el) => ({
          id: el.getAttribute('data-appointment-id'),
          r: el.getBoundingClientRect(),
          mark: el.querySelector('.day-card-icon')?.textContent ?? '',
        }))
        for (const b of boxes) if (!b.mark) found.push(b.id + ' has no status mark')
        for (let i = 0; i < boxes.length; i++)
          for (let j = i + 1; j < boxes.length; j++) {
            const a = boxes[i].r, b = boxes[j].r
            const x = Math.min(a.right, b.right) - Math.max(a.left, b.left)
            const y = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top)
            if (x > 1 && y > 1) found.push(boxes[i].id + ' over ' + boxes[j].id)
          }
      }
      return { found, cards: document.querySelectorAll('.day-card').length }
    })()`)) as { found: string[]; cards: number }
    expect(overlaps.cards).toBeGreaterThan(20)
    expect(overlaps.found).toEqual([])

    // The drawer has the notes.
    await expect(drawer(page).getByTestId('drawer-notes').textContent()).resolves.toBe(NOTE)
    await screenshotsAtSizes(page, 'cards-notes-drawer')
  })

  it('a note is changed in the drawer while Riverside is offline: drawer and card follow, Semble gets it once; Escape keeps it as it was', async () => {
    const patientId = demo.runtime.db
      .prepare(`SELECT id FROM patients WHERE connection_id = 'demo-semble' ORDER BY id LIMIT 1 OFFSET 7`)
      .pluck()
      .get() as string
    const id = await bookAt(demo, {
      patientId,
      typeRef: await firstTypeRef(demo),
      start: new Date(demo.clock.now().getTime() + 70 * 60_000),
      note: 'Wheelchair user',
    })
    const semble = demo.runtime.sandbox!.semble.control
    const ref = demo.runtime.appointments.get(id).ref!
    const noteWrites = () =>
      semble
        .writes()
        .filter(
          (w) =>
            w.operation === 'updateBooking' &&
            w.outcome === 'applied' &&
            JSON.stringify(w.input).includes(ref) &&
            JSON.stringify(w.input).includes('comments'),
        ).length
    await openCard(page, id)
    const d = drawer(page)
    await semble.setOffline(true)
    try {
      await d.getByRole('button', { name: 'Edit note' }).click()
      const box = d.getByLabel('Note for this appointment')
      await expect(box.inputValue()).resolves.toBe('Wheelchair user')
      // Focus is in the note, so typing goes there.
      await expect(box.evaluate((el) => el.ownerDocument.activeElement === el)).resolves.toBe(true)
      await box.fill('Interpreter needed (Polish)')
      await d.getByRole('button', { name: 'Save note' }).click()
      await expect
        .poll(() => d.getByTestId('drawer-notes').textContent(), { timeout: 15_000 })
        .toBe('Interpreter needed (Polish)')
      await expect
        .poll(() => card(page, id).getAttribute('title'), { timeout: 15_000 })
        .toMatch(/\nNotes: Interpreter needed \(Polish\)$/)
      expect(noteWrites()).toBe(0)
      await screenshotsAtSizes(page, 'cards-note-changed-offline')
    } finally {
      await semble.setOffline(false)
    }
    await ok(demo, 'queue.sendNow', { connectionId: 'demo-semble' })
    await expect
      .poll(() => semble.state.bookings.get(ref)?.comments, { timeout: 30_000 })
      .toMatch(/^Interpreter needed \(Polish\)\n\[frontdesk:[^\]]+\]$/)
    expect(noteWrites()).toBe(1)

    // Escape while editing leaves the note as it was, and the drawer open.
    await d.getByRole('button', { name: 'Edit note' }).click()
    await d.getByLabel('Note for this appointment').fill('Typed by mistake')
    await page.keyboard.press('Escape')
    await expect(d.getByLabel('Note for this appointment').count()).resolves.toBe(0)
    await expect(d.getByTestId('drawer-notes').textContent()).resolves.toBe('Interpreter needed (Polish)')
    expect(problems).toEqual([])
  })

  it('an appointment whose patient Frontdesk does not know offers no cancel or reschedule, and the service refuses them', async () => {
    const unknown = demo.runtime.db
      .prepare(
        `SELECT a.id FROM appointments a WHERE a.connection_id = 'demo-hero' AND a.status = 'booked'
           AND a.start > ? AND a.start < ? AND NOT EXISTS (SELECT 1 FROM patients p WHERE p.id = a.patient_id)
           AND NOT EXISTS (SELECT 1 FROM patients p WHERE p.connection_id = a.connection_id AND p.ref = a.patient_ref)
         ORDER BY a.start LIMIT 1`,
      )
      .pluck()
      .get(
        demo.clock.now().toISOString(),
        new Date(demo.clock.now().getTime() + 8 * 3_600_000).toISOString(),
      ) as string | undefined
    expect(unknown, 'a Hillside appointment today whose patient is unknown').toBeTruthy()
    const cancel = await demo.runtime.dispatch('appointments.cancel', {
      appointmentId: unknown,
      reason: 'Test',
    })
    expect(cancel.ok).toBe(false)
    if (!cancel.ok)
      expect(cancel.error.message).toBe(
        'Frontdesk does not know whose appointment this is, so it cannot be cancelled here: do it in Hillside Surgery.',
      )
    const { start, end } = demo.runtime.appointments.get(unknown!)
    const move = await demo.runtime.dispatch('appointments.reschedule', {
      appointmentId: unknown,
      start,
      end,
    })
    expect(move.ok).toBe(false)

    await openCard(page, unknown!)
    const d = drawer(page)
    await expect(d.getByRole('button', { name: 'Cancel appointment…' }).isDisabled()).resolves.toBe(true)
    await expect(d.getByRole('button', { name: 'Reschedule…' }).isDisabled()).resolves.toBe(true)
    // Hillside cannot change notes through Hero's API: said, not offered.
    await expect(d.getByRole('button', { name: /^(Add|Edit) note$/ }).isDisabled()).resolves.toBe(true)
    await d
      .getByText('Hero publishes no way to change an appointment’s notes: change them in the GP system.')
      .waitFor()
    await d
      .getByText('Frontdesk does not know whose appointment this is: do it in Hillside Surgery.')
      .first()
      .waitFor()
    await screenshotsAtSizes(page, 'cards-unknown-patient')
    await d.getByRole('button', { name: 'Close appointment' }).click()
  })

  it('the printed day list has the notes', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Outage kit' }).click()
    await page.locator('td.outage-notes', { hasText: NOTE }).first().waitFor({ timeout: 30_000 })
  })

  it('carry their type’s colour, chosen in settings, beside the status edge', async () => {
    const nav = page.getByRole('navigation', { name: 'Main' })
    await nav.getByRole('button', { name: 'Settings' }).click()
    const typeRef = await firstTypeRef(demo)
    const { appointmentTypes } = await ok<{ appointmentTypes: { ref: string; name: string }[] }>(
      demo,
      'reference.get',
      { connectionId: 'demo-semble' },
    )
    const typeName = appointmentTypes.find((t) => t.ref === typeRef)!.name
    const colours = page.getByTestId('type-colours')
    const riverside = colours.getByRole('group', { name: 'Riverside Clinic' })
    const current = await riverside.getByLabel(typeName, { exact: true }).inputValue()
    const chosen = current === 'purple' ? 'teal' : 'purple'
    await riverside.getByLabel(typeName, { exact: true }).selectOption(chosen)
    await expect
      .poll(
        async () => (await ok<{ typeColours: Record<string, string> }>(demo, 'settings.get', {})).typeColours,
      )
      .toEqual({ [`demo-semble:${typeRef}`]: chosen })
    await screenshotsAtSizes(page, 'settings-type-colours')

    await nav.getByRole('button', { name: 'Today' }).click()
    const hex = chosen === 'purple' ? '#7e22ce' : '#0f766e'
    const rgb = chosen === 'purple' ? 'rgb(126, 34, 206)' : 'rgb(15, 118, 110)'
    await openCard(page, noted)
    await drawer(page).getByRole('button', { name: 'Close appointment' }).click()
    const c = card(page, noted)
    await expect.poll(() => c.getAttribute('data-type-colour')).toBe(hex)
    // A string: the test compiles without DOM types; this runs in the page.
    const style = (await page.evaluate(
      `(() => { const s = getComputedStyle(document.querySelector('[data-appointment-id="${noted}"]'));
        return { shadow: s.boxShadow, edge: s.borderLeftColor } })()`,
    )) as { shadow: string; edge: string }
    expect(style.shadow).toContain(rgb)
    // The status keeps its own edge (and its mark and word).
    expect(style.edge).not.toBe(rgb)
    // The key above the grid names the colour of each type on the day.
    await page
      .getByTestId('type-key')
      .getByText(/^Type colours \(\d+ types on this day\)$/)
      .click()
    const swatch = page
      .getByTestId('type-key')
      .getByRole('list', { name: 'Appointment type colours, Riverside Clinic' })
      .getByRole('listitem')
      .filter({ has: page.getByText(typeName, { exact: true }) })
      .locator('.type-swatch')
    expect(await swatch.getAttribute('style')).toContain(hex)
    await screenshotsAtSizes(page, 'cards-type-colour')
  })

  it('logged nothing unexpected', () => {
    expect(problems).toEqual([])
  })
})
