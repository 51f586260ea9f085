/**
 * Crash safety: a real Frontdesk process is killed with SIGKILL at random moments while it drains
 * its outbox against the Semble simulator, which also resets connections before and after
 * applying writes. After the last restart every booking is at the vendor exactly once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mulberry32 } from '../../../src/sandbox/seed'
import { spawnChild } from '../../support/child-process'
import { bookingOf, sembleClinic, type SembleClinic } from '../../support/semble-clinic'

const KILLS = Number(process.env.FRONTDESK_CRASH_KILLS ?? 25)
const BOOKINGS = 30

let clinic: SembleClinic
const clientRefs: string[] = []

const child = () =>
  spawnChild('test/support/drain-child.ts', [
    clinic.dataDir,
    clinic.keychainService,
    clinic.connectionId,
    clinic.clock.now().toISOString(),
  ])

beforeAll(async () => {
  clinic = await sembleClinic('crash')
  // Queue the bookings without sending any, then close: the children do the sending.
  const rt = await clinic.open({ startSync: false })
  for (let i = 0; i < BOOKINGS; i++) {
    const r = await rt.dispatch(
      'appointments.book',
      bookingOf(clinic, clinic.slots[i]!, clinic.patientIds[i % clinic.patientIds.length]!),
    )
    if (!r.ok) throw new Error(r.error.message)
  }
  await rt.sync.stop()
  for (const row of rt.db.prepare(`SELECT client_ref FROM outbox ORDER BY seq`).all() as {
    client_ref: string
  }[]) {
    clientRefs.push(row.client_ref)
  }
  await rt.close()
}, 120_000)

afterAll(async () => {
  await clinic?.close()
})

describe('killing the main process while it drains', () => {
  it(`loses nothing and duplicates nothing across ${KILLS} SIGKILLs`, async () => {
    expect(clientRefs).toHaveLength(BOOKINGS)
    const { sim } = clinic
    const random = mulberry32(20261121)
    for (let kill = 0; kill < KILLS; kill++) {
      // Reset connections before and after the vendor applies a write, at random.
      const fault = random() < 0.5 ? 'reset-after-write' : 'reset-before-write'
      sim.control.inject({ kind: fault, count: 1 })
      const c = child()
      await c.waitFor('started')
      // A random moment of its drain: the point of this test is that nobody chooses it.
      await new Promise((r) => setTimeout(r, 20 + Math.floor(random() * 400)))
      await c.kill()
      sim.control.clearFaults()
    }
    const last = child()
    expect(await last.finish(90_000)).toBe(0)

    const applied = sim.control
      .writes()
      .filter((w) => w.operation === 'createBooking' && w.outcome === 'applied')
    const counts = clientRefs.map(
      (ref) => applied.filter((w) => JSON.stringify(w.input).includes(ref)).length,
    )
    const lost = counts.filter((n) => n === 0).length
    const duplicated = counts.filter((n) => n > 1).length
    expect({ lost, duplicated }).toEqual({ lost: 0, duplicated: 0 })
  }, 300_000)
})
