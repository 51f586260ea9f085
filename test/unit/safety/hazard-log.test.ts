/**
 * The hazard log cannot drift from the suite: every `file › test name` it cites must be a test file
 * that holds a test of exactly that name, every control must cite one, and the hazards the log must
 * cover are there.
 */
import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

const LOG = resolve('docs/safety/hazard-log.md')
const text = readFileSync(LOG, 'utf8')

/** `test/…/x.test.ts › name`, inside backticks. */
const REF = /`(test\/[^`\s]+\.test\.ts) › ([^`]+)`/g
const refs = [...text.matchAll(REF)].map((m) => ({ file: m[1]!, name: m[2]! }))

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** Whether `source` declares it/test (or .only/.each-free forms) named exactly `name`. */
export function declaresTest(source: string, name: string): boolean {
  const quoted = ["'", '"', '`'].map(
    (q) => `${q}${escape(q === "'" ? name.replaceAll("'", "\\'") : name)}${q}`,
  )
  return new RegExp(`\\b(?:it|test)\\(\\s*(?:${quoted.join('|')})\\s*,`).test(source)
}

describe('the hazard log', () => {
  it('cites tests by file and exact name', () => {
    expect(refs.length).toBeGreaterThan(40)
  })

  it('cites only test files that exist, each holding a test of exactly that name', () => {
    const missing = refs.filter(({ file, name }) => {
      const path = resolve(file)
      return !existsSync(path) || !declaresTest(readFileSync(path, 'utf8'), name)
    })
    expect(missing.map((r) => `${r.file} › ${r.name}`)).toEqual([])
  })

  it('names a test for every control', () => {
    const controls = text.split('\n').filter((l) => /^- \*\*C\d+\.\d+\*\*/.test(l))
    expect(controls.length).toBeGreaterThan(40)
    expect(controls.filter((l) => !new RegExp(REF.source).test(l))).toEqual([])
  })

  it('covers the hazards a front desk can cause, each with its ratings, controls and residual risk', () => {
    const hazards = [
      'Wrong patient selected',
      'Right patient, wrong time',
      'Lost action',
      'Doubled action',
      'Stale view',
      'Wrong clinic system',
      'Credentials or patient data exposed',
    ]
    const sections = text.split(/^## /m).slice(1)
    expect(sections.map((s) => s.split('\n')[0]!.replace(/^H\d+ /, ''))).toEqual(hazards)
    for (const s of sections) {
      for (const row of ['Causes', 'Effect', 'Severity', 'Likelihood \\(before controls\\)', 'Residual risk'])
        expect(s, s.split('\n')[0]).toMatch(new RegExp(`^\\| ${row}\\s*\\| \\S`, 'm'))
      expect(s).toMatch(/^- \*\*C\d+\.1\*\* /m)
    }
    // The causes the issue names are each addressed somewhere in the log.
    for (const cause of [
      'same name and date of birth',
      'similar names',
      'several clinic systems in one list',
      'both directions',
      "clinic's zone differing from the PC's zone",
      'two-digit years',
      'day/month order',
      'crashes',
      'discarded',
      'update is installed while changes are waiting',
      'ambiguous answer',
      'two Frontdesk processes',
      'slow vendor',
      'cache is old',
      'day book is read offline',
      'refresh failed without saying',
    ])
      expect(text).toContain(cause)
  })

  it('the name matcher accepts exact names only', () => {
    const source = `it('books one', async () => {})\n  it(\n    "says \\"sent\\" now",\n () => {})`
    expect(declaresTest(source, 'books one')).toBe(true)
    expect(declaresTest(source, 'books')).toBe(false)
    expect(declaresTest(source, 'books one more')).toBe(false)
    expect(declaresTest("it('it’s fine', () => {})", 'it’s fine')).toBe(true)
  })
})
