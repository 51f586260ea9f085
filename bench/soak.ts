/**
 * Soak: the crash test at length. A real Frontdesk process drains its outbox against the Semble
 * simulator, which resets connections before and after applying writes, and is killed with SIGKILL
 * at random moments, 500 times (SOAK_KILLS overrides). After a last clean run every booking must be
 * at the vendor exactly once. Prints one JSON line with the lost and duplicated counts (both 0).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { mulberry32 } from '../src/sandbox/seed'
import { bookingOf, sembleClinic } from '../test/support/semble-clinic'

const KILLS = Number(process.env.SOAK_KILLS ?? 500)
/** Enough writes that the children are still draining at most kills (a few per kill, 30 at least). */
const WRITES = Number(process.env.SOAK_WRITES ?? Math.max(30, Math.ceil(KILLS / 4)))

const here = dirname(fileURLToPath(import.meta.url))
const childScript = join(here, '..', 'test', 'support', 'drain-child.ts')
const t0 = Date.now()

const clinic = await sembleClinic('soak', { patients: 30 })
try {
  if (clinic.slots.length < WRITES) {
    throw new Error(`Only ${clinic.slots.length} free slots for ${WRITES} bookings; lower SOAK_WRITES.`)
  }
  // Queue the bookings with the sender held back, then close: the children do the sending.
  const rt = await clinic.open({ startSync: false })
  await rt.sync.worker(clinic.connectionId).stop()
  for (let i = 0; i < WRITES; i++) {
    const r = await rt.dispatch(
      'appointments.book',
      bookingOf(clinic, clinic.slots[i]!, clinic.patientIds[i % clinic.patientIds.length]!),
    )
    if (!r.ok) throw new Error(r.error.message)
  }
  const clientRefs = (
    rt.db.prepare(`SELECT client_ref FROM outbox ORDER BY seq`).all() as { client_ref: string }[]
  ).map((r) => r.client_ref)
  await rt.close()

  const child = (): { proc: ChildProcess; exited: Promise<number | null>; started: Promise<void> } => {
    const proc = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        childScript,
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

  const { sim } = clinic
  const random = mulberry32(20261122)
  for (let kill = 0; kill < KILLS; kill++) {
    sim.control.inject({ kind: random() < 0.5 ? 'reset-after-write' : 'reset-before-write', count: 1 })
    const c = child()
    await c.started
    await new Promise((r) => setTimeout(r, 20 + Math.floor(random() * 400)))
    c.proc.kill('SIGKILL')
    await c.exited
    sim.control.clearFaults()
  }
  const last = child()
  let timer: NodeJS.Timeout | undefined
  const code = await Promise.race([
    last.exited,
    new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), 10 * 60_000))),
  ])
  clearTimeout(timer)
  if (code === 'timeout') last.proc.kill('SIGKILL')

  const applied = sim.control
    .writes()
    .filter((w) => w.operation === 'createBooking' && w.outcome === 'applied')
  const counts = clientRefs.map((ref) => applied.filter((w) => JSON.stringify(w.input).includes(ref)).length)
  console.log(
    JSON.stringify({
      bench: 'soak',
      kills: KILLS,
      writes: clientRefs.length,
      lost: counts.filter((n) => n === 0).length,
      duplicated: counts.filter((n) => n > 1).length,
      last_run_exit: code,
      minutes: Math.round(((Date.now() - t0) / 60_000) * 100) / 100,
    }),
  )
  if (code !== 0) process.exitCode = 1
} finally {
  await clinic.close()
}
