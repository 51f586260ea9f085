/**
 * Every behaviour docs/vendors/<vendor>.md lists as unknown or inferred names its entry in that
 * vendor's assumption register (`src/main/vendors/<vendor>/assumptions.ts`), and every entry is in
 * the table: a guess cannot be written down in one place and not the other. Rows about what a
 * vendor's API lacks, or that Frontdesk does not rely on, say so in their status.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Register } from '../../../src/main/vendors/assumptions'
import { healthieAssumptions } from '../../../src/main/vendors/healthie/assumptions'
import { heimAssumptions } from '../../../src/main/vendors/heim/assumptions'
import { heroAssumptions } from '../../../src/main/vendors/hero/assumptions'
import { sembleAssumptions } from '../../../src/main/vendors/semble/assumptions'

const registers: Record<string, Register> = {
  semble: sembleAssumptions,
  healthie: healthieAssumptions,
  hero: heroAssumptions,
  heim: heimAssumptions,
}
const NOT_A_GUESS = /absent from the reference|not relied on|next version/

function rows(vendor: string): { behaviour: string; status: string; source: string; line: string }[] {
  const text = readFileSync(join(__dirname, '../../../docs/vendors', `${vendor}.md`), 'utf8')
  return text
    .split('\n')
    .filter((l) => l.startsWith('| ') && !/^\| (behaviour|-)/.test(l))
    .map((line) => {
      const [behaviour = '', status = '', source = ''] = line
        .slice(2, -2)
        .split(' | ')
        .map((c) => c.trim())
      return { behaviour, status, source, line }
    })
}

describe.each(Object.keys(registers))('%s', (vendor) => {
  const keys = Object.keys(registers[vendor]!)
  const table = rows(vendor)

  it('has a table', () => {
    expect(table.length).toBeGreaterThan(5)
  })

  it('names an assumption entry for every unknown or inferred behaviour', () => {
    const unnamed = table
      .filter((r) => /unknown|inferred/.test(r.status) && !NOT_A_GUESS.test(r.status))
      .filter((r) => !keys.some((k) => r.line.includes(`\`${k}\``)))
      .map((r) => r.behaviour)
    expect(unnamed).toEqual([])
  })

  it('lists every assumption entry', () => {
    expect(keys.filter((k) => !table.some((r) => r.line.includes(`\`${k}\``)))).toEqual([])
  })
})
