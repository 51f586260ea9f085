/**
 * The main process's memory holding a clinic-profile runtime (encrypted store, keychain, services)
 * with 250,000 patients in the cache, after a few searches have warmed it and the generated clinic
 * itself is garbage. Prints one JSON line. BENCH_PATIENTS changes the count.
 */
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { searchPatients, upsertPatients } from '../src/main/search'
import { seedClinic } from '../src/sandbox/seed'
import { asCachedPatients, benchRuntime } from './_support'

const PATIENTS = Number(process.env.BENCH_PATIENTS ?? 250_000)
const CONNECTION = 'bench-memory'

const { rt, done } = await benchRuntime()
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
  const surnames = load()
  // A receptionist's first searches: the page cache and prepared statements are part of the footprint.
  for (const s of surnames) searchPatients(rt.db, { text: s.slice(0, 3), today: '2025-06-02' })
  collectGarbage()
  const mem = process.memoryUsage()
  const count = rt.db.prepare(`SELECT count(*) AS n FROM patients`).get() as { n: number }
  if (count.n !== PATIENTS) throw new Error(`expected ${PATIENTS} patients in the cache, found ${count.n}`)
  console.log(
    JSON.stringify({
      bench: 'memory',
      patients: count.n,
      rss_mb: Math.round(mem.rss / 2 ** 20),
      heap_mb: Math.round(mem.heapUsed / 2 ** 20),
    }),
  )
} finally {
  await done()
}

/** Writes the seeded clinic's patients through the cache's bulk write; returns a few surnames to search. */
function load(): string[] {
  const clinic = seedClinic({
    patients: PATIENTS,
    seed: 2025,
    timeZone: 'Europe/London',
    today: new Date('2025-06-02T09:00:00Z'),
  })
  const patients = asCachedPatients(clinic.patients, CONNECTION)
  for (let i = 0; i < patients.length; i += 10_000) {
    upsertPatients(rt.db, patients.slice(i, i + 10_000), new Date().toISOString())
  }
  return clinic.patients.slice(0, 50).map((p) => p.familyName)
}

function collectGarbage() {
  setFlagsFromString('--expose-gc')
  const gc = runInNewContext('gc') as () => void
  gc()
  gc()
}
