#!/usr/bin/env node
/**
 * Guard mutations: each entry of test/guards/mutations.json removes one guard with a one-line
 * change. For each, a copy of the repo (src, test, configs; node_modules linked) gets the change
 * and the named tests run there; the check fails unless every mutation makes them fail, or if a
 * mutation's search text is not in its file exactly once (the guard moved: update the list).
 * Needs the keychain like the integration tests: run it inside
 * `bash scripts/with-keyring.sh`.
 *
 * Options: a word filters the list by name; `--jobs N` runs N mutations side by side, each in its
 * own copy (default 2: most of a run waits on browsers, simulators and timers);
 * `--no-baseline` skips the unmutated run, for CI, where `npm test` has just run every one of
 * these tests unmutated on the same tree.
 */
import { spawn, spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { stripVTControlCharacters } from 'node:util'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { z } from 'zod'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const listFile = join(root, 'test/guards/mutations.json')

const listSchema = z
  .object({
    about: z.string().optional(),
    mutations: z
      .array(
        z
          .object({
            name: z.string().min(1),
            file: z.string().min(1),
            search: z
              .string()
              .min(1)
              .refine((s) => !s.includes('\n'), 'must be one line'),
            replace: z.string().refine((s) => !s.includes('\n'), 'must be one line'),
            tests: z.array(z.string().min(1)).min(1),
            testNamePattern: z.string().optional(),
          })
          .strict(),
      )
      .min(1),
  })
  .strict()

const parsed = listSchema.safeParse(JSON.parse(readFileSync(listFile, 'utf8')))
if (!parsed.success) {
  console.error(`test/guards/mutations.json is not a valid list:\n${parsed.error.message}`)
  process.exit(2)
}
const args = process.argv.slice(2)
/** Takes `--name value` (or `--name` alone, when `takesValue` is false) out of the arguments. */
const option = (name, takesValue = true) => {
  const i = args.indexOf(name)
  if (i < 0) return undefined
  return takesValue ? args.splice(i, 2)[1] : args.splice(i, 1)[0]
}
const noBaseline = option('--no-baseline', false) !== undefined
const jobs = Number(option('--jobs') ?? 2)
if (!Number.isInteger(jobs) || jobs < 1) {
  console.error('--jobs takes a whole number of at least 1')
  process.exit(2)
}
const only = args[0]
const mutations = parsed.data.mutations.filter((m) => !only || m.name.includes(only))

const COPIED = [
  'src',
  'test',
  'scripts',
  'package.json',
  'tsconfig.json',
  'tsconfig.base.json',
  'tsconfig.node.json',
  'tsconfig.web.json',
  'vitest.config.ts',
]
/** A copy of the repo for one worker to mutate. */
function makeCopy() {
  const copy = mkdtempSync(join(tmpdir(), 'frontdesk-guards-'))
  for (const entry of COPIED) cpSync(join(root, entry), join(copy, entry), { recursive: true })
  symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'), 'dir')
  // End-to-end guard tests serve the built renderer (npm test builds it); the services they drive
  // run from the copy's mutated source in the test process.
  if (existsSync(join(root, 'out'))) symlinkSync(join(root, 'out'), join(copy, 'out'), 'dir')
  return copy
}
const copies = Array.from({ length: Math.min(jobs, mutations.length) }, makeCopy)

/** vitest's -t is a regular expression; the list names tests literally. */
const escape = (p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
const problems = []
const started = performance.now()
const vitestSync = (args) =>
  spawnSync('npx', ['vitest', 'run', ...args], { cwd: copies[0], encoding: 'utf8', env: process.env })
/** One vitest run in a copy, without blocking the other workers. */
const vitest = (copy, args) =>
  new Promise((done) => {
    const child = spawn('npx', ['vitest', 'run', ...args], { cwd: copy, env: process.env })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d))
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d))
    child.on('close', (status) => done({ status, stdout, stderr }))
  })

/** Applies one mutation in a copy, runs its tests, and puts the file back. */
async function tryMutation(copy, m) {
  const target = join(copy, m.file)
  if (!existsSync(target)) {
    problems.push(`${m.name}: ${m.file} does not exist`)
    return
  }
  const original = readFileSync(target, 'utf8')
  const found = original.split(m.search).length - 1
  if (found !== 1) {
    problems.push(`${m.name}: the search text is in ${m.file} ${found} times, not once: "${m.search}"`)
    return
  }
  writeFileSync(
    target,
    original.replace(m.search, () => m.replace),
  )
  const t0 = performance.now()
  const runArgs = ['--bail', '1', ...m.tests]
  if (m.testNamePattern) runArgs.push('-t', escape(m.testNamePattern))
  const run = await vitest(copy, runArgs)
  writeFileSync(target, original)
  const seconds = ((performance.now() - t0) / 1000).toFixed(0)
  // Exit 1 with failed tests is "caught"; anything else (no tests matched, a crash) is not.
  const ranTests = /Tests\s+.*\d+ (passed|failed)/.test(stripVTControlCharacters(run.stdout))
  if (run.status === 1 && ranTests && /failed/.test(run.stdout)) {
    console.log(`caught   ${m.name} (${seconds} s)`)
  } else {
    console.log(`MISSED   ${m.name} (${seconds} s)`)
    problems.push(
      `${m.name}: the tests still pass with the guard removed (${m.tests.join(', ')}${m.testNamePattern ? ` -t "${m.testNamePattern}"` : ''}; exit ${run.status})\n${run.stdout.slice(-2000)}${run.stderr.slice(-1000)}`,
    )
  }
}

/** Unmutated first, the same tests: a test that fails anyway would "catch" every mutation. */
function baselineFailure() {
  const groups = new Map()
  for (const m of mutations) {
    const key = m.tests.join(' ')
    const patterns = groups.has(key) ? groups.get(key) : []
    groups.set(key, m.testNamePattern && patterns ? [...patterns, m.testNamePattern] : null)
  }
  for (const [key, patterns] of groups) {
    const filter = patterns ? ['-t', patterns.map(escape).join('|')] : []
    const baseline = vitestSync([...key.split(' '), ...filter])
    if (baseline.status !== 0)
      return `The guard tests fail without any mutation (${key}):\n${baseline.stdout.slice(-3000)}${baseline.stderr.slice(-1000)}`
  }
  return undefined
}

let failure
try {
  failure = noBaseline ? undefined : baselineFailure()
  if (!failure) {
    console.log(
      noBaseline
        ? 'baseline: skipped (npm test ran these tests unmutated)'
        : 'baseline: the guard tests pass unmutated',
    )
    // Each worker takes the next mutation off the list, in its own copy.
    const queue = [...mutations]
    await Promise.all(
      copies.map(async (copy) => {
        for (let m = queue.shift(); m; m = queue.shift()) await tryMutation(copy, m)
      }),
    )
  }
} finally {
  for (const copy of copies) rmSync(copy, { recursive: true, force: true })
}

if (failure) {
  console.error(failure)
  process.exit(1)
}
const total = ((performance.now() - started) / 1000).toFixed(0)
if (problems.length) {
  console.error(`\n${problems.length} of ${mutations.length} guard mutations not caught (${total} s):\n`)
  for (const p of problems) console.error(`- ${p}\n`)
  process.exit(1)
}
console.log(`\nall ${mutations.length} guard mutations caught (${total} s)`)
