/**
 * One conformance suite, two targets. In `npm test` it runs against our four simulators; with
 * FRONTDESK_LIVE=1 (`npm run test:live`, scripts/test-live.sh) against each real vendor sandbox whose
 * FRONTDESK_LIVE_<VENDOR>_* variables are set (README, docs/vendors/*.md). The behaviours are in
 * ./conformance/behaviours.ts; the table each run prints goes to test-results/.
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

describe.each(vendors)('%s conformance', (vendor) => {
  let target: Target
  let recorder: Recorder
  let http: HttpClient
  let adapter: VendorAdapter
  const logged = recordingLogger()
  const found: Found = { candidates: [], slots: [] }
  const rows: Row[] = []

  beforeAll(async () => {
    target = live ? liveTarget(vendor, process.env, write) : await simulatorTarget(vendor)
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
      mkdirSync('test-results', { recursive: true })
      writeFileSync(`test-results/conformance-${vendor}-${target.kind}.md`, table)
      console.log(table.split('\n## Requests')[0])
    }
    await http?.close()
    await recorder?.close()
    await target?.close()
  })

  it.each(behaviours)('$name', async (b) => {
    const before = recorder.exchanges.length
    const outcome = await attempt(b, adapter, target, found)
    rows.push({ behaviour: b, outcome, exchanges: recorder.exchanges.slice(before) })
    if (live) {
      expect(outcome.result, outcome.detail).not.toBe('fail')
    } else {
      // Our simulators must support everything the adapter offers: only a missing operation is not tried.
      const lacking = b.needs.some((op) => !adapter.capabilities.operations.includes(op))
      expect(outcome, outcome.detail).toEqual({
        result: lacking ? 'not tried' : 'pass',
        detail: outcome.detail,
      })
    }
  })

  it('leaves no credential in the recorded exchanges or the log', () => {
    const seen = JSON.stringify(recorder.exchanges.map(({ graphql: _g, ...x }) => x)) + logged.text()
    for (const secret of Object.values(target.credentials)) expect(seen).not.toContain(secret)
  })
})
