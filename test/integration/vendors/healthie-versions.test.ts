/**
 * Healthie's version schedule against the Healthie simulator over real HTTP (healthie.md §4.1):
 * months before a version is retired, the connection test says when Healthie stops answering the
 * version Frontdesk sends; once it is retired, every request is refused with what to do, once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock, seedClinic, type SimulatorHandle } from '../../../src/sandbox'
import { startHealthieSimulator } from '../../../src/sandbox/healthie'
import type { HealthieAdapter } from '../../../src/main/vendors/healthie/adapter'
import type { HttpClient } from '../../../src/main/vendors/http/client'
import { createAdapter } from '../../../src/main/vendors/registry'
import { clientOn, connectionFor, expectKind, recordingLogger } from './support'

type HealthieState = Awaited<ReturnType<typeof startHealthieSimulator>>['control']['state']

const clock = new ManualClock(new Date('2026-03-27T08:00:00.000Z'))
let sim: SimulatorHandle<HealthieState>
let http: HttpClient
const logged = recordingLogger()

/** A fresh adapter each time: what it heard from Healthie belongs to that adapter. */
const adapter = () =>
  createAdapter(connectionFor('healthie', sim.url), {
    http,
    readCredentials: async () => ({ apiKey: sim.credentials.apiKey! }),
    log: logged.log,
    now: () => clock.now(),
  }) as HealthieAdapter

beforeAll(async () => {
  sim = await startHealthieSimulator(
    seedClinic({ patients: 10, today: clock.now(), timeZone: 'Europe/London' }),
    {
      clock,
    },
  )
  http = clientOn(clock, {}, logged.log)
})

afterAll(async () => {
  await sim.close()
  await http.close()
})

describe("Healthie's API version schedule", () => {
  it('before any sunset, the connection test names the version and nothing more', async () => {
    await expect(adapter().testConnection()).resolves.toEqual({
      ok: true,
      detail: 'Connected to Healthie (API version 2026-01-01).',
    })
  })

  it('months before the sunset, the connection test says when Healthie stops answering the version in use', async () => {
    clock.set(new Date('2026-12-02T09:00:00.000Z'))
    await expect(adapter().testConnection()).resolves.toEqual({
      ok: true,
      detail:
        'Connected to Healthie (API version 2026-01-01). Healthie will stop answering API version 2026-01-01 on ' +
        '2027-01-31 (its newest is 2026-01-01): Frontdesk needs updating before then.',
    })
  })

  it('once retired, a request is refused once with what to do', async () => {
    clock.set(new Date('2027-02-01T09:00:00.000Z'))
    const before = sim.control.requestCount()
    const e = await expectKind(adapter().findPatients!({ text: 'a', limit: 5 }), 'protocol')
    expect(e.message).toBe(
      'Healthie does not answer API version 2026-01-01 (the oldest it answers is 2026-07-01): Frontdesk needs ' +
        'updating, or an administrator sets a newer API version on the connection. Nothing was changed in Healthie.',
    )
    expect(e.vendorCode).toBe('UNSUPPORTED_API_VERSION')
    expect(sim.control.requestCount() - before).toBe(1)
  })
})
