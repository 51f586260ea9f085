/**
 * Killing a sending Frontdesk process at planned points (test/support/kill-point-child.ts): the
 * kill-point test and the soak bench walk a queue this way, one SIGKILL per planned point.
 */
import type { Runtime } from '../../src/main/app/runtime'
import { spawnChild } from './child-process'
import { killPlan, type KillPoint } from './kill-plan'
import { until } from './until'
import type { VendorClinic } from './vendor-clinic'

export interface KillAt {
  seq: number
  point: KillPoint
}

/** A sender for this clinic, started at the clinic's now, stopping at `at` if given. */
export const killPointChild = (c: VendorClinic, at?: KillAt) =>
  spawnChild('test/support/kill-point-child.ts', [
    c.dataDir,
    c.keychainService,
    c.connectionId,
    c.clock.now().toISOString(),
    ...(at ? [killPlan(at.seq, at.point)] : []),
  ])

/** Kills a sender at each point in turn (in queue order). */
export async function killAt(c: VendorClinic, points: KillAt[]): Promise<void> {
  for (const k of [...points].sort((a, b) => a.seq - b.seq)) {
    const p = killPointChild(c, k)
    if (k.point === 'vendor-applied') {
      await p.waitFor(`ready ${k.seq}`)
      const seen = c.sim.control.writes().length
      // The vendor applies the send's first write and holds its answer: the process dies not
      // knowing. (For a Hero booking that is the reservation, before its confirmation.)
      c.sim.control.inject({ kind: 'hold-after-write', ms: 120_000, count: 1 })
      p.tell('go')
      await until(`row ${k.seq}'s write applied at ${c.vendor}`, () =>
        c.sim.control
          .writes()
          .slice(seen)
          .some((w) => w.outcome === 'applied'),
      )
    } else {
      await p.waitFor(`at ${k.point} ${k.seq}`)
    }
    await p.kill()
    c.sim.control.clearFaults()
  }
}

/** A last sender that runs until nothing is left to send: its exit code (0 when all went) and output. */
export async function finishQueue(c: VendorClinic, ms = 120_000) {
  const last = killPointChild(c)
  const code = await last.finish(ms)
  return { code, output: last.output() }
}

/** Opens the app with its sender stopped: the queued rows wait for the child processes. */
export async function quietRuntime(c: VendorClinic): Promise<Runtime> {
  const rt = await c.open({ startSync: false })
  rt.sync.worker(c.connectionId)
  await rt.sync.stop()
  return rt
}

/**
 * The outbox row just queued by the desk. Frontdesk's own duplicate look after a resend is queued
 * by the worker, possibly between a dispatch and this read, so it is never the one.
 */
export const lastRow = (rt: Runtime) =>
  rt.db
    .prepare(`SELECT seq, client_ref FROM outbox WHERE kind != 'checkDuplicate' ORDER BY seq DESC LIMIT 1`)
    .get() as {
    seq: number
    client_ref: string
  }
