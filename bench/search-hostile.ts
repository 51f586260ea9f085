/**
 * Hostile searches over 250,000 cached patients: 100 one-letter words, the alphabet repeated, a
 * pasted paragraph. Each must answer in well under 50 ms (before the word cap, 100 one-letter
 * words blocked the main process for 4.5–6.6 s). Run: npx tsx bench/search-hostile.ts
 */
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { searchPatients, upsertPatients } from '../src/main/search'
import { openDatabase } from '../src/main/store/database'
import { mulberry32, seedClinic } from '../src/sandbox/seed'
import { asCachedPatients, percentile, round } from './_support'

const PATIENTS = Number(process.env.BENCH_PATIENTS ?? 250_000)
const TODAY = '2025-06-02'
const rng = mulberry32(13)
const letter = () => String.fromCharCode(97 + Math.floor(rng() * 26))

const queries: Record<string, string> = {
  hundred_letters: Array.from({ length: 100 }, letter).join(' '),
  alphabet_x4: 'abcdefghijklmnopqrstuvwxyz'.repeat(4).split('').join(' '),
  same_letter_100: Array(100).fill('a').join(' '),
  paragraph: 'the quick brown fox jumps over the lazy dog and then some more words follow it '.repeat(5),
  comma_100: `${Array.from({ length: 50 }, letter).join(' ')}, ${Array.from({ length: 50 }, letter).join(' ')}`,
}

const dir = mkdtempSync(join(tmpdir(), 'frontdesk-bench-hostile-'))
try {
  const db = openDatabase({ file: join(dir, 'clinic.db'), key: randomBytes(32).toString('hex') })
  db.prepare(
    `INSERT INTO connections (id, vendor, label, base_url, time_zone, created_at)
     VALUES ('bench', 'semble', 'Bench clinic', 'http://127.0.0.1', 'Europe/London', ?)`,
  ).run(new Date().toISOString())
  const clinic = seedClinic({
    patients: PATIENTS,
    seed: 2025,
    timeZone: 'Europe/London',
    today: new Date(`${TODAY}T09:00:00Z`),
  })
  upsertPatients(db, asCachedPatients(clinic.patients, 'bench'), new Date().toISOString())

  const out: Record<string, { max_ms: number; p50_ms: number }> = {}
  for (const [name, text] of Object.entries(queries)) {
    searchPatients(db, { text, today: TODAY })
    const times: number[] = []
    for (let i = 0; i < 10; i++) {
      const t0 = performance.now()
      searchPatients(db, { text, today: TODAY })
      times.push(performance.now() - t0)
    }
    times.sort((a, b) => a - b)
    out[name] = { max_ms: round(times.at(-1)!), p50_ms: round(percentile(times, 50)) }
  }
  // Judged on each query's median of 10 runs; the slowest single run is printed too (a shared
  // machine's scheduling shows there, not the search).
  const worst = Math.max(...Object.values(out).map((o) => o.p50_ms))
  const slowest = Math.max(...Object.values(out).map((o) => o.max_ms))
  console.log(
    JSON.stringify({
      bench: 'search-hostile',
      patients: PATIENTS,
      worst_p50_ms: worst,
      slowest_run_ms: slowest,
      budget_ms: 50,
      queries: out,
    }),
  )
  db.close()
  if (worst > 50) process.exitCode = 1
} finally {
  rmSync(dir, { recursive: true, force: true })
}
