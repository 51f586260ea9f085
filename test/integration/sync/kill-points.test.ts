/**
 * Killing the process at an exact point of a send: the Semble simulator applies the write and
 * holds its answer, the test waits until the write is at the vendor and SIGKILLs the Frontdesk
 * process, then restarts it. A patient registration (which the simulator would happily take twice)
 * and a booking each end at the vendor exactly once.
 */
import { spawn } from 'node:child_process'
import { resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bookingOf, sembleClinic, type SembleClinic } from '../../support/semble-clinic'

let clinic: SembleClinic
let bookingRef = ''

function child() {
  const proc = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      resolve('test/support/drain-child.ts'),
      clinic.dataDir,
      clinic.keychainService,
      clinic.connectionId,
    ],
    { stdio: ['ignore', 'ignore', 'inherit'], env: process.env },
  )
  const exited = new Promise<number | null>((ok) => proc.on('exit', (code) => ok(code)))
  return { proc, exited }
}

async function until(what: string, check: () => boolean, ms = 60_000) {
  const end = performance.now() + ms
  while (performance.now() < end) {
    if (check()) return
    await new Promise((r) => setTimeout(r, 25))
  }
  throw new Error(`timed out waiting for ${what}`)
}

const applied = (operation: string, marker: string) =>
  clinic.sim.control
    .writes()
    .filter(
      (w) => w.operation === operation && w.outcome === 'applied' && JSON.stringify(w.input).includes(marker),
    ).length

beforeAll(async () => {
  clinic = await sembleClinic('kill-points', { seed: 23 })
  const rt = await clinic.open({ startSync: false })
  rt.sync.worker(clinic.connectionId)
  await rt.sync.stop()
  const registered = await rt.dispatch('patients.create', {
    connectionId: clinic.connectionId,
    patient: { givenName: 'Killpoint', familyName: 'Registration', birthDate: '1975-06-07' },
  })
  if (!registered.ok) throw new Error(registered.error.message)
  const booked = await rt.dispatch(
    'appointments.book',
    bookingOf(clinic, clinic.slots[0]!, clinic.patientIds[0]!),
  )
  if (!booked.ok) throw new Error(booked.error.message)
  bookingRef = (
    rt.db.prepare(`SELECT client_ref FROM outbox WHERE kind = 'book'`).get() as { client_ref: string }
  ).client_ref
  await rt.close()
}, 120_000)

afterAll(async () => {
  await clinic?.close()
})

describe('a kill after the vendor applied the write, before its answer', () => {
  it('is reconciled on restart, not sent again: each write once at the vendor', async () => {
    for (const [operation, marker] of [
      ['createPatient', 'Killpoint'],
      ['createBooking', bookingRef],
    ] as const) {
      clinic.sim.control.inject({ kind: 'hold-after-write', ms: 120_000, count: 1 })
      const c = child()
      await until(`${operation} at the vendor`, () => applied(operation, marker) === 1)
      c.proc.kill('SIGKILL')
      await c.exited
      clinic.sim.control.clearFaults()
    }
    const last = child()
    expect(await last.exited).toBe(0)
    expect(applied('createPatient', 'Killpoint')).toBe(1)
    expect(applied('createBooking', bookingRef)).toBe(1)
  }, 180_000)
})
