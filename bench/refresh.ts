/**
 * The main thread while the background refresh fills 250,000 patients: a runtime on a real
 * encrypted file, its RefreshService reading the seeded clinic's patient list in pages of 100 (the
 * adapters' page size) from an in-process list (no HTTP, so only Frontdesk's own work is on the
 * main thread), and meanwhile a receptionist's searches from the main process every 20 ms.
 *
 * Two fills in one run, each on a fresh database: `main-thread` (patients written on the main
 * connection, as before) and `worker` (the runtime's background writer, store/background-writer.ts).
 * Both take the pages as fast as the main thread can, the worst case. Then `worker, vendor pace`
 * reads the first pages again over the full copy, one every 500 ms, the most Semble's limit allows:
 * how a refresh runs at a clinic. It runs twice: over an unchanged list (a patient the copy already
 * has as sent is not written, so nothing is committed), then with one patient's phone changed in
 * every page (a commit every page, each making the main connection drop its page cache).
 * For each it prints the longest main-thread task (the longest gap of a 1 ms timer chain, less
 * the timer's 1 ms), how many tasks were over 16 and 50 ms, the event loop delay's max and p99
 * (perf_hooks), and the search p50/p95 during the fill. The searches take turns between the header
 * search's request (ten hits, the rest counted to sixty: `header_search_*`) and fifty hits
 * (`search_*`, as this bench has always asked); the same task figures for the gaps with no
 * search in them (the refresh's own work), how busy the main thread was, and the machine's load
 * (the figures are wall-clock: waiting for a core on a busy machine counts). It also counts the
 * long tasks in which the main isolate's garbage collector paused it (perf_hooks `gc` entries), and
 * those of its memory reducer apart (below), and
 * times the same searches once more after the fill with nothing else running, so what the fill adds
 * to a search shows beside it. Prints JSON lines, asserts nothing.
 *
 * The vendor's list is held as the JSON bytes of each page (outside the JavaScript heap, as an HTTP
 * body arrives), parsed when the page is asked for as the app's HTTP client parses an answer (a
 * page this size in its JSON worker, vendors/http/json-bodies.ts), and its phones normalised as
 * the vendors' mappers do: the desktop app never holds 250,000 patient objects (or their text) on its main
 * thread, so neither does the bench (they would make every main-thread garbage collection longer).
 *
 * Where the system says how long the main thread waited for a CPU (Linux: /proc/thread-self/schedstat),
 * each gap is also given less that wait: on a shared machine a ready thread can wait for a CPU
 * while the CPUs are mostly idle, which no code of Frontdesk's can change. Both figures are printed.
 * A second thread with a timer of its own (bench/_stalls.ts) sees when the whole process was
 * stopped (the virtual machine's host taking its CPUs, which the guest does not count as a wait);
 * each long task is also given less the stopped time in it.
 *
 * BENCH_PATIENTS (default 250000) sets the worker fill; BENCH_BEFORE_PATIENTS (default the same)
 * the main-thread fill, which on a slow machine takes minutes.
 */
import { availableParallelism, loadavg } from 'node:os'
import {
  constants as perf,
  monitorEventLoopDelay,
  PerformanceObserver,
  type PerformanceEntry,
} from 'node:perf_hooks'
import { searchPatients } from '../src/main/search'
import { RefreshService } from '../src/main/sync/refresh'
import { mulberry32, seedClinic } from '../src/sandbox/seed'
import type { Patient } from '../src/shared/model'
import type { VendorAdapter } from '../src/main/vendors/types'
import { silentLogger } from '../src/main/log/logger'
import { phoneOrDrop } from '../src/main/vendors/normalise'
import { JsonBodies } from '../src/main/vendors/http/json-bodies'
import type { Runtime } from '../src/main/app/runtime'
import { HEADER_SEARCH } from '../src/shared/contract'
import { stalledWithin, watchStalls } from './_stalls'
import { asCachedPatients, benchClock, benchRuntime, cpuWaitMs, percentile, round } from './_support'

const PATIENTS = Number(process.env.BENCH_PATIENTS ?? 250_000)
const BEFORE = Number(process.env.BENCH_BEFORE_PATIENTS ?? PATIENTS)
const PAGE = 100
/**
 * The vendor's pace: Semble's limit, designed for at 120 requests a minute (vendors/semble/index.ts),
 * is a page every 500 ms at most. After the worker fill, BENCH_PACED_PAGES pages (default 120, a
 * minute) are read again at that pace over the full copy, as a later refresh reads them.
 */
const PAGE_MS = Number(process.env.BENCH_PAGE_MS ?? 500)
const PACED_PAGES = Number(process.env.BENCH_PACED_PAGES ?? 120)
const CONNECTION = 'bench-refresh'

const queries: string[] = []
/** Fifty hits, as this bench has always asked; the header search's request is `HEADER_SEARCH`. */
const FIFTY = { limit: 50 }
/** The seeded clinic's patients as the vendor's pages of JSON bytes; the patient objects are let go. */
const pageTexts = (() => {
  const clinic = seedClinic({ patients: Math.max(PATIENTS, BEFORE), seed: 1, today: benchClock.now() })
  const rng = mulberry32(5)
  for (let i = 0; i < 200; i++) {
    const p = clinic.patients[Math.floor(rng() * clinic.patients.length)]!
    const family = p.familyName.toLowerCase()
    queries.push(family.slice(0, 1 + (i % 4)))
    queries.push(`${p.nhsNumber.slice(0, 3)} ${p.nhsNumber.slice(3, 6)} ${p.nhsNumber.slice(6)}`)
  }
  const patients = asCachedPatients(clinic.patients, CONNECTION)
  // As strings, 250,000 patients would be about 100 MB more for the main isolate's collector.
  const texts: Buffer[] = []
  for (let at = 0; at < patients.length; at += PAGE)
    texts.push(Buffer.from(JSON.stringify(patients.slice(at, at + PAGE))))
  return texts
})()

/**
 * A vendor whose patient list is the first `count` seeded patients, one page per call, answered on
 * the next turn, or `pace.pageMs` after the call while `pace.pageMs` is set; while `pace.changing`,
 * each page's first patient has a phone it has not had before.
 */
function listingAdapter(count: number, pace: Pace, bodies: JsonBodies): VendorAdapter {
  let calls = 0
  return {
    listPatients: async ({ cursor }: { cursor?: string }) => {
      calls++
      await new Promise((r) => (pace.pageMs ? setTimeout(r, pace.pageMs) : setImmediate(r)))
      const at = Number(cursor ?? 0)
      const next = Math.min(at + PAGE, count)
      // Parsed as the app's HTTP client parses a vendor's answer (vendors/http/json-bodies.ts).
      const parsed = await bodies.parse(pageTexts[at / PAGE]!)
      if (!('json' in parsed)) throw new Error(parsed.error)
      const page = (parsed.json as Patient[]).slice(0, next - at)
      // Phones normalised as the vendors' mappers do (src/main/vendors/normalise.ts).
      for (const p of page) p.phone = phoneOrDrop(p.phone, silentLogger, { vendor: 'semble' })
      // Ofcom's drama range: 07700 900000 to 900999.
      if (pace.changing && page[0]) page[0].phone = `+447700900${String(calls % 1000).padStart(3, '0')}`
      return { patients: page, next: next < count ? String(next) : null }
    },
  } as unknown as VendorAdapter
}

interface Pace {
  pageMs: number
  changing: boolean
}

async function fill(mode: 'main-thread' | 'worker', count: number) {
  const { rt, done } = await benchRuntime()
  const bodies = new JsonBodies()
  try {
    rt.connections.upsert({
      id: CONNECTION,
      vendor: 'semble',
      label: 'Bench Clinic',
      baseUrl: 'http://127.0.0.1:9/graphql',
      timeZone: 'Europe/London',
      locale: 'en-GB',
      options: {},
      demo: false,
    })
    const pace: Pace = { pageMs: 0, changing: false }
    const adapter = listingAdapter(count, pace, bodies)
    // The runtime's own service carries the writer; the main-thread one is the same service without it.
    const refresh =
      mode === 'worker'
        ? rt.refresh
        : new RefreshService(rt.db, rt.connections, rt.cache, () => adapter, rt.sync, rt.bus, silentLogger, {
            now: () => benchClock.now(),
          })
    if (mode === 'worker') rt.adapters.get = () => adapter
    const pages = Math.ceil(count / PAGE) + 1
    const opts = refresh as unknown as { opts: { patientPagesPerRun?: number; windowDays?: number } }
    opts.opts.patientPagesPerRun = pages
    delete (opts.opts as { slotCache?: unknown }).slotCache

    await measure(mode, rt, refresh)
    if (mode === 'worker' && PACED_PAGES > 0) {
      // The list again from its start, over the full copy, at the vendor's pace.
      pace.pageMs = PAGE_MS
      opts.opts.patientPagesPerRun = PACED_PAGES
      await measure('worker, vendor pace, list unchanged', rt, refresh)
      pace.changing = true
      await measure('worker, vendor pace, a patient changed a page', rt, refresh)
    }
  } finally {
    await bodies.close()
    await done()
  }
}

/** A request's search times during the fill and alone after it, as `<name>_p50_ms` and so on. */
function searchFigures(name: string, during: number[], alone: number[]): Record<string, number> {
  const d = [...during].sort((a, b) => a - b)
  const a = [...alone].sort((x, y) => x - y)
  return {
    [`${name}_p50_ms`]: round(percentile(d, 50)),
    [`${name}_p95_ms`]: round(percentile(d, 95)),
    [`${name}_max_ms`]: round(d.at(-1) ?? 0),
    [`${name}_after_fill_alone_p50_ms`]: round(percentile(a, 50)),
    [`${name}_after_fill_alone_p95_ms`]: round(percentile(a, 95)),
  }
}

/** Runs one refresh of the bench connection with searches meanwhile, and prints its figures. */
async function measure(mode: string, rt: Runtime, refresh: RefreshService) {
  const today = '2026-03-30'
  // The app has searched before: its statements are prepared.
  for (const text of queries.slice(0, 8)) searchPatients(rt.db, { text, today, limit: 50 })
  const delay = monitorEventLoopDelay({ resolution: 1 })
  const gaps: number[] = []
  /** Gaps with no search in them: the refresh's own work (and the machine's other load). */
  const quiet: number[] = []
  let searched = false
  const searches: number[] = []
  const headerSearches: number[] = []
  /**
   * The main isolate's garbage-collection pauses, and the long gaps (start, length) to match;
   * `reducer`: a collection V8's memory reducer started (flagged to collect all external memory).
   */
  const pauses: { start: number; ms: number; reducer: boolean }[] = []
  const noteGc = (e: PerformanceEntry) => {
    const { flags } = (e as PerformanceEntry & { detail: { flags: number } }).detail
    const reducer = (flags & perf.NODE_PERFORMANCE_GC_FLAGS_ALL_EXTERNAL_MEMORY) !== 0
    pauses.push({ start: e.startTime, ms: e.duration, reducer })
  }
  const gc = new PerformanceObserver((list) => list.getEntries().forEach(noteGc))
  const longGaps: { start: number; ms: number }[] = []
  let running = true
  /** The same gaps less the time the main thread waited for a CPU in them. */
  const own: number[] = []
  let last = performance.now()
  let lastWait = cpuWaitMs()
  const tick = () => {
    // The timer set before the fill ended fires after it, while the watcher is stopped: not counted.
    if (!running) return
    const now = performance.now()
    const gap = Math.max(0, now - last - 1)
    gaps.push(gap)
    if (gap > 16) longGaps.push({ start: last, ms: gap })
    if (!searched) quiet.push(gap)
    const wait = lastWait === null ? null : cpuWaitMs()
    if (wait !== null && lastWait !== null) own.push(Math.max(0, gap - (wait - lastWait)))
    lastWait = wait
    searched = false
    last = now
    if (running) setTimeout(tick, 1)
  }
  let q = 0
  const search = () => {
    if (!running) return
    // Two turns each: the list alternates names and NHS numbers, so both kinds go to both requests.
    const header = Math.floor(q / 2) % 2 === 0
    const t0 = performance.now()
    searchPatients(rt.db, {
      text: queries[q++ % queries.length]!,
      today,
      ...(header ? HEADER_SEARCH : FIFTY),
    })
    ;(header ? headerSearches : searches).push(performance.now() - t0)
    searched = true
    setTimeout(search, 20)
  }
  const load = loadavg()[0]!
  const watch = await watchStalls()
  const elu = performance.eventLoopUtilization()
  delay.enable()
  gc.observe({ entryTypes: ['gc'] })
  // The chain's first gap starts now, after the watcher's start.
  last = performance.now()
  lastWait = cpuWaitMs()
  setTimeout(tick, 1)
  setTimeout(search, 20)
  const t0 = performance.now()
  const summary = await refresh.refreshNow(CONNECTION)
  const ms = performance.now() - t0
  running = false
  delay.disable()
  const stalls = await watch.stop()
  // Entries are delivered on a later turn: take what is still queued before counting.
  gc.takeRecords().forEach(noteGc)
  gc.disconnect()
  const overlaps = (g: { start: number; ms: number }, p: { start: number; ms: number }) =>
    p.start < g.start + g.ms + 1 && p.start + p.ms > g.start
  const withGc = longGaps.filter((g) => pauses.some((p) => overlaps(g, p)))
  const reducing = pauses.filter((p) => p.reducer)
  const busy = performance.eventLoopUtilization(elu)
  // Each long task less the time the whole process was stopped in it (bench/_stalls.ts).
  const outsideStalls = longGaps.map((g) => g.ms - stalledWithin(g, stalls))
  // The same searches again over the filled cache with nothing else running: what the fill adds
  // to a search shows against these.
  const idle: number[] = []
  const idleHeader: number[] = []
  for (const text of queries) {
    let t0 = performance.now()
    searchPatients(rt.db, { text, today, ...FIFTY })
    idle.push(performance.now() - t0)
    t0 = performance.now()
    searchPatients(rt.db, { text, today, ...HEADER_SEARCH })
    idleHeader.push(performance.now() - t0)
  }
  const r = summary.connections[0]!
  const cached = rt.db
    .prepare('SELECT count(*) AS n FROM patients WHERE connection_id = ?')
    .get(CONNECTION) as {
    n: number
  }
  const sortedGaps = [...gaps].sort((a, b) => a - b)
  console.log(
    JSON.stringify({
      bench: 'refresh',
      mode,
      patients: cached.n,
      listed: r.patientsListed,
      cached: cached.n,
      outcome: r.outcome,
      fill_s: round(ms / 1000),
      longest_task_ms: round(sortedGaps.at(-1) ?? 0),
      tasks_over_16ms: gaps.filter((g) => g > 16).length,
      tasks_over_50ms: gaps.filter((g) => g > 50).length,
      // Null where the system does not say how long the thread waited for a CPU.
      longest_task_less_cpu_wait_ms: own.length ? round(own.reduce((m, g) => Math.max(m, g), 0)) : null,
      tasks_over_16ms_less_cpu_wait: own.length ? own.filter((g) => g > 16).length : null,
      // Null where the system does not say how long the watcher waited for a CPU either.
      longest_task_outside_stalls_ms:
        lastWait === null
          ? null
          : round(Math.max(sortedGaps.filter((g) => g <= 16).at(-1) ?? 0, ...outsideStalls)),
      tasks_over_16ms_outside_stalls: lastWait === null ? null : outsideStalls.filter((g) => g > 16).length,
      process_stalls_over_16ms: stalls.filter((s) => s.ms > 16).length,
      process_stall_longest_ms: round(stalls.reduce((m, s) => Math.max(m, s.ms), 0)),
      longest_task_without_search_ms: round(quiet.reduce((m, g) => Math.max(m, g), 0)),
      tasks_over_16ms_without_search: quiet.filter((g) => g > 16).length,
      // Long tasks during which the main isolate's garbage collector paused it, and its longest pause.
      tasks_over_16ms_with_gc_pause: withGc.length,
      gc_pause_longest_ms: round(pauses.reduce((m, p) => Math.max(m, p.ms), 0)),
      // V8's memory reducer: about 8 s after a full collection, once the thread allocates little (as
      // between pages at a vendor's pace), it collects again and compacts the whole heap to hand
      // memory back. It is made when the isolate is (`--no-memory-reducer` set later does nothing),
      // so Electron's main process cannot turn it off for itself.
      memory_reducer_gcs: reducing.length,
      tasks_over_16ms_with_memory_reducer_gc: longGaps.filter((g) => reducing.some((p) => overlaps(g, p)))
        .length,
      main_thread_busy: round(busy.utilization),
      loop_delay_max_ms: round(delay.max / 1e6),
      loop_delay_p99_ms: round(delay.percentile(99) / 1e6),
      searches: searches.length,
      ...searchFigures('search', searches, idle),
      header_searches: headerSearches.length,
      ...searchFigures('header_search', headerSearches, idleHeader),
      // Wall-clock figures: on a machine busier than its cores, waiting for a core counts as a task.
      cores: availableParallelism(),
      load_1min: [round(load), round(loadavg()[0]!)],
    }),
  )
}

if (BEFORE > 0) await fill('main-thread', BEFORE)
await fill('worker', PATIENTS)
