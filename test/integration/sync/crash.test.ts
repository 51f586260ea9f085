/**
 * Crash safety: a real Frontdesk process is killed with SIGKILL at random moments while it drains
 * its outbox against the Semble simulator, which also resets connections before and after
 * applying writes. After the last restart every booking is at the vendor exactly once.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mulberry32 } from '../../../src/sandbox/seed'
import { bookingOf, sembleClinic, type SembleClinic } from '../../support/semble-clinic'

const KILLS = Number(process.env.FRONTDESK_CRASH_KILLS ?? 25)
const BOOKINGS = 30

let clinic: SembleClinic
const clientRefs: string[] = []

function child(): { proc: ChildProcess; exited: Promise<number | null>; started: Promise<void> } {
  const proc = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      resolve('test/support/drain-child.ts'),
      clinic.dataDir,
      clinic.keychainService,
      clinic.connectionId,
      clinic.clock.now().toISOString(),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'], env: process.env },
  )
  let out = ''
  const started = new Promise<void>((ok) =>
    proc.stdout!.on('data', (c: Buffer) => {
      out += c.toString()
      if (out.includes('started')) ok()
    }),
  )
  const exited = new Promise<number | null>((ok) => proc.on('exit', (code) => ok(code)))
  return { proc, exited, started }
}

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
      await c.started
      await new Promise((r) => setTimeout(r, 20 + Math.floor(random() * 400)))
      c.proc.kill('SIGKILL')
      await c.exited
      sim.control.clearFaults()
    }
    const last = child()
    const code = await Promise.race([
      last.exited,
      new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 90_000)),
    ])
    if (code === 'timeout') last.proc.kill('SIGKILL')
    expect(code).toBe(0)

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
