/**
 * Free slots on screen, in the browser: the browser host over a real encrypted store, Semble's
 * simulator at its 120 requests/minute limit with BENCH_LATENCY_MS (default 250) on every request,
 * the background fill run first (as the app's own refresh would have), and Chromium through
 * playwright-core. Each round opens the booking dialog from a patient card and chooses an
 * appointment type; inside the page, the clock runs from the select's change event to the first
 * DOM commit that shows a slot tile, and on to the one that says the list was checked with the
 * clinic system. Prints one JSON line (firstMs and confirmedMs p50/p95, in milliseconds). Run by
 * `npm run bench -- slots` after its main-process figures (slots.ts).
 */
import { benchSembleClinic, openBenchPage, percentile, round } from './_support'

const ROUNDS = Number(process.env.BENCH_SLOT_ROUNDS ?? 12)
const LATENCY = Number(process.env.BENCH_LATENCY_MS ?? 250)

const { connectionId, sim, rt, done, adapter } = await benchSembleClinic({ patients: 100, seed: 5 })
let opened: Awaited<ReturnType<typeof openBenchPage>> | null = null
try {
  const patients = (await adapter.findPatients!({ text: '', limit: 20 })).filter((p) => p.nhsNumber)
  for (const p of patients) rt.cache.upsertPatient(p)
  sim.control.inject({ kind: 'latency', ms: LATENCY })
  await rt.refresh.refreshNow(connectionId)
  rt.sync.start()
  const ref = await rt.dispatch('reference.get', { connectionId })
  if (!ref.ok) throw new Error(ref.error.message)
  const types = (ref.value as { appointmentTypes: { ref: string; lengthMinutes: number }[] }).appointmentTypes
    .filter((t) => t.lengthMinutes <= 30)
    .map((t) => t.ref)

  opened = await openBenchPage(rt)
  const page = opened.page
  const nhs = patients[0]!.nhsNumber!
  await page.locator('#global-search-input').fill(nhs)
  await page.getByRole('listbox', { name: 'Patients found' }).getByRole('option').first().waitFor()
  await page.keyboard.press('Enter')
  const card = page.getByTestId('patient-card')
  await card.waitFor()

  // In the page: the type select's change starts a clock; the first commit with a slot tile stops
  // the first figure, the first one saying "Checked with …" the second.
  await page.evaluate(`(() => {
    window.__first = []
    window.__confirmed = []
    window.__t0 = null
    window.__gotFirst = false
    document.addEventListener('change', (e) => {
      if (e.target instanceof HTMLSelectElement && e.target.closest('[data-testid="booking-dialog"]')) {
        window.__t0 = performance.now()
        window.__gotFirst = false
      }
    }, true)
    new MutationObserver(() => {
      if (window.__t0 === null) return
      const now = performance.now()
      if (!window.__gotFirst && document.querySelector('[data-testid="slot-tile"]')) {
        window.__first.push(now - window.__t0)
        window.__gotFirst = true
      }
      if (window.__gotFirst && document.querySelector('[data-testid="slot-check"][data-state="confirmed"]')) {
        window.__confirmed.push(now - window.__t0)
        window.__t0 = null
      }
    }).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true })
  })()`)

  // One round more than counted: the first warms the renderer and the statements.
  for (let i = 0; i <= ROUNDS; i++) {
    await card.getByRole('button', { name: 'Book an appointment' }).click()
    const dialog = page.getByRole('dialog', { name: 'Book an appointment' })
    const select = dialog.getByLabel('Appointment type')
    await select.locator('option').nth(1).waitFor({ state: 'attached' })
    const before = (await page.evaluate('window.__confirmed.length')) as number
    await select.selectOption(types[i % types.length]!)
    await page.waitForFunction(`window.__confirmed.length > ${before}`, undefined, { timeout: 60_000 })
    if (i === 0) await page.evaluate('window.__first = []; window.__confirmed = []')
    await page.keyboard.press('Escape')
    await dialog.waitFor({ state: 'detached' })
  }
  const first = ((await page.evaluate('window.__first')) as number[]).sort((a, b) => a - b)
  const confirmed = ((await page.evaluate('window.__confirmed')) as number[]).sort((a, b) => a - b)
  console.log(
    JSON.stringify({
      bench: 'slots-page',
      rounds: first.length,
      latencyMs: LATENCY,
      firstMs: { p50: round(percentile(first, 50)), p95: round(percentile(first, 95)) },
      confirmedMs: { p50: round(percentile(confirmed, 50)), p95: round(percentile(confirmed, 95)) },
    }),
  )
} finally {
  await opened?.close()
  await done()
}
