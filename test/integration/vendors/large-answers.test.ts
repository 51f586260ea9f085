/**
 * A vendor's big answers (pages of patients) over real HTTP: the client parses them in its JSON
 * worker (src/main/vendors/http/json-bodies.ts), and the adapter reads every patient exactly as
 * the simulator holds them.
 */
import { afterAll, beforeAll, expect, it } from 'vitest'
import { ManualClock, seedClinic, type SimulatorHandle } from '../../../src/sandbox'
import { startSembleSimulator, type SembleState } from '../../../src/sandbox/semble'
import type { HttpClient } from '../../../src/main/vendors/http/client'
import { createAdapter } from '../../../src/main/vendors/registry'
import type { VendorAdapter } from '../../../src/main/vendors/types'
import type { Patient } from '../../../src/shared/model'
import { clientOn, connectionFor, recordingLogger } from './support'

const clock = new ManualClock(new Date('2026-03-27T08:00:00.000Z'))
let sim: SimulatorHandle<SembleState>
let http: HttpClient
let adapter: VendorAdapter

beforeAll(async () => {
  sim = await startSembleSimulator(
    seedClinic({ patients: 450, today: clock.now(), timeZone: 'Europe/London' }),
    {
      clock,
    },
  )
  http = clientOn(clock, {}, recordingLogger().log)
  const connection = connectionFor('semble', sim.url, { nhsNumberTypeId: sim.credentials.nhsNumberTypeId! })
  adapter = createAdapter(connection, {
    http,
    readCredentials: async () => ({ apiToken: sim.credentials.apiToken! }),
    log: recordingLogger().log,
    now: () => clock.now(),
  })
})

afterAll(async () => {
  await http.close()
  await sim.close()
})

it('reads every patient of a paged list parsed by the JSON worker, as the vendor holds them', async () => {
  const listed: Patient[] = []
  let cursor: string | undefined
  for (;;) {
    const { patients, next } = await adapter.listPatients!(cursor ? { cursor } : {})
    listed.push(...patients)
    if (!next) break
    cursor = next
  }
  // Pages of patients went to the worker; small answers (the first page's token) did not need to.
  expect(http.jsonParsedOffThread).toBeGreaterThanOrEqual(4)
  const held = [...sim.control.state.patients.values()]
  expect(listed).toHaveLength(held.length)
  const byRef = new Map(listed.map((p) => [p.ref, p]))
  for (const h of held) {
    const p = byRef.get(h.id)
    expect(p, h.id).toBeDefined()
    expect([p!.givenName, p!.familyName, p!.birthDate]).toEqual([h.firstName, h.lastName, h.birthDate])
  }
})
