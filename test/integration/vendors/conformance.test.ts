/**
 * One conformance suite, two targets. In `npm test` it runs against our four simulators; with
 * FRONTDESK_LIVE=1 (`npm run test:live`, scripts/test-live.sh) against each real vendor sandbox whose
 * FRONTDESK_LIVE_<VENDOR>_* variables are set (README, docs/vendors/*.md). The behaviours are in
 * ./conformance/behaviours.ts; the table each run prints goes to test-results/. Against the
 * simulators it also runs once per non-default assumption variant (./variants.ts).
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { HttpClient } from '../../../src/main/vendors/http/client'
import { createAdapter } from '../../../src/main/vendors/registry'
import type { VendorAdapter } from '../../../src/main/vendors/types'
import type { Vendor } from '../../../src/shared/model'
import { attempt, behaviours, type Found } from './conformance/behaviours'
import { startRecorder, type Recorder } from './conformance/recorder'
import { conformanceTable, type Row } from './conformance/table'
import { liveConfiguration, liveTarget, simulatorTarget, type Target } from './conformance/targets'
import { connectionFor, recordingLogger } from './support'
import { registers, variantsOf, type Variant } from './variants'

const live = process.env.FRONTDESK_LIVE === '1'
const write = !live || process.env.FRONTDESK_LIVE_WRITE === '1'
const { configured, missing } = liveConfiguration(process.env)
const vendors: Vendor[] = live ? configured : ['semble', 'healthie', 'hero', 'heim']
if (live && !vendors.length)
  throw new Error(
    `No vendor sandbox is configured. Set, for at least one vendor:\n${Object.entries(missing)
      .map(([v, vars]) => `  ${v}: ${vars.join(', ')}`)
      .join('\n')}`,
  )

/**
 * Behaviours a variant cannot pass for a reason its register entry documents. Each is expected to
 * fail there, no more widely, so lifting the limit (or a failure spreading) is noticed.
 */
const documentedGaps: (Variant & { vendor: Vendor; behaviour: string; why: string })[] = [
  {
    vendor: 'hero',
    key: 'appointmentList',
    value: 'none',
    behaviour: 'recover a write whose answer was lost',
    why: 'with no appointment list a booking cannot be found by its client reference: an interrupted booking is resent (register)',
  },
]
const documentedGap = (vendor: Vendor, variant: Variant | undefined, behaviour: string) =>
  variant &&
  documentedGaps.find(
    (g) =>
      g.vendor === vendor && g.key === variant.key && g.value === variant.value && g.behaviour === behaviour,
  )

/** A variant's value in a file name (Heim's are paths). */
const fileSafe = (s: string) => s.replace(/[^A-Za-z0-9_.]+/g, '-').replace(/^-+|-+$/g, '')

/** One run of the behaviours against a target: the simulator in a variant's mode when one is given. */
function conformanceRun(vendor: Vendor, variant?: Variant) {
  let target: Target
  let recorder: Recorder
  let http: HttpClient
  let adapter: VendorAdapter
  const logged = recordingLogger()
  const found: Found = { candidates: [], slots: [] }
  const rows: Row[] = []

  beforeAll(async () => {
    target = live ? liveTarget(vendor, process.env, write) : await simulatorTarget(vendor, variant)
    recorder = await startRecorder(target.url)
    http = new HttpClient({ log: logged.log, now: () => target.clock.now() })
    const connection = { ...connectionFor(vendor, recorder.url, target.options), timeZone: target.timeZone }
    adapter = createAdapter(connection, {
      http,
      readCredentials: async () => target.credentials,
      log: logged.log,
      now: () => target.clock.now(),
    })
  })

  afterAll(async () => {
    if (target) {
      const table = conformanceTable(target, rows)
      const suffix = variant ? `-${variant.key}-${fileSafe(variant.value)}` : ''
      const file = `test-results/conformance-${vendor}-${target.kind}${suffix}.md`
      mkdirSync('test-results', { recursive: true })
      writeFileSync(file, table)
      if (!variant) console.log(table.split('\n## Requests')[0])
      else {
        const count = (result: string) => rows.filter((r) => r.outcome.result === result).length
        console.log(
          `${vendor} ${variant.key} = ${variant.value}: ${count('pass')} pass, ${count('not tried')} not tried, ${count('fail')} fail (${file})`,
        )
      }
    }
    await http?.close()
    await recorder?.close()
    await target?.close()
  })

  // In order: each behaviour builds on what the earlier ones found, even where runs overlap.
  it.sequential.each(behaviours)('$name', async (b) => {
    const before = recorder.exchanges.length
    const outcome = await attempt(b, adapter, target, found)
    rows.push({ behaviour: b, outcome, exchanges: recorder.exchanges.slice(before) })
    const gap = documentedGap(vendor, variant, b.name)
    if (live) {
      expect(outcome.result, outcome.detail).not.toBe('fail')
    } else if (gap) {
      expect(outcome.result, `documented gap (${gap.why}), yet: ${outcome.detail}`).toBe('fail')
    } else {
      // Our simulators must support everything the adapter offers: only a missing operation is not tried.
      const lacking = b.needs.some((op) => !adapter.capabilities.operations.includes(op))
      expect(outcome, outcome.detail).toEqual({
        result: lacking ? 'not tried' : 'pass',
        detail: outcome.detail,
      })
    }
  })

  it.sequential('leaves no credential in the recorded exchanges or the log', () => {
    const seen = JSON.stringify(recorder.exchanges.map(({ graphql: _g, ...x }) => x)) + logged.text()
    for (const secret of Object.values(target.credentials)) expect(seen).not.toContain(secret)
  })
}

describe.each(vendors)('%s conformance', (vendor) => conformanceRun(vendor))

/**
 * Against the simulators, each non-default value of each switchable register entry, the simulator
 * behaving so. Not the rate limits: their alternative slows every request, and the assumption
 * suite covers them. Concurrent (up to maxConcurrency per vendor): a run mostly waits on its
 * adapter's own rate limiter, so runs overlap well; the behaviours within a run stay in order.
 */
if (!live)
  describe.concurrent.each(vendors)('%s in each assumption variant', (vendor) => {
    const runs = variantsOf(vendor)
      .filter(({ key, value }) => key !== 'rateLimit' && value !== registers[vendor][key]!.assumed)
      .map(({ key, value }) => [key, value] as const)
    describe.each(runs)(`${vendor} conformance with %s = %s`, (key, value) =>
      conformanceRun(vendor, { key, value }),
    )
  })
