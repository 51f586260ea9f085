/**
 * A Frontdesk main process for the crash test: opens the clinic profile, drains its outbox, and
 * exits 0 once nothing is left to send. The test kills it with SIGKILL at random moments.
 */
import { createRuntime } from '../../src/main/app/runtime'
import { silentLogger } from '../../src/main/log/logger'
import { StartedAtClock } from '../../src/shared/clock'

const [dataDir, keychainService, connectionId, now] = process.argv.slice(2) as [
  string,
  string,
  string,
  string | undefined,
]
const rt = await createRuntime({
  // The parent's clock as it stood when this process started, running on from there.
  ...(now ? { clock: new StartedAtClock(new Date(now)) } : {}),
  shell: 'browser',
  version: 'crash-test',
  dataDir,
  profile: 'clinic',
  log: silentLogger,
  keychainService,
  // The simulator commits at once, so a lost answer has settled by the time it is reconciled.
  sync: { random: () => 0.01, probeEveryMs: 100, settleMs: { semble: 0, healthie: 0, hero: 0, heim: 0 } },
  // Only the drain under test talks to the vendor.
  backgroundRefresh: false,
})
process.stdout.write('started\n')
setInterval(() => {
  const c = rt.outbox.counts(connectionId)
  if (c.pending === 0 && c.needsAttention === 0) {
    process.stdout.write('idle\n')
    process.exit(0)
  }
}, 100)
