/**
 * The outage kit with the clinic system down: the day list per practitioner comes from Frontdesk's
 * own copy, with each patient's date of birth and the free gaps to book on paper, ready to print
 * (one practitioner per A4 page).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dayBounds } from '../../src/main/services/day-book'
import { screenshotPath } from '../support/browser'
import { seriousViolations, startDemoHost, type DemoHost } from '../support/e2e'

let demo: DemoHost

beforeAll(async () => {
  demo = await startDemoHost({ patients: 200, name: 'outage-kit' })
})

afterAll(async () => {
  await demo?.close()
})

/** The next weekday after `from` (the app's today; clinics keep weekday lists), as YYYY-MM-DD. */
function nextWeekday(from = demo.clock.now()): string {
  const d = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate() + 1))
  while (d.getUTCDay() === 0 || d.getUTCDay() === 6) d.setUTCDate(d.getUTCDate() + 1)
  return d.toISOString().slice(0, 10)
}

/** `09:35` (or `09:35 BST`) → minutes after midnight. */
const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5))
/** `45 min`, `2 h`, `1 h 30 min` → minutes. */
const durationOf = (text: string) =>
  Number(/(\d+) h/.exec(text)?.[1] ?? 0) * 60 + Number(/(\d+) min/.exec(text)?.[1] ?? 0)

describe('the outage kit', () => {
  it('prints the day list per practitioner from the cache while Semble is offline', async () => {
    const date = nextWeekday()
    // The nightly refresh filled the cache while Semble was up: patients (written by the
    // background writer's thread) and then the days around today, each appointment with its patient.
    // Every other patient has a London landline, so the list must print it as the patient card does.
    // The demo's first refresh may still be running, past its patient list; a refresh asked for now
    // would join it and keep the old phones. So that one ends first.
    await demo.runtime.refresh.refreshNow('demo-semble')
    const semblePatients = [...demo.runtime.sandbox!.semble.control.state.patients.values()]
    semblePatients.forEach((p, i) => {
      if (i % 2)
        p.phones = [
          {
            ...p.phones[0]!,
            phoneType: 'Home',
            phoneNumber: '+442079460' + String(i % 1000).padStart(3, '0'),
          },
        ]
    })
    await demo.runtime.refresh.refreshNow('demo-semble')
    const before = await demo.runtime.dispatch('appointments.day', { date })
    expect(before.ok).toBe(true)
    expect((await demo.runtime.dispatch('reference.get', { connectionId: 'demo-semble' })).ok).toBe(true)
    await demo.runtime.sandbox!.semble.control.setOffline(true)
    // Hillside's patients of the day in the copy too (a practice's list looked up before), some
    // with long names: its compact list must still print each one's date of birth whole.
    const hillsideDay = dayBounds(date, 'Europe/London')
    const heroRefs = demo.runtime.db
      .prepare(
        `SELECT DISTINCT patient_ref FROM appointments
          WHERE connection_id = 'demo-hero' AND patient_ref IS NOT NULL AND start >= ? AND start < ?`,
      )
      .pluck()
      .all(hillsideDay.from, hillsideDay.to) as string[]
    expect(heroRefs.length).toBeGreaterThan(30)
    const surnames = ['Featherstonehaugh-Wolfe', 'Kaur', 'Ó Súilleabháin', 'Okonkwo-Adeyemi', 'Li']
    heroRefs.forEach((ref, i) =>
      demo.runtime.cache.upsertPatient({
        connectionId: 'demo-hero',
        ref,
        givenName: i % 2 ? 'Maximiliana-Josephine' : 'Jo',
        familyName: surnames[i % surnames.length]!,
        birthDate: `19${String(40 + (i % 60)).padStart(2, '0')}-${String(1 + (i % 12)).padStart(2, '0')}-28`,
      }),
    )

    const { page, problems } = await demo.page({ bypassCSP: true })
    await page.getByRole('button', { name: 'Outage kit' }).click()
    await page.getByRole('heading', { name: /Outage kit/ }).waitFor()
    await page.getByLabel('Day').fill(date)
    const riverside = page.locator('section.outage-page[aria-label$=", Riverside Clinic"]')
    await riverside.first().waitFor({ timeout: 60_000 })
    // Riverside's list is Frontdesk's copy, and says so.
    await page.getByText(/Riverside Clinic: Frontdesk’s copy/).waitFor()
    expect(await riverside.count()).toBeGreaterThan(1)
    const firstPage = riverside.first()
    await expect(firstPage.getByRole('heading', { level: 3 }).textContent()).resolves.toMatch(
      /^(Dr|Mr|Mrs|Ms) /,
    )
    const rows = firstPage.locator('tbody tr')
    expect(await rows.count()).toBeGreaterThan(0)
    const row = (await firstPage.locator('tbody tr:not(.outage-free)').first().textContent())!
    expect(row).toMatch(/^\d\d:\d\d–\d\d:\d\d/)
    expect(row).toMatch(/Born \d{1,2} \w{3} \d{4} \(\d+\)/)
    expect(row).toMatch(/NHS \d{3} \d{3} \d{4}|Riverside Clinic /)
    expect(row).toMatch(/07\d{3} \d{6}|020 7946 0\d{3}/) // phone
    // Phones as the patient card shows them: mobiles 5 + 6, London 3 + 4 + 4 (never `02079 460123`).
    const phones = await page.locator('section.outage-page td.outage-phone').allTextContents()
    for (const phone of phones) expect(phone).toMatch(/^(07\d{3} \d{6}|020 7946 0\d{3}|—)$/)
    expect(phones.some((p) => p.startsWith('020 '))).toBe(true)
    expect(await firstPage.locator('tbody tr td:nth-child(4)').first().textContent()).not.toBe('—') // type
    await page.getByText('Riverside Clinic is offline').first().waitFor()

    // The free gaps between the booked appointments, in time order, each with a line to write on.
    const cells = await rows.evaluateAll((trs) =>
      trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')),
    )
    const busy: [number, number][] = []
    const free: { from: number; to: number; minutes: number; at: number }[] = []
    cells.forEach((c, at) => {
      const gap = /^Free (\d\d:\d\d)(?: \w+)?–(\d\d:\d\d)(?: \w+)? \(([^)]+)\)$/.exec(c[0]!)
      if (gap) {
        expect(c).toHaveLength(1)
        free.push({ from: minutesOf(gap[1]!), to: minutesOf(gap[2]!), minutes: durationOf(gap[3]!), at })
        return
      }
      const time = /^(\d\d:\d\d)(?: \w+)?–(\d\d:\d\d)/.exec(c[0]!)!
      expect(time, c[0]).not.toBeNull()
      if (c[4] !== 'Cancelled') busy.push([minutesOf(time[1]!), minutesOf(time[2]!)])
    })
    expect(free.length).toBeGreaterThan(0)
    const dayStart = Math.min(8 * 60, ...busy.map((b) => b[0]))
    const dayEnd = Math.max(18 * 60, ...busy.map((b) => b[1]))
    for (const g of free) {
      expect(g.minutes).toBe(g.to - g.from)
      expect(g.minutes).toBeGreaterThanOrEqual(10)
      // It starts where the day or a booked appointment ends, and ends where the next one or the day begins…
      expect(g.from === dayStart || busy.some((b) => b[1] === g.from)).toBe(true)
      expect(g.to === dayEnd || busy.some((b) => b[0] === g.to)).toBe(true)
      // …with no booked appointment inside it, and sits after the rows that start before it.
      expect(busy.filter((b) => b[0] < g.to && b[1] > g.from)).toEqual([])
      const before = cells.slice(0, g.at).filter((c) => c.length > 1)
      const after = cells.slice(g.at + 1).filter((c) => c.length > 1)
      expect(before.every((c) => minutesOf(c[0]!) < g.from)).toBe(true)
      expect(after.every((c) => minutesOf(c[0]!) >= g.from)).toBe(true)
    }
    // At least one lies between two booked appointments.
    expect(free.some((g) => busy.some((b) => b[1] === g.from) && busy.some((b) => b[0] === g.to))).toBe(true)
    expect(await firstPage.locator('tr.outage-free .outage-free-write').count()).toBe(free.length)

    // Hillside (Hero Health) names no practitioner: its whole day is one long list.
    const hillside = page.locator('section.outage-page[aria-label="No practitioner, Hillside Surgery"]')
    await hillside.waitFor()
    expect(await hillside.locator('tbody tr').count()).toBeGreaterThan(60)

    // One practitioner per printed page: a page break before each one after the first…
    await page.emulateMedia({ media: 'print' })
    const breaks = (await page.evaluate(
      "[...document.querySelectorAll('section.outage-page')].slice(1).map((e) => getComputedStyle(e).breakBefore)",
    )) as string[]
    expect(new Set(breaks)).toEqual(new Set(['page']))
    // …and each practitioner's day on one A4 page, Hillside's long list too: as many PDF pages as
    // sections.
    const sections = await page.locator('section.outage-page').count()
    expect(sections).toBeGreaterThan(2)
    const pdf = (await page.pdf({ format: 'A4' })).toString('latin1')
    expect(pdf.match(/\/Type\s*\/Page(?![a-zA-Z])/g)?.length).toBe(sections)
    // Still readable on paper: at least 8pt (CSS px are 3/4 pt).
    const px = (await page.evaluate(
      `parseFloat(getComputedStyle(document.querySelector('section.outage-page[aria-label="No practitioner, Hillside Surgery"] tbody td')).fontSize)`,
    )) as number
    expect(px * 0.75).toBeGreaterThanOrEqual(8)
    // On paper, every Hillside patient's date of birth is printed whole beside the name, which
    // starts with the surname however long it is.
    const printed = (await hillside.evaluate(`[...document.querySelectorAll(
      'section.outage-page[aria-label="No practitioner, Hillside Surgery"] tbody tr:not(.outage-free)',
    )].map((tr) => ({
      name: tr.cells[1].innerText,
      born: tr.cells[2].textContent,
      bornCut: tr.cells[2].scrollWidth > tr.cells[2].clientWidth,
    }))`)) as { name: string; born: string; bornCut: boolean }[]
    const known = printed.filter((r) => r.born !== '—')
    expect(known.length).toBeGreaterThan(30)
    for (const r of known) {
      expect(r.born, r.name).toMatch(/^\d{1,2} [A-Z][a-z]{2,3} 19\d\d$/)
      expect(r.bornCut, `${r.name}: ${r.born}`).toBe(false)
      expect(
        surnames.some((s) => r.name.startsWith(s.toUpperCase())),
        r.name,
      ).toBe(true)
      expect(r.name, 'the date of birth is in its own column').not.toContain('Born')
    }
    await hillside.screenshot({ path: screenshotPath('outage-kit-print-no-practitioner') })
    expect(await page.locator('nav.nav').isVisible()).toBe(false)
    expect(await page.getByText('Riverside Clinic is offline').first().isVisible()).toBe(false)
    await page.screenshot({ path: screenshotPath('outage-kit-print') })
    await page.emulateMedia({ media: 'screen' })
    await expect(page.getByRole('button', { name: 'Print / Save as PDF' }).isEnabled()).resolves.toBe(true)
    await page.screenshot({ path: screenshotPath('outage-kit') })
    expect(await seriousViolations(page)).toEqual([])
    expect(problems).toEqual([])
  }, 240_000)
})
