#!/usr/bin/env node
/**
 * Electron security scan over src/ with @doyensec/electronegativity, against a reviewed baseline
 * (build/electronegativity-baseline.json: each accepted finding with why it does not apply).
 * A finding not in the baseline fails (exit 1). Findings match on check, file and code sample,
 * not line numbers, so unrelated edits do not break the match.
 * Run: node scripts/electronegativity.mjs [folder, default src] (exit 0 clean, 1 new findings, 2 scanner failed)
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const root = resolve(import.meta.dirname, '..')
const baselineFile = join(root, 'build/electronegativity-baseline.json')
const electronMajor = JSON.parse(readFileSync(join(root, 'build/supported-electron.json'), 'utf8')).major

/** RFC 4180-ish: quoted fields may hold commas and doubled quotes. */
export function parseCsv(text) {
  const rows = []
  let row = []
  let field = ''
  let quoted = false
  const endField = () => {
    row.push(field.trim())
    field = ''
  }
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"'
        i++
      } else if (c === '"') quoted = false
      else field += c
    } else if (c === '"') quoted = true
    else if (c === ',') endField()
    else if (c === '\n') {
      endField()
      rows.push(row)
      row = []
    } else if (c !== '\r') field += c
  }
  if (field || row.length) {
    endField()
    rows.push(row)
  }
  return rows
}

const input = resolve(root, process.argv[2] ?? 'src')
const key = (f) => `${f.issue} | ${f.file} | ${f.sample}`

const out = mkdtempSync(join(tmpdir(), 'electronegativity-'))
try {
  const csv = join(out, 'findings.csv')
  const run = spawnSync(
    process.execPath,
    [
      join(root, 'node_modules/@doyensec/electronegativity/dist/index.js'),
      ...['-i', input, '-r', '-v', 'false', '-e', `${electronMajor}.0.0`, '-o', csv],
    ],
    { encoding: 'utf8', cwd: root },
  )
  if (run.status !== 0) {
    console.error(run.stdout, run.stderr)
    process.exit(2)
  }
  const [header, ...rows] = parseCsv(readFileSync(csv, 'utf8')).filter((r) => r.length > 1)
  const col = (name) => header.indexOf(name)
  const findings = rows.map((r) => ({
    issue: r[col('issue')],
    file: r[col('filename')],
    sample: r[col('sample')],
    location: r[col('location')],
  }))
  const baseline = JSON.parse(readFileSync(baselineFile, 'utf8')).accepted
  const accepted = new Set(baseline.map(key))
  const fresh = findings.filter((f) => !accepted.has(key(f)))
  const seen = new Set(findings.map(key))
  const stale = baseline.filter((b) => !seen.has(key(b)))
  for (const s of stale) console.log(`baseline entry no longer found (remove it): ${key(s)}`)
  if (fresh.length) {
    console.error(
      `${fresh.length} new electronegativity finding(s); fix them or review them into ${baselineFile}:`,
    )
    for (const f of fresh) console.error(`  ${f.issue} ${f.file}:${f.location}  ${f.sample}`)
    process.exit(1)
  }
  console.log(`electronegativity: ${findings.length} finding(s), all reviewed in the baseline.`)
} finally {
  rmSync(out, { recursive: true, force: true })
}
