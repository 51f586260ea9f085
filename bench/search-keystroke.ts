/**
 * Keystroke to results on screen, in the browser, over 250,000 cached patients: the browser host on
 * a real encrypted store, Chromium through playwright-core, surname prefixes typed one key at a
 * time into the header search. Each keystroke is timed inside the page, from its keydown to the DOM
 * commit that shows the answer for the text now in the box (the results list stops being busy).
 * Fuzzy search is on as in the app; BENCH_SLIPS whole surnames are also typed with two neighbouring
 * letters swapped ("kaur" as "kuar"), so their last keystrokes find nothing exact and take the
 * similar-name path ("Did you mean …?"). Beside the keystroke-to-screen figures it prints the
 * host's own search time and when the answer's last byte reached the page, so the part the page adds
 * after the answer is in (its first frame, reading the body, the render) shows apart from search,
 * when the page could first run any task after the keydown, and when the frame that draws the
 * results began (`drawn_*`). The browser runs with the Chromium features the desktop app turns off
 * (`src/main/electron/chromium.ts`): with `DeferRendererTasksAfterInput` on, Chromium would run
 * the keystroke's own frame before any other task, so an answer already in would wait for it and
 * be drawn a frame later.
 * Prints one JSON line. Run: npm run bench -- search-keystroke
 */
import { upsertPatients } from '../src/main/search'
import { mulberry32, seedClinic } from '../src/sandbox/seed'
import { asCachedPatients, benchRuntime, openBenchPage, percentile, round } from './_support'

const PATIENTS = Number(process.env.BENCH_PATIENTS ?? 250_000)
const SURNAMES = Number(process.env.BENCH_SURNAMES ?? 60)
const PREFIX = 4
const SLIPS = Number(process.env.BENCH_SLIPS ?? 20)
const CONNECTION = 'bench-clinic'

const { rt, done } = await benchRuntime()
let opened: Awaited<ReturnType<typeof openBenchPage>> | null = null
try {
  rt.connections.upsert({
    id: CONNECTION,
    vendor: 'semble',
    label: 'Bench clinic',
    baseUrl: 'http://127.0.0.1:9/graphql',
    timeZone: 'Europe/London',
    locale: 'en-GB',
    options: {},
    demo: false,
  })
  const clinic = seedClinic({
    patients: PATIENTS,
    seed: 2025,
    timeZone: 'Europe/London',
    today: new Date('2026-03-30T09:00:00Z'),
  })
  const patients = asCachedPatients(clinic.patients, CONNECTION)
  upsertPatients(rt.db, patients, new Date().toISOString())
  const rng = mulberry32(11)
  const words = Array.from({ length: SURNAMES }, () =>
    clinic.patients[Math.floor(rng() * clinic.patients.length)]!.familyName.toLowerCase()
      .replace(/[^a-z]/g, '')
      .slice(0, PREFIX),
  ).filter((w) => w.length > 0)
  // Whole surnames typed with a slip: the second and third letters swapped where they differ.
  const slipped = Array.from({ length: SLIPS * 4 }, () =>
    clinic.patients[Math.floor(rng() * clinic.patients.length)]!.familyName.toLowerCase().replace(
      /[^a-z]/g,
      '',
    ),
  )
    .filter((w) => w.length >= 4 && w.charAt(1) !== w.charAt(2))
    .slice(0, SLIPS)
    .map((w) => w.charAt(0) + w.charAt(2) + w.charAt(1) + w.slice(3))

  // The host's own time for each search (the call as the browser host dispatches it), kept apart
  // from what the page adds: the request, the answer's way back and the page's turn to show it.
  const hostMs: number[] = []
  const dispatch = rt.dispatch
  opened = await openBenchPage({
    bus: rt.bus,
    dispatch: async (name, input) => {
      const t = performance.now()
      const r = await dispatch(name, input)
      if (name === 'patients.search') hostMs.push(performance.now() - t)
      return r
    },
  })
  const page = opened.page
  await page.locator('#global-search-input').waitFor()

  // In the page: keydown starts a clock; the first DOM commit after it in which the results list
  // is not busy (the answer for the text now typed is on screen) stops it.
  await page.evaluate(`(() => {
    const input = document.getElementById('global-search-input')
    window.__times = []
    window.__empty = 0
    window.__suggested = 0
    window.__t0 = null
    window.__frames = []
    window.__received = []
    window.__drawn = []
    // When the first frame after the keystroke begins: Chromium runs no other task (a search
    // answer included) between a key's handling and that frame, so it bounds how soon any answer
    // can be on screen, whatever search costs.
    // And when the page could first run any other task after the keydown (a message posted in
    // its handler): an answer that is already in can be handled no sooner.
    window.__firstTasks = []
    input.addEventListener('keydown', (e) => {
      if (e.key.length !== 1) return
      const t0 = performance.now()
      window.__t0 = t0
      window.__frame = NaN
      requestAnimationFrame(() => { window.__frame = performance.now() - t0 })
      const channel = new MessageChannel()
      channel.port1.onmessage = () => { window.__firstTasks.push(performance.now() - t0); channel.port1.close() }
      channel.port2.postMessage(0)
    }, true)
    new MutationObserver(() => {
      if (window.__t0 === null) return
      const list = document.getElementById('global-search-results')
      if (list && list.getAttribute('aria-busy') === 'false') {
        const now = performance.now()
        const t0 = window.__t0
        window.__times.push(now - t0)
        // The frame that draws it: its animation callbacks run just before it is painted.
        requestAnimationFrame(() => window.__drawn.push(performance.now() - t0))
        window.__frames.push(window.__frame)
        // When the search answer's last byte arrived, from this keystroke's keydown.
        const asked = performance.getEntriesByType('resource').filter((r) => r.name.includes('patients.search'))
        if (asked.length) window.__received.push(asked[asked.length - 1].responseEnd - window.__t0)
        performance.clearResourceTimings()
        if (list.children.length === 0) window.__empty++
        if (document.querySelector('[data-testid="did-you-mean"]')) window.__suggested++
        window.__t0 = null
      }
    }).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true })
  })()`)

  const recorded = () => page.evaluate('window.__times.length') as Promise<number>
  // A first word to warm the statements and the renderer, not counted.
  for (const w of ['warm', ...words, ...slipped]) {
    await page.keyboard.press('/')
    for (const ch of w) {
      const before = await recorded()
      await page.keyboard.press(ch)
      await page.waitForFunction(`window.__times.length > ${before}`, undefined, { timeout: 10_000 })
    }
    if (w === 'warm') {
      await page.evaluate(
        'window.__times = []; window.__frames = []; window.__firstTasks = []; window.__received = []; window.__drawn = []; window.__empty = 0; window.__suggested = 0',
      )
      hostMs.length = 0
    }
    await page.keyboard.press('Escape')
  }
  const received = ((await page.evaluate('window.__received')) as number[]).sort((a, b) => a - b)
  const hosted = hostMs.sort((a, b) => a - b)
  const times = ((await page.evaluate('window.__times')) as number[]).sort((a, b) => a - b)
  const drawn = ((await page.evaluate('window.__drawn')) as number[]).sort((a, b) => a - b)
  // NaN: the answer was on screen before the first frame began.
  const framed = (await page.evaluate('window.__frames')) as (number | null)[]
  const frames = framed.filter((f): f is number => typeof f === 'number' && f >= 0).sort((a, b) => a - b)
  const firstTasks = ((await page.evaluate('window.__firstTasks')) as number[]).sort((a, b) => a - b)
  console.log(
    JSON.stringify({
      bench: 'search-keystroke',
      patients: PATIENTS,
      keystrokes: times.length,
      without_results: await page.evaluate('window.__empty'),
      slipped_words: slipped.length,
      with_did_you_mean: await page.evaluate('window.__suggested'),
      p50_ms: round(percentile(times, 50)),
      p95_ms: round(percentile(times, 95)),
      max_ms: round(times.at(-1) ?? NaN),
      drawn_p50_ms: round(percentile(drawn, 50)),
      drawn_p95_ms: round(percentile(drawn, 95)),
      answered_before_first_frame: framed.length - frames.length,
      first_frame_p50_ms: round(percentile(frames, 50)),
      first_frame_p95_ms: round(percentile(frames, 95)),
      first_task_after_key_p50_ms: round(percentile(firstTasks, 50)),
      first_task_after_key_p95_ms: round(percentile(firstTasks, 95)),
      host_search_p50_ms: round(percentile(hosted, 50)),
      host_search_p95_ms: round(percentile(hosted, 95)),
      answer_received_p50_ms: round(percentile(received, 50)),
      answer_received_p95_ms: round(percentile(received, 95)),
    }),
  )
} finally {
  await opened?.close()
  await done()
}
