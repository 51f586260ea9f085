/**
 * Undo at the desk: an arrival or no-show is held back a few seconds before it is sent, so a slip
 * can be taken back from its toast or the drawer with nothing reaching the clinic system; once
 * sent, the service and the drawer both say it cannot be (no vendor documents a way back).
 */
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AppointmentView } from '../../src/shared/contract'
import {
  bookAt,
  patientsInCopy,
  drawer,
  firstTypeRef,
  ok,
  openCard,
  RIVERSIDE,
  screenshotsAtSizes,
} from '../support/desk'
import { startDemoHost, type DemoHost } from '../support/e2e'
import { until } from '../support/until'

let demo: DemoHost
let page: Page
let problems: string[]
let patients: string[]
let typeRef: string

/**
 * A day read answered by the main process but held on its way to the page until the test lets it
 * go, as on a slow, busy PC: armed for one read at a time.
 */
const heldDay: { armed: boolean; answered: boolean; release: (() => void) | null } = {
  armed: false,
  answered: false,
  release: null,
}
let dayReads = 0

beforeAll(async () => {
  demo = await startDemoHost({
    patients: 200,
    name: 'desk-undo',
    through: (dispatch) => async (name, input) => {
      if (name !== 'appointments.day') return dispatch(name, input)
      const hold = heldDay.armed
      heldDay.armed = false
      const answer = await dispatch(name, input)
      if (hold) {
        heldDay.answered = true
        await new Promise<void>((r) => (heldDay.release = r))
      }
      dayReads++
      return answer
    },
  })
  ;({ page, problems } = await demo.page())
  patients = await patientsInCopy(demo, 5)
  typeRef = await firstTypeRef(demo)
  await page.getByTestId('day-grid').waitFor({ timeout: 90_000 })
}, 120_000)

afterAll(async () => {
  await demo?.close()
})

const minutesFromNow = (m: number) => new Date(demo.clock.now().getTime() + m * 60_000)
const get = (id: string) => ok<AppointmentView>(demo, 'appointments.get', { appointmentId: id })
const journeyWrites = (ref: string) =>
  demo.runtime
    .sandbox!.semble.control.writes()
    .filter((w) => w.operation === 'updateBookingJourney' && JSON.stringify(w.input).includes(ref))
const rowsOf = (id: string) =>
  demo.runtime.db
    .prepare(`SELECT kind, state FROM outbox WHERE entity_key = ? ORDER BY seq`)
    .all(`appointment:${id}`) as { kind: string; state: string }[]
const toast = (words: string) => page.getByTestId('toasts').locator('.toast', { hasText: words })

describe('undo an arrival or a no-show', () => {
  it('a no-show taken back from its toast never reaches Semble, and the appointment is booked again', async () => {
    // Long enough for a slow machine to reach the button; the default is 5 s.
    demo.runtime.appointments.undoWindowMs = 60_000
    const id = await bookAt(demo, { patientId: patients[0]!, typeRef, start: minutesFromNow(-20) })
    const ref = (await get(id)).ref!
    await openCard(page, id)
    await drawer(page).getByRole('button', { name: 'No-show' }).click()
    const said = toast('Marked as no-show')
    await said.getByText(/ — sent to Riverside Clinic in 60 s unless you undo it\.$/).waitFor()
    await drawer(page).getByTestId('drawer-status').getByText('No-show').waitFor()
    await expect(rowsOf(id).at(-1)).toEqual({ kind: 'markNoShow', state: 'pending' })
    await screenshotsAtSizes(page, 'undo-no-show-toast')

    await said.getByRole('button', { name: 'Undo' }).click()
    await drawer(page).getByTestId('drawer-status').getByText('Booked').waitFor()
    await toast('Undone: no-show of')
      .getByText(/nothing was sent to Riverside Clinic\.$/)
      .waitFor()
    expect((await get(id)).status).toBe('booked')
    expect(rowsOf(id).at(-1)).toEqual({ kind: 'markNoShow', state: 'discarded' })
    // Nothing left to send: the worker's timer passing the window sends nothing either.
    demo.clock.advance(61_000)
    await demo.runtime.sync.drain(RIVERSIDE)
    expect(journeyWrites(ref)).toEqual([])
    const audit = demo.runtime.db
      .prepare(`SELECT action, outcome FROM audit_log WHERE entity_id = ? ORDER BY id`)
      .all(id)
    expect(audit.slice(-2)).toEqual([
      { action: 'markNoShow', outcome: 'queued' },
      { action: 'markNoShow', outcome: 'discarded' },
    ])
  })

  it('“Undo arrival” in the drawer withdraws an unsent arrival; once sent, the service refuses and the drawer says why', async () => {
    demo.runtime.appointments.undoWindowMs = 60_000
    const id = await bookAt(demo, { patientId: patients[1]!, typeRef, start: minutesFromNow(10) })
    const ref = (await get(id)).ref!
    await openCard(page, id)
    const d = drawer(page)
    await d.getByRole('button', { name: 'Arrived' }).click()
    await d.getByTestId('drawer-status').getByText('Arrived').waitFor()
    await d.getByRole('button', { name: 'Undo arrival' }).click()
    await d.getByTestId('drawer-status').getByText('Booked').waitFor()
    expect(rowsOf(id).at(-1)).toEqual({ kind: 'markArrived', state: 'discarded' })

    // Again, and this time it is sent when the window is over.
    demo.runtime.appointments.undoWindowMs = 1_000
    await d.getByRole('button', { name: 'Arrived' }).click()
    await until('the arrival reached Semble', async () => (await get(id)).sync === 'synced')
    expect(journeyWrites(ref)).toHaveLength(1)
    const refused = await demo.runtime.dispatch('appointments.undoStatus', { appointmentId: id })
    expect(refused.ok).toBe(false)
    if (!refused.ok)
      expect(refused.error.message).toBe(
        'Semble documents no way to clear a journey stage: once sent, put it right in Semble (Frontdesk can withdraw it only before it is sent).',
      )
    // The drawer follows: the undo is there, disabled, with the reason.
    await openCard(page, id)
    await expect(d.getByRole('button', { name: 'Undo arrival' }).isDisabled()).resolves.toBe(true)
    await d.getByText(/^Semble documents no way to clear a journey stage/).waitFor()
    await expect(page.getByTestId('toasts').getByRole('button', { name: 'Undo' }).count()).resolves.toBe(0)
    await screenshotsAtSizes(page, 'undo-arrival-sent')
    expect((await get(id)).status).toBe('arrived')
  })

  it('the service refuses to undo what is not an arrival or no-show, or what is being sent', async () => {
    demo.runtime.appointments.undoWindowMs = 60_000
    const id = await bookAt(demo, { patientId: patients[2]!, typeRef, start: minutesFromNow(-10) })
    const booked = await demo.runtime.dispatch('appointments.undoStatus', { appointmentId: id })
    expect(booked.ok).toBe(false)
    if (!booked.ok)
      expect(booked.error.message).toBe('This appointment is booked; there is no arrival or no-show to undo.')

    await ok(demo, 'appointments.markNoShow', { appointmentId: id })
    // The row claimed for sending, as the worker does just before the request leaves.
    demo.runtime.db
      .prepare(`UPDATE outbox SET state = 'sending', attempts = 1 WHERE entity_key = ? AND state = 'pending'`)
      .run(`appointment:${id}`)
    const sending = await demo.runtime.dispatch('appointments.undoStatus', { appointmentId: id })
    expect(sending.ok).toBe(false)
    if (!sending.ok)
      expect(sending.error.message).toBe(
        'The no-show is being sent to Riverside Clinic right now, so it can no longer be withdrawn.',
      )
    expect((await get(id)).status).toBe('noshow')
    demo.runtime.db
      .prepare(`UPDATE outbox SET next_attempt_at = ? WHERE entity_key = ? AND state = 'sending'`)
      .run(demo.clock.now().toISOString(), `appointment:${id}`)
    await demo.runtime.sync.drain(RIVERSIDE)
    await until('the no-show reached Semble', async () => (await get(id)).sync === 'synced')
  })

  it('an arrival shown at once is not taken back by a day read that began before it', async () => {
    demo.runtime.appointments.undoWindowMs = 60_000
    const id = await bookAt(demo, { patientId: patients[3]!, typeRef, start: minutesFromNow(5) })
    await openCard(page, id)
    // Every status the card shows from now on.
    await page.evaluate(`(() => {
      const seen = []
      window.seenStatuses = seen
      const look = () => {
        const s = document.querySelector('[data-appointment-id="${id}"]')?.getAttribute('data-status')
        if (s && seen.at(-1) !== s) seen.push(s)
      }
      look()
      new MutationObserver(look).observe(document.body, {
        subtree: true,
        childList: true,
        attributes: true,
        attributeFilter: ['data-status'],
      })
    })()`)
    // A day read answered before the arrival, slow to reach the page. Another booking first, so
    // the answer carries the day's lists (not "unchanged" since the page's last read).
    heldDay.armed = true
    await bookAt(demo, { patientId: patients[4]!, typeRef, start: minutesFromNow(40) })
    await until('the day read was answered and held', () => heldDay.answered)
    const d = drawer(page)
    await d.getByRole('button', { name: 'Arrived' }).click()
    await d.getByTestId('drawer-status').getByText('Arrived').waitFor()
    const before = dayReads
    heldDay.release!()
    // The held answer, then the read that follows the arrival.
    await until('the day was read again after the held answer', () => dayReads >= before + 2)
    await d.getByTestId('drawer-status').getByText('Arrived').waitFor()
    const seen = (await page.evaluate('window.seenStatuses')) as string[]
    expect(seen).toEqual(['booked', 'arrived'])
  })

  it('logged nothing unexpected', () => {
    expect(problems).toEqual([])
  })
})
