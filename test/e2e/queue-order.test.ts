/**
 * The order rule, as a receptionist meets it: with Riverside (Semble) offline, a booking, a
 * check-in, a no-show and a cancellation wait in the queue, which shows each one's attempts and
 * next try, says the order rule, and offers Send now; when Riverside answers again they reach it
 * promptly and in the order they were made.
 */
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ActionResult } from '../../src/shared/contract'
import { bookAt, cachedPatients, firstTypeRef, freeClinician, ok, RIVERSIDE } from '../support/desk'
import { screenshot, seriousViolations, startDemoHost, type DemoHost } from '../support/e2e'
import { until } from '../support/until'

let demo: DemoHost
let page: Page
let problems: string[]

beforeAll(async () => {
  demo = await startDemoHost({ patients: 200, name: 'queue-order' })
  ;({ page, problems } = await demo.page({ bypassCSP: true }))
  await page.getByText('All clinic systems online').waitFor({ timeout: 60_000 })
}, 120_000)

afterAll(async () => {
  await demo?.runtime.sandbox?.semble.control.setOffline(false)
  await demo?.close()
})

const semble = () => demo.runtime.sandbox!.semble
const minutesFromNow = (m: number) => new Date(demo.clock.now().getTime() + m * 60_000)
const refOf = (id: string) => demo.runtime.cache.appointmentRow(id)!.ref!

describe('the queue keeps the order things were done in', () => {
  it('book, check-in, no-show and cancel made offline reach Semble in that order once it is back', async () => {
    const patients = cachedPatients(demo)
    const typeRef = await firstTypeRef(demo)
    // Already at the clinic: one appointment under way, one missed, one later today.
    const arriving = await bookAt(demo, { patientId: patients[10]!, typeRef, start: minutesFromNow(-10) })
    const missed = await bookAt(demo, { patientId: patients[11]!, typeRef, start: minutesFromNow(-40) })
    const later = await bookAt(demo, { patientId: patients[12]!, typeRef, start: minutesFromNow(180) })
    const start = new Date(Math.floor(minutesFromNow(24 * 60).getTime() / 60_000) * 60_000).toISOString()
    const end = new Date(Date.parse(start) + 15 * 60_000).toISOString()
    const where = await freeClinician(demo, start, end)
    const before = semble().control.writes().length

    // The seconds for Undo (desk-undo.test.ts) would let other records' changes go first meanwhile.
    demo.runtime.appointments.undoWindowMs = 0
    await semble().control.setOffline(true)
    try {
      await offlineThenBack()
    } finally {
      await semble().control.setOffline(false)
    }
    async function offlineThenBack() {
      const booked = await ok<ActionResult>(demo, 'appointments.book', {
        connectionId: RIVERSIDE,
        ...where,
        patientId: patients[13]!,
        appointmentTypeRef: typeRef,
        start,
        end,
        confirmOverlap: true,
      })
      await ok(demo, 'appointments.markArrived', { appointmentId: arriving })
      await ok(demo, 'appointments.markNoShow', { appointmentId: missed })
      await ok(demo, 'appointments.cancel', { appointmentId: later, reason: 'Rang to cancel' })

      await page.getByRole('button', { name: /^Queue/ }).click()
      const rows = page.getByTestId(`queue-group-${RIVERSIDE}`).getByTestId('queue-row')
      await until('four rows', async () => (await rows.count()) === 4)
      expect(await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')))).toEqual([
        'book',
        'markArrived',
        'markNoShow',
        'cancel',
      ])
      await expect(page.getByTestId('queue-order').textContent()).resolves.toBe(
        'Changes are sent in the order they were made. A change that needs attention holds back only later changes to the same appointment or patient; everything else goes on.',
      )
      // The booking was tried and found Riverside away; the others wait behind it, untried.
      await until('the booking was tried', async () =>
        /attempt/.test((await rows.first().getByTestId('queue-state').textContent())!),
      )
      expect(await rows.first().getByTestId('queue-state').textContent()).toMatch(
        /^Waiting to send \(\d+ attempts?\) — goes when Riverside Clinic is back online$/,
      )
      expect(await rows.nth(3).getByTestId('queue-state').textContent()).toBe(
        'Waiting to send (not tried yet) — goes when Riverside Clinic is back online',
      )
      expect(await seriousViolations(page)).toEqual([])
      await screenshot(page, 'queue-order-offline')

      await semble().control.setOffline(false)
      // The probe finds Riverside back and the queue drains without waiting out any backoff.
      await page.getByText('Nothing is waiting: every change has reached its clinic system.').waitFor({
        timeout: 20_000,
      })
      const sent = semble()
        .control.writes()
        .slice(before)
        .filter((w) => w.outcome === 'applied')
        .map((w) => {
          const input = JSON.stringify(w.input)
          if (w.operation === 'createBooking' && input.includes(refOf(booked.appointment.id!))) return 'book'
          if (input.includes(refOf(arriving))) return `arrive:${w.operation}`
          if (input.includes(refOf(missed))) return `no-show:${w.operation}`
          if (input.includes(refOf(later))) return `cancel:${w.operation}`
          return w.operation === 'createBooking' ? 'book' : null
        })
        .filter((x) => x !== null)
      expect(sent).toEqual([
        'book',
        'arrive:updateBookingJourney',
        'no-show:updateBookingJourney',
        'cancel:deleteBooking',
      ])
    }
    expect(problems).toEqual([])
  })

  it('"Send now" sends a waiting change at once instead of at its next try', async () => {
    const patients = cachedPatients(demo)
    const typeRef = await firstTypeRef(demo)
    const start = new Date(Math.floor(minutesFromNow(26 * 60).getTime() / 60_000) * 60_000).toISOString()
    const end = new Date(Date.parse(start) + 15 * 60_000).toISOString()
    const where = await freeClinician(demo, start, end)
    // Riverside turns the booking away (503) until told otherwise.
    semble().control.inject({ kind: 'status', status: 503, count: 10_000, scope: 'writes' })
    const booked = await ok<ActionResult>(demo, 'appointments.book', {
      connectionId: RIVERSIDE,
      ...where,
      patientId: patients[14]!,
      appointmentTypeRef: typeRef,
      start,
      end,
      confirmOverlap: true,
    })
    const seq = demo.runtime.db
      .prepare(`SELECT max(seq) FROM outbox WHERE entity_key = ?`)
      .pluck()
      .get(`appointment:${booked.appointment.id}`) as number
    // Its backoff grown to ten minutes, as after many refusals (the demo's backoff is short).
    await until(
      'turned away and waiting',
      () =>
        demo.runtime.db
          .prepare(
            `UPDATE outbox SET next_attempt_at = ? WHERE seq = ? AND state = 'pending' AND attempts > 0`,
          )
          .run(minutesFromNow(10).toISOString(), seq).changes === 1,
    )
    semble().control.clearFaults()
    // The backoff was changed behind the app's back (no event), so open the queue afresh.
    await page.keyboard.press('Alt+1')
    await page.getByRole('button', { name: /^Queue/ }).click()
    const row = page.locator(`[data-testid="queue-row"][data-kind="book"]`)
    await until('waiting for its next try', async () =>
      /^Waiting to send \(\d+ attempts?\), next try in (9|10) min$/.test(
        (await row
          .getByTestId('queue-state')
          .textContent()
          .catch(() => '')) ?? '',
      ),
    )
    await screenshot(page, 'queue-send-now')
    await row.getByRole('button', { name: 'Send now' }).click()
    await page.getByText('Nothing is waiting: every change has reached its clinic system.').waitFor({
      timeout: 20_000,
    })
    expect(demo.runtime.cache.appointmentRow(booked.appointment.id!)!.ref).toBeTruthy()
    expect(problems).toEqual([])
  })
})
