/**
 * `npm run bench` runs every benchmark; `npm run bench -- search` runs one. Each prints JSON lines.
 * Figures are for comparison on one machine in one run, never asserted in tests.
 */
import { spawnSync } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const all = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.startsWith('_'))
  .map((f) => f.replace(/\.ts$/, ''))
  .sort()
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'))
const unknown = wanted.filter((w) => !all.includes(w))
if (unknown.length) {
  console.error(`No such benchmark: ${unknown.join(', ')}. Known: ${all.join(', ')}`)
  process.exit(2)
}
let failed = 0
for (const name of wanted.length ? wanted : all) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(here, `${name}.ts`)], { stdio: 'inherit' })
  if (r.status !== 0) failed++
}
process.exit(failed ? 1 : 0)
