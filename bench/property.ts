/**
 * The outbox property at length: the same test `npm test` runs 25 times a vendor
 * (test/integration/sync/outbox-property.test.ts), here 200 times a vendor (PROPERTY_RUNS
 * overrides) from a new seed each time (PROPERTY_SEED repeats one). Prints one JSON line per vendor:
 * runs, whether every run ended with the vendor holding exactly the intended state, and the time.
 * A failure prints fast-check's seed and shrunk sequence, so it can be replayed in the test.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { z } from 'zod'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const runs = Number(process.env.PROPERTY_RUNS ?? 200)
const seed = Number(process.env.PROPERTY_SEED ?? Math.floor(Math.random() * 2 ** 31))

// Only the fields read here, from vitest's JSON report.
const report = z.object({
  testResults: z.array(
    z.object({
      assertionResults: z.array(
        z.object({
          ancestorTitles: z.array(z.string()),
          status: z.string(),
          duration: z.number().nullish(),
          failureMessages: z.array(z.string()),
        }),
      ),
    }),
  ),
})

const dir = mkdtempSync(join(tmpdir(), 'frontdesk-property-'))
const vendors = ['semble', 'healthie', 'hero', 'heim']
let failed = 0
const started = performance.now()
try {
  // One vendor at a time, so each line prints as soon as its runs are done.
  for (const vendor of vendors) {
    const out = join(dir, `${vendor}.json`)
    spawnSync(
      'npx',
      [
        'vitest',
        'run',
        'test/integration/sync/outbox-property.test.ts',
        '-t',
        `the outbox to ${vendor},`,
        '--reporter=json',
        `--outputFile=${out}`,
      ],
      {
        cwd: root,
        stdio: ['ignore', 'ignore', 'inherit'],
        env: { ...process.env, FRONTDESK_PROPERTY_RUNS: String(runs), FRONTDESK_PROPERTY_SEED: String(seed) },
      },
    )
    const parsed = report.parse(JSON.parse(readFileSync(out, 'utf8')))
    const t = parsed.testResults.flatMap((f) => f.assertionResults).find((a) => a.status !== 'skipped')
    const passed = t?.status === 'passed'
    if (!passed) failed++
    console.log(
      JSON.stringify({
        bench: 'property',
        vendor,
        runs,
        seed,
        passed,
        seconds: Math.round((t?.duration ?? 0) / 1000),
        ...(passed ? {} : { failure: (t?.failureMessages.join('\n') ?? 'did not run').slice(0, 3000) }),
      }),
    )
  }
  console.log(
    JSON.stringify({
      bench: 'property',
      total: true,
      runsPerVendor: runs,
      failedVendors: failed,
      seconds: Math.round((performance.now() - started) / 1000),
    }),
  )
  process.exitCode = failed ? 1 : 0
} finally {
  rmSync(dir, { recursive: true, force: true })
}
