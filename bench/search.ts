/**
 * Patient search over 250,000 cached patients, in this process as the main process runs it:
 * a real encrypted store file, the demo clinic's patients, queries typed as a receptionist types.
 * Prints one JSON line of latencies (bench/memory.ts measures the memory), fifty results a search,
 * and the name queries once more as the header search asks (ten hits, the rest counted).
 * Run: npx tsx bench/search.ts
 *
 * The name queries run a second time as a plain `LIKE '%…%'` scan over the same rows, the way
 * most practice systems search (first 50 by surname, given name, date of birth, as the index
 * answers), so the index's advantage is measured in the same run: both p95s and their ratio.
 */
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { searchPatients, upsertPatients } from '../src/main/search'
import { openDatabase } from '../src/main/store/database'
import { mulberry32, seedClinic } from '../src/sandbox/seed'
import { HEADER_SEARCH } from '../src/shared/contract'
import { asCachedPatients } from './_support'

const PATIENTS = Number(process.env.BENCH_PATIENTS ?? 250_000)
const QUERIES_PER_KIND = 400
/** Results per search (and per LIKE scan). */
const LIMIT = 50
const TODAY = '2025-06-02'

const dir = mkdtempSync(join(tmpdir(), 'frontdesk-bench-search-'))
try {
  const db = openDatabase({ file: join(dir, 'clinic.db'), key: randomBytes(32).toString('hex') })
  db.prepare(
    `INSERT INTO connections (id, vendor, label, base_url, time_zone, created_at)
     VALUES ('bench', 'semble', 'Bench clinic', 'http://127.0.0.1', 'Europe/London', ?)`,
  ).run(new Date().toISOString())

  const { insertMs, queries } = load(db)
  const run = (text: string) => searchPatients(db, { text, today: TODAY, limit: LIMIT })
  for (const q of queries) run(q.text) // warm the page cache and the prepared statements

  const times: Record<string, number[]> = { prefix: [], nhs: [], dob: [], phone: [] }
  let empty = 0
  for (let round = 0; round < 3; round++) {
    for (const q of queries) {
      const t0 = performance.now()
      const res = run(q.text)
      times[q.kind]!.push(performance.now() - t0)
      if (res.results.length === 0) empty++
    }
  }
  if (empty) console.error(`warning: ${empty} searches found nobody`)
  const header: number[] = []
  for (let round = 0; round < 3; round++) {
    for (const q of queries) {
      if (q.kind !== 'prefix') continue
      const t0 = performance.now()
      searchPatients(db, { text: q.text, today: TODAY, ...HEADER_SEARCH })
      header.push(performance.now() - t0)
    }
  }

  const names = queries.filter((q) => q.kind === 'prefix')
  const likeScan = db.prepare(
    `SELECT id, given_name, family_name, birth_date FROM patients
     WHERE connection_id = 'bench' AND (family_name LIKE ? OR given_name LIKE ?)
     ORDER BY family_name, given_name, birth_date LIMIT ${LIMIT}`,
  )
  const like = (text: string) => likeScan.all(`%${text}%`, `%${text}%`)
  for (const q of names.slice(0, 20)) like(q.text) // warm
  const likeTimes: number[] = []
  let likeEmpty = 0
  for (const q of names) {
    const t0 = performance.now()
    const rows = like(q.text)
    likeTimes.push(performance.now() - t0)
    if (rows.length === 0) likeEmpty++
  }
  if (likeEmpty) console.error(`warning: ${likeEmpty} LIKE scans found nobody`)

  const pct = (xs: number[], p: number) => {
    const s = [...xs].sort((a, b) => a - b)
    return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!
  }
  const round3 = (x: number) => Math.round(x * 1000) / 1000
  const summary = (xs: number[]) => ({
    n: xs.length,
    p50_ms: round3(pct(xs, 50)),
    p95_ms: round3(pct(xs, 95)),
    p99_ms: round3(pct(xs, 99)),
  })
  const all = Object.values(times).flat()
  const by_kind = Object.fromEntries(Object.entries(times).map(([k, xs]) => [k, summary(xs)]))
  console.log(
    JSON.stringify({
      bench: 'search',
      patients: PATIENTS,
      p50_ms: round3(pct(all, 50)),
      p95_ms: round3(pct(all, 95)),
      p99_ms: round3(pct(all, 99)),
      by_kind,
      names_as_header_search: summary(header),
      names_vs_like_scan: {
        index_p95_ms: by_kind.prefix!.p95_ms,
        like_scan_p95_ms: round3(pct(likeTimes, 95)),
        like_scan_p50_ms: round3(pct(likeTimes, 50)),
        like_scan_n: likeTimes.length,
        like_over_index_p95: Math.round((pct(likeTimes, 95) / pct(times.prefix!, 95)) * 10) / 10,
      },
      insert_ms: Math.round(insertMs),
    }),
  )
  db.close()
} finally {
  rmSync(dir, { recursive: true, force: true })
}

type Query = { kind: 'prefix' | 'nhs' | 'dob' | 'phone'; text: string }

/** Loads the clinic through the cache's bulk write and picks the queries; the clinic itself is dropped after. */
function load(db: ReturnType<typeof openDatabase>): { insertMs: number; queries: Query[] } {
  const clinic = seedClinic({
    patients: PATIENTS,
    seed: 2025,
    timeZone: 'Europe/London',
    today: new Date(`${TODAY}T09:00:00Z`),
  })
  const patients = asCachedPatients(clinic.patients, 'bench')
  const insertStart = performance.now()
  upsertPatients(db, patients, new Date().toISOString())
  const insertMs = performance.now() - insertStart

  const rng = mulberry32(7)
  const sample = () => clinic.patients[Math.floor(rng() * clinic.patients.length)]!
  const queries: Query[] = []
  for (let i = 0; i < QUERIES_PER_KIND / 4; i++) {
    // A surname typed keystroke by keystroke: every prefix of 1–4 characters is a search.
    const family = sample().familyName.toLowerCase()
    for (let n = 1; n <= 4; n++) queries.push({ kind: 'prefix', text: family.slice(0, n) })
  }
  for (let i = 0; i < QUERIES_PER_KIND; i++) {
    const p = sample()
    const nhs = p.nhsNumber
    queries.push({ kind: 'nhs', text: `${nhs.slice(0, 3)} ${nhs.slice(3, 6)} ${nhs.slice(6)}` })
    const [y, m, d] = p.birthDate.split('-')
    queries.push({ kind: 'dob', text: i % 2 ? `${d}/${m}/${y}` : `${d}-${Number(m)}-${y!.slice(2)}` })
    const national = `0${p.phone.slice(3)}`
    queries.push({ kind: 'phone', text: `${national.slice(0, 5)} ${national.slice(5)}` })
  }

  return { insertMs, queries }
}
