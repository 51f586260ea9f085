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
try {
  const out = join(dir, 'report.json')
  const started = performance.now()
  spawnSync(
    'npx',
    [
      'vitest',
      'run',
      'test/integration/sync/outbox-property.test.ts',
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
  let failed = 0
  for (const t of parsed.testResults.flatMap((f) => f.assertionResults)) {
    const vendor = /the outbox to (\w+)/.exec(t.ancestorTitles.join(' '))?.[1] ?? t.ancestorTitles.join(' ')
    const passed = t.status === 'passed'
    if (!passed) failed++
    console.log(
      JSON.stringify({
        bench: 'property',
        vendor,
        runs,
        seed,
        passed,
        seconds: Math.round((t.duration ?? 0) / 1000),
        ...(passed ? {} : { failure: t.failureMessages.join('\n').slice(0, 2000) }),
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
