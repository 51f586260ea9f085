/**
 * An outbox worker a test drives by hand: no timer, on the clinic's own clock (the simulator's
 * too), moved with `advance`, with the runtime's own worker stopped first by the caller.
 */
import type { Runtime } from '../../src/main/app/runtime'
import { silentLogger, type Logger } from '../../src/main/log/logger'
import { VendorExecutor } from '../../src/main/sync/executor'
import { OutboxRepo } from '../../src/main/sync/outbox-repo'
import { OutboxWorker } from '../../src/main/sync/worker'
import type { Clock } from '../../src/shared/clock'

export function handWorker(
  rt: Runtime,
  connectionId: string,
  clock: Clock,
  opts: { settleMs: number; log?: Logger },
): { store: OutboxRepo; w: OutboxWorker } {
  const store = new OutboxRepo(rt.db, () => clock.now())
  const executor = new VendorExecutor(
    rt.connections.get(connectionId),
    () => rt.adapters.get(connectionId),
    rt.cache,
    clock,
  )
  const w = new OutboxWorker(
    connectionId,
    store,
    executor,
    { offline() {}, online() {}, authFailed() {} },
    opts.log ?? silentLogger,
    { clock, timer: false, random: () => 0.5, settleMs: opts.settleMs },
  )
  return { store, w }
}
