/**
 * The conformance table a partner can attach to a support ticket: each behaviour's result, the
 * requests and answers it saw (secrets already redacted by the recorder), and what it says about
 * each entry of the vendor's assumption register.
 */
import { healthieAssumptions } from '../../../../src/main/vendors/healthie/assumptions'
import { heimAssumptions } from '../../../../src/main/vendors/heim/assumptions'
import { heroAssumptions } from '../../../../src/main/vendors/hero/assumptions'
import { sembleAssumptions } from '../../../../src/main/vendors/semble/assumptions'
import type { Register } from '../../../../src/main/vendors/assumptions'
import type { Vendor } from '../../../../src/shared/model'
import type { Behaviour, Outcome } from './behaviours'
import type { Exchange } from './recorder'
import type { Target } from './targets'

export interface Row {
  behaviour: Behaviour
  outcome: Outcome
  exchanges: Exchange[]
}

const registers: Record<Vendor, Register> = {
  semble: sembleAssumptions,
  healthie: healthieAssumptions,
  hero: heroAssumptions,
  heim: heimAssumptions,
}

const cell = (s: string, max = 300) => {
  const one = s.replace(/\s+/g, ' ').replace(/\|/g, '\\|')
  return one.length > max ? `${one.slice(0, max)}…` : one
}

/** Each register entry: confirmed when every behaviour that relies on it passed, refuted when one failed. */
export function assumptionVerdicts(vendor: Vendor, target: Target, rows: Row[]) {
  return Object.entries(registers[vendor]).map(([key, entry]) => {
    const used = rows.filter((r) => r.behaviour.exercises?.[vendor]?.includes(key))
    const value = (entry.option && target.options[entry.option]) || entry.assumed
    const verdict = !used.some((r) => r.outcome.result !== 'not tried')
      ? 'not tried'
      : used.some((r) => r.outcome.result === 'fail')
        ? 'refuted'
        : 'confirmed'
    return { key, value, verdict, by: used.map((r) => r.behaviour.name) }
  })
}

export function conformanceTable(target: Target, rows: Row[]): string {
  const lines = [
    `# ${target.vendor} conformance (${target.kind}, ${target.write ? 'read and write' : 'read-only'})`,
    '',
    '| behaviour | result | detail |',
    '| --- | --- | --- |',
    ...rows.map((r) => `| ${r.behaviour.name} | ${r.outcome.result} | ${cell(r.outcome.detail)} |`),
    '',
    '## Assumption entries',
    '',
    '| entry | value | verdict | from |',
    '| --- | --- | --- | --- |',
    ...assumptionVerdicts(target.vendor, target, rows).map(
      (v) => `| ${v.key} | ${v.value} | ${v.verdict} | ${v.by.join(', ') || '—'} |`,
    ),
    '',
    '## Requests and answers (secrets redacted)',
  ]
  for (const r of rows) {
    if (!r.exchanges.length) continue
    lines.push('', `### ${r.behaviour.name}`, '')
    for (const x of r.exchanges) {
      lines.push(`- \`${x.method} ${cell(x.path, 200)}\` → ${x.status}`)
      if (x.body) lines.push(`  - sent: \`${cell(x.body)}\``)
      lines.push(`  - answer: \`${cell(x.response)}\``)
    }
  }
  return lines.join('\n') + '\n'
}
