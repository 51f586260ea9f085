/**
 * The day book and the patient list at size, in the browser: 40 practitioners with 10,000
 * appointments on one day and 10,000 patients, in a real encrypted store served by the browser host
 * to Chromium (playwright-core). The connection's clinic system is unreachable (a closed loopback
 * port), so the day is read from Frontdesk's copy, as on a bad-network morning.
 *
 * In the main process: a day's read on its own, and the day's list from the clinic system written
 * again (a refresh of the day), each with the longest main-thread task while it runs.
 *
 * Measured inside the page:
 * - choosing the date (the date box, then Previous/Next day between two packed days) to the first
 *   frame with cards laid out, to the frame after which no more cards came (the view filled), and
 *   how much of that was the day's read; and the longest main-thread task of a day switch (the
 *   browser reports tasks of 50 ms or more, so 0 is none that long) beside the longest gap of a
 *   timer chain meanwhile (p50, p95 and max over the switches), which sees a task or a frame's
 *   rendering however short;
 * - scrolling the grid across and down a step per frame: frame intervals, frames over 50 ms, and the
 *   lanes and cards in the page against the totals;
 * - the arrow keys: keydown to the frame after focus lands on the next appointment;
 * - the longest main-thread task while the day is re-read (Refresh; the same work as the minute
 *   timer and queue events);
 * - the Patients screen: each keystroke of a common surname prefix to the frame showing its results.
 *
 * Prints one JSON line per measurement. Run: npm run bench -- daybook (BENCH_TRACE=1 adds where the
 * page's main thread spent its time while scrolling; BENCH_TRACE=<folder> also keeps the traces).
 */
import { execFileSync } from 'node:child_process'
import { existsSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { startBrowserHost } from '../src/main/browser-host/server'
import { silentLogger } from '../src/main/log/logger'
import { toAppointment } from '../src/main/cache/cache-repo'
import { dayBounds } from '../src/main/services/day-book'
import { launchChromium } from '../test/support/browser'
import { fillDay } from './_daybook-fill'
import { benchRuntime, cpuWaitMs, percentile, round } from './_support'

const PRACTITIONERS = Number(process.env.BENCH_PRACTITIONERS ?? 40)
const APPOINTMENTS = Number(process.env.BENCH_APPOINTMENTS ?? 10_000)
const PATIENTS = Number(process.env.BENCH_PATIENTS ?? 10_000)
const TRIALS = Number(process.env.BENCH_TRIALS ?? 5)
const CONNECTION = 'bench-clinic'
const ZONE = 'Europe/London'
/** A Wednesday, outside the clock changes, and the Thursday after it, as packed. */
const DATE = '2026-11-25'
const NEXT_DATE = '2026-11-26'

// The renderer the host serves: build it when missing or older than the sources.
execFileSync(
  process.execPath,
  ['-e', "import('./scripts/build-if-stale.mjs').then((m) => m.buildIfStale(process.cwd()))"],
  { stdio: ['ignore', 'ignore', 'inherit'] },
)
const rendererDir = resolve('out/renderer')
if (!existsSync(resolve(rendererDir, 'index.html'))) {
  console.error('No renderer build in out/renderer: run `npx electron-vite build` first.')
  process.exit(1)
}

const stats = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  return {
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    max: round(sorted.at(-1) ?? NaN),
  }
}

/** In-page probes. Plain strings, so the page runs exactly this code. */
const PROBES = `(() => {
  const b = (window.__bench = { renders: [], keys: [], typed: [], longtasks: [] })
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) b.longtasks.push({ start: e.startTime, duration: e.duration })
  }).observe({ type: 'longtask', buffered: true })
  // Longtask entries start at 50 ms. A 0 ms timer chain (4 ms apart once nested) sees shorter ones:
  // its longest gap is the longest its next tick waited behind other work (a task, or a task and
  // the frame rendered straight after it).
  let gaps = null
  window.__gaps = {
    start() {
      const g = (gaps = { last: performance.now(), max: 0, on: true })
      const tick = () => {
        const t = performance.now()
        g.max = Math.max(g.max, t - g.last)
        g.last = t
        if (g.on) setTimeout(tick, 0)
      }
      setTimeout(tick, 0)
      return g.last
    },
    stop() {
      gaps.on = false
      return gaps.max
    },
  }
  const grid = () => document.querySelector('[data-testid="day-grid"]')

  // Choosing a date (the date box, or Previous/Next day) starts a clock; the first frame with the
  // wanted day's cards laid out stops it. The day's read is the appointments.day request.
  let watching = 0
  const startDay = () => {
    const t0 = performance.now()
    const mine = ++watching
    const want = b.wantTotal
    const tick = () => {
      if (mine !== watching) return
      const g = grid()
      const cards = g ? g.getElementsByClassName('day-card').length : 0
      const summary = document.querySelector('.today-summary')?.textContent ?? ''
      if (cards > 0 && summary.startsWith(want + ' appointment')) {
        g.getBoundingClientRect().width
        document.body.offsetHeight
        const t = performance.now()
        const read = performance
          .getEntriesByType('resource')
          .filter((e) => e.name.includes('appointments.day') && e.startTime >= t0)
        const first = { ms: t - t0, read_ms: read.length ? read[0].responseEnd - t0 : null }
        // Filled: the last frame that added cards, once ten frames in a row have added none.
        let last = cards, lastAt = t, quiet = 0
        const fill = () => {
          if (mine !== watching) return
          const n = g.getElementsByClassName('day-card').length
          if (n !== last) { last = n; lastAt = performance.now(); quiet = 0 } else quiet++
          if (quiet < 10) return requestAnimationFrame(fill)
          b.renders.push({
            ...first,
            filled_ms: lastAt - t0,
            lanes: g.getElementsByClassName('day-lane').length,
            first_cards: cards,
            cards: last,
          })
        }
        requestAnimationFrame(fill)
      } else requestAnimationFrame(tick)
    }
    requestAnimationFrame(tick)
  }
  // The day book's date field: a complete date goes as it is typed.
  document.addEventListener('input', (e) => { if (e.target.closest && e.target.closest('.today-date')) startDay() }, true)
  document.addEventListener('click', (e) => {
    const l = e.target.closest && e.target.closest('button')?.getAttribute('aria-label')
    if (l === 'Previous day' || l === 'Next day') startDay()
  }, true)

  // Scrolling a step per frame there and back; frame intervals from the rAF timestamps.
  window.__scroll = (axis, step, passes) => new Promise((done) => {
    const g = grid()
    const lanes = g.getElementsByClassName('day-lane')
    const cards = g.getElementsByClassName('day-card')
    const max = axis === 'x' ? g.scrollWidth - g.clientWidth : g.scrollHeight - g.clientHeight
    const times = []
    let maxLanes = 0, maxCards = 0, dir = 1, turned = 0, pos = 0
    const tick = (t) => {
      times.push(t)
      maxLanes = Math.max(maxLanes, lanes.length)
      maxCards = Math.max(maxCards, cards.length)
      if (turned >= passes) {
        const intervals = times.slice(1).map((x, i) => x - times[i])
        done({ intervals, maxLanes, maxCards, distance: max })
        return
      }
      pos = Math.max(0, Math.min(max, pos + dir * step))
      if (axis === 'x') g.scrollLeft = pos
      else g.scrollTop = pos
      if ((dir > 0 && pos >= max) || (dir < 0 && pos <= 0)) { dir = -dir; turned++ }
      requestAnimationFrame(tick)
    }
    requestAnimationFrame(tick)
  })

  // Arrow keys: keydown to the frame after focus lands on another appointment.
  let k0 = null
  document.addEventListener('keydown', (e) => { if (e.key.startsWith('Arrow')) k0 = { t: performance.now(), key: e.key } }, true)
  document.addEventListener('focusin', (e) => {
    if (!k0 || !e.target.hasAttribute || !e.target.hasAttribute('data-appointment-id')) return
    const k = k0
    k0 = null
    const focus = performance.now() - k.t
    requestAnimationFrame(() => {
      document.body.offsetHeight
      b.keys.push({ key: k.key, focus_ms: focus, frame_ms: performance.now() - k.t })
    })
  }, true)

  // Patients: keydown of a printable key to the commit showing the answer for the text in the
  // box (the list stops being busy), and to the next frame. Watched only once the Patients screen
  // is measured: observing the whole page adds a record for every card a day switch adds or removes.
  let p0 = null
  document.addEventListener('keydown', (e) => {
    if (e.target.id === 'patients-search-input' && e.key.length === 1) p0 = performance.now()
  }, true)
  window.__watchTyping = () => new MutationObserver(() => {
    if (p0 === null) return
    const list = document.getElementById('patients-results')
    if (!list || list.getAttribute('aria-busy') !== 'false') return
    const t = p0
    p0 = null
    const commit = performance.now() - t
    requestAnimationFrame(() => {
      document.body.offsetHeight
      b.typed.push({ commit_ms: commit, frame_ms: performance.now() - t, rows: list.children.length })
    })
  }).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true })
})()`

const count = (page: Page, what: string) => page.evaluate(`window.__bench.${what}.length`) as Promise<number>

async function waitMore(page: Page, what: string, before: number, timeout = 60_000) {
  await page.waitForFunction(`window.__bench.${what}.length > ${before}`, undefined, { timeout, polling: 50 })
}

/**
 * The longest gap of a 1 ms timer chain while `work` runs: the main thread's longest task in it;
 * and the longest gap less the time the thread waited for a CPU in it (its own work), where the
 * system tells.
 */
async function longestGapDuring(work: () => Promise<unknown>): Promise<{ gap: number; own: number | null }> {
  let gap = 0
  let own: number | null = cpuWaitMs() === null ? null : 0
  let last = performance.now()
  let lastWait = cpuWaitMs()
  let running = true
  const note = () => {
    const now = performance.now()
    const wait = cpuWaitMs()
    const g = now - last - 1
    gap = Math.max(gap, g)
    if (own !== null && wait !== null && lastWait !== null) own = Math.max(own, g - (wait - lastWait))
    last = now
    lastWait = wait
  }
  const tick = () => {
    if (!running) return
    note()
    setTimeout(tick, 1)
  }
  setTimeout(tick, 1)
  try {
    await work()
  } finally {
    // The work's last task ends before its promise settles: count the gap up to here too.
    note()
    running = false
  }
  return { gap, own }
}

const longestTask = async (page: Page, from: number) =>
  round(
    Math.max(
      0,
      ...((await page.evaluate(
        `window.__bench.longtasks.filter((t) => t.start >= ${from}).map((t) => t.duration)`,
      )) as number[]),
    ),
  )

interface TraceEvent {
  name: string
  ph: string
  ts: number
  dur?: number
  pid: number
  tid: number
  args?: unknown
}

/**
 * With BENCH_TRACE set, records Chromium's timeline while `run` runs and prints where the page's
 * main thread spent its time (script, style, layout, paint, hit testing...), as self time, so a
 * layout forced inside a hit test counts once. BENCH_TRACE=<folder> also keeps the whole trace.
 */
async function traced<T>(page: Page, label: string, run: () => Promise<T>): Promise<T> {
  const keep = process.env.BENCH_TRACE
  if (!keep) return run()
  await browser.startTracing(page, {
    categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'],
  })
  const result = await run()
  const raw = (await browser.stopTracing()).toString('utf8')
  if (keep !== '1') writeFileSync(resolve(keep, `daybook-${label}.json`), raw)
  const events = (JSON.parse(raw) as { traceEvents: TraceEvent[] }).traceEvents
  const main = events.find(
    (e) => e.name === 'thread_name' && JSON.stringify(e.args).includes('CrRendererMain'),
  )
  const mine = events
    .filter((e) => e.ph === 'X' && e.dur && main && e.pid === main.pid && e.tid === main.tid)
    .sort((a, b) => a.ts - b.ts || b.dur! - a.dur!)
  const self = new Map<string, number>()
  const open: { name: string; end: number }[] = []
  for (const e of mine) {
    while (open.length && open.at(-1)!.end <= e.ts) open.pop()
    const parent = open.at(-1)
    if (parent) self.set(parent.name, (self.get(parent.name) ?? 0) - e.dur! / 1000)
    self.set(e.name, (self.get(e.name) ?? 0) + e.dur! / 1000)
    open.push({ name: e.name, end: e.ts + e.dur! })
  }
  const top = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 12)
  console.log(
    JSON.stringify({
      bench: 'daybook-trace',
      phase: label,
      main_thread_self_ms: Object.fromEntries(top.map(([k, v]) => [k, round(v)])),
    }),
  )
  return result
}

const now = (page: Page) => page.evaluate('performance.now()') as Promise<number>

const { rt, done } = await benchRuntime()
const browser = await launchChromium()
let host: Awaited<ReturnType<typeof startBrowserHost>> | null = null
try {
  rt.connections.upsert({
    id: CONNECTION,
    vendor: 'semble',
    label: 'Bench clinic',
    baseUrl: 'http://127.0.0.1:9/graphql',
    timeZone: ZONE,
    locale: 'en-GB',
    options: {},
    demo: false,
  })
  const prefixes = fillDay(rt, {
    practitioners: PRACTITIONERS,
    appointments: APPOINTMENTS,
    patients: PATIENTS,
    connectionId: CONNECTION,
    zone: ZONE,
    date: DATE,
    moreDates: [NEXT_DATE],
  })

  // The day's read on its own, in the main process (the vendor refused, then the cache), with the
  // longest main-thread task meanwhile; beside it, the same rows read in one go on the main
  // connection, as one task (what a read was before it came in turns).
  const reads: number[] = []
  const readLongest: { gap: number; own: number | null }[] = []
  let fromCache = false
  for (let i = 0; i < 3; i++) {
    const t = performance.now()
    let r: Awaited<ReturnType<typeof rt.dispatch>> | undefined
    readLongest.push(
      await longestGapDuring(async () => {
        r = await rt.dispatch('appointments.day', { date: DATE })
      }),
    )
    reads.push(performance.now() - t)
    if (!r!.ok) throw new Error(r!.error.message)
    const columns = r!.value as { fromCache: boolean; appointments: unknown[] }[]
    const n = columns.reduce((s, c) => s + c.appointments.length, 0)
    if (n !== APPOINTMENTS) throw new Error(`the day has ${n} appointments, not ${APPOINTMENTS}`)
    fromCache = columns.every((c) => c.fromCache)
  }
  const { from: dayFrom, to: dayTo } = dayBounds(DATE, ZONE)
  const oneGo: number[] = []
  for (let i = 0; i < 3; i++) {
    const t = performance.now()
    rt.cache.appointmentsStarting(CONNECTION, dayFrom, dayTo)
    oneGo.push(performance.now() - t)
  }
  // The clinic system's list of the day written again (a refresh of the day), with the longest
  // main-thread task meanwhile: every row's checks and upsert, in turns.
  const listed = rt.cache.appointmentsStarting(CONNECTION, dayFrom, dayTo).map((r) => {
    const { id: _id, ...a } = toAppointment(r)
    return a
  })
  const writes: number[] = []
  const writeLongest: { gap: number; own: number | null }[] = []
  for (let i = 0; i < 2; i++) {
    const t = performance.now()
    writeLongest.push(
      await longestGapDuring(() =>
        rt.cache.replaceAppointments(CONNECTION, dayFrom, dayTo, listed, rt.cache.instant()),
      ),
    )
    writes.push(performance.now() - t)
  }

  host = await startBrowserHost({ dispatch: rt.dispatch, bus: rt.bus, rendererDir, log: silentLogger })
  // bypassCSP only lets the harness evaluate its probes; the app is unchanged.
  const context = await browser.newContext({
    bypassCSP: true,
    viewport: { width: 1440, height: 900 },
    locale: 'en-GB',
    timezoneId: ZONE,
  })
  const page = await context.newPage()
  await page.goto(host.url)
  await page.getByTestId('day-grid').or(page.locator('.day-skeleton')).first().waitFor()
  await page.evaluate(PROBES)
  await page.evaluate(`window.__bench.wantTotal = ${APPOINTMENTS}`)

  // First render: the date box (cold), then away to the next day and back with the buttons.
  const dateBox = page.getByRole('textbox', { name: 'Date', exact: true })
  let before = await count(page, 'renders')
  const switchFrom = await now(page)
  // The date field takes the clinic locale's order (day first in en-GB) and goes on Enter.
  await dateBox.fill(DATE.split('-').reverse().join('/'))
  await dateBox.press('Enter')
  await waitMore(page, 'renders', before)
  await page.waitForTimeout(1500) // reference data and the connectivity event's re-read land
  const coldLongest = await longestTask(page, switchFrom)
  // Two packed days in turn: the first visit to the next day (a read) is not counted as warm.
  const warmLongest: number[] = []
  const warmGaps: number[] = []
  // Found by a CSS selector: a role query works out every element's accessible name in the page,
  // 12-24 ms of the page's main thread after `from` that would count as the switch's.
  const dayButton = (name: string) => page.locator(`.today-nav button[aria-label="${name}"]`)
  for (let i = 0; i <= TRIALS; i++) {
    for (const name of ['Next day', 'Previous day']) {
      before = await count(page, 'renders')
      const from = (await page.evaluate('window.__gaps.start()')) as number
      await dayButton(name).click()
      await waitMore(page, 'renders', before)
      await page.waitForTimeout(800)
      const gap = (await page.evaluate('window.__gaps.stop()')) as number
      if (i > 0 || name === 'Previous day') {
        warmLongest.push(await longestTask(page, from))
        warmGaps.push(gap)
      }
    }
  }
  const renders = (await page.evaluate('window.__bench.renders')) as {
    ms: number
    read_ms: number | null
    filled_ms: number
    lanes: number
    first_cards: number
    cards: number
  }[]
  const columns = Number(
    ((await page.locator('.today-summary').textContent()) ?? '').match(/across (\d+) columns/)?.[1] ?? NaN,
  )

  // A re-read of the same day (Refresh; the minute timer and queue events do the same, cache only).
  const refreshFrom = await now(page)
  await page.getByRole('button', { name: 'Refresh', exact: true }).click()
  await page.waitForTimeout(3000)
  const refreshLongest = await longestTask(page, refreshFrom)

  // The page's frame rate at rest, for comparison with the scrolling figures.
  const idle = stats(
    (await page.evaluate(`new Promise((done) => {
      const t = []
      const f = (x) => { t.push(x); if (t.length < 61) requestAnimationFrame(f); else done(t.slice(1).map((v, i) => v - t[i])) }
      requestAnimationFrame(f)
    })`)) as number[],
  )

  // Scrolling: across the 40 lanes and back at 40 px a frame, then down the day and back at 30 px.
  type Scroll = { intervals: number[]; maxLanes: number; maxCards: number; distance: number }
  const across = (await traced(page, 'scroll-x', () =>
    page.evaluate('window.__scroll("x", 40, 2)'),
  )) as Scroll
  await page.waitForTimeout(500)
  const down = (await traced(page, 'scroll-y', () => page.evaluate('window.__scroll("y", 30, 4)'))) as Scroll
  await page.getByTestId('day-grid').evaluate((el) => el.scrollTo({ left: 0, top: 0 }))
  await page.waitForTimeout(500)

  // Keys: from the first appointment, right across 20 lanes, then down 30 appointments.
  await page.locator('button[data-appointment-id][tabindex="0"]').focus()
  await page.waitForTimeout(200)
  const keyFrom = await now(page)
  for (const [key, times] of [
    ['ArrowRight', 20],
    ['ArrowDown', 30],
  ] as const) {
    for (let i = 0; i < times; i++) {
      const n = await count(page, 'keys')
      await page.keyboard.press(key)
      // At the last card of a lane (or the last lane) focus stays put: that key is done.
      const moved = await waitMore(page, 'keys', n, 3_000).then(
        () => true,
        () => false,
      )
      if (!moved) {
        // Said, so a key that stopped early is not mistaken for a key measured in full.
        console.error(`${key} stopped moving focus after ${i} presses`)
        break
      }
    }
  }
  const keyLongest = await longestTask(page, keyFrom)
  const keys = (await page.evaluate('window.__bench.keys')) as {
    key: string
    focus_ms: number
    frame_ms: number
  }[]
  const right = stats(keys.filter((k) => k.key === 'ArrowRight').map((k) => k.frame_ms))
  const downKeys = stats(keys.filter((k) => k.key === 'ArrowDown').map((k) => k.frame_ms))

  const frames = (s: Scroll) => {
    const f = stats(s.intervals)
    return {
      p50: f.p50,
      p95: f.p95,
      max: f.max,
      over50: s.intervals.filter((i) => i > 50).length,
      n: s.intervals.length,
    }
  }
  const x = frames(across)
  const y = frames(down)
  const first = renders[0]!
  // The cold first visit to the next day (renders[1]) is neither the cold date box nor warm.
  const warm = renders.slice(2)
  const warmMs = stats(warm.map((r) => r.ms))
  const warmFilled = stats(warm.map((r) => r.filled_ms))
  const warmRead = stats(warm.map((r) => r.read_ms ?? NaN))
  console.log(
    JSON.stringify({
      bench: 'daybook',
      practitioners: PRACTITIONERS,
      appointments: APPOINTMENTS,
      lanes_total: columns,
      from_cache: fromCache,
      main_day_read_ms: stats(reads).p50,
      // The longest main-thread task during each read (a 1 ms timer chain's longest gap), and the
      // same less the time the thread waited for a CPU: the first is the first read after start.
      main_day_read_longest_task_ms: readLongest.map((l) => round(l.gap)),
      main_day_read_longest_task_less_cpu_wait_ms: readLongest.map((l) =>
        l.own === null ? null : round(l.own),
      ),
      main_day_rows_in_one_go_ms: stats(oneGo).p50,
      main_day_write_ms: stats(writes).p50,
      main_day_write_longest_task_ms: writeLongest.map((l) => round(l.gap)),
      main_day_write_longest_task_less_cpu_wait_ms: writeLongest.map((l) =>
        l.own === null ? null : round(l.own),
      ),
      first_render_cold_ms: round(first.ms),
      first_render_cold_read_ms: round(first.read_ms ?? NaN),
      first_render_p50_ms: warmMs.p50,
      first_render_max_ms: warmMs.max,
      first_render_read_p50_ms: warmRead.p50,
      filled_p50_ms: warmFilled.p50,
      filled_max_ms: warmFilled.max,
      // 0: no task of 50 ms or more (the longtask entries' least).
      day_switch_longest_task_ms: round(Math.max(...warmLongest)),
      day_switch_longest_gap_ms: stats(warmGaps),
      cold_longest_task_ms: coldLongest,
      refresh_longest_task_ms: refreshLongest,
      lanes_in_dom: first.lanes,
      cards_first_frame: warm[0]?.first_cards,
      cards_in_dom: first.cards,
      idle_frame_p50_ms: idle.p50,
      scroll_x_frame_p50_ms: x.p50,
      scroll_x_frame_p95_ms: x.p95,
      scroll_x_frame_max_ms: x.max,
      scroll_x_frames_over_50ms: x.over50,
      scroll_x_frames: x.n,
      scroll_x_lanes_in_dom_max: across.maxLanes,
      scroll_x_cards_in_dom_max: across.maxCards,
      scroll_y_frame_p50_ms: y.p50,
      scroll_y_frame_p95_ms: y.p95,
      scroll_y_frame_max_ms: y.max,
      scroll_y_frames_over_50ms: y.over50,
      scroll_y_frames: y.n,
      scroll_y_cards_in_dom_max: down.maxCards,
      key_right_p50_ms: right.p50,
      key_right_p95_ms: right.p95,
      key_right_max_ms: right.max,
      key_down_p50_ms: downKeys.p50,
      key_down_p95_ms: downKeys.p95,
      key_down_max_ms: downKeys.max,
      keys_longest_task_ms: keyLongest,
    }),
  )

  // The Patients screen: common surname prefixes typed a key at a time, after a warm-up word.
  await page.evaluate('window.__watchTyping()')
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Patients' }).click()
  const box = page.locator('#patients-search-input')
  await box.waitFor()
  for (const w of ['warm', ...prefixes]) {
    await box.focus()
    for (const ch of w) {
      const n = await count(page, 'typed')
      await page.keyboard.press(ch)
      await waitMore(page, 'typed', n, 10_000)
    }
    if (w === 'warm') await page.evaluate('window.__bench.typed = []')
    await page.keyboard.press('Escape')
    await page.waitForTimeout(100)
  }
  const typed = (await page.evaluate('window.__bench.typed')) as {
    commit_ms: number
    frame_ms: number
    rows: number
  }[]
  const commit = stats(typed.map((t) => t.commit_ms))
  const frame = stats(typed.map((t) => t.frame_ms))
  console.log(
    JSON.stringify({
      bench: 'patient-list',
      patients: PATIENTS,
      prefixes: prefixes.length,
      keystrokes: typed.length,
      rows_in_dom_max: Math.max(...typed.map((t) => t.rows)),
      commit_p50_ms: commit.p50,
      commit_p95_ms: commit.p95,
      p50_ms: frame.p50,
      p95_ms: frame.p95,
      max_ms: frame.max,
    }),
  )
} finally {
  await browser.close()
  await host?.close()
  await done()
}
