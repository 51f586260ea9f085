/**
 * A Frontdesk sender in its own process for the kill-point runs: takes the profile lock, drains one
 * connection's outbox with the app's own store, worker and executor, and exits 0 once nothing is
 * left to send (2, printing the rows, when something ended needing a person).
 *
 * Given a plan `<seq>:<point>`, it stops at that point of row <seq>'s send and waits there to be
 * killed: `before-request` (the row is durably `sending`, nothing has left), `vendor-applied` (it
 * prints "ready", waits for "go" on stdin while the test arranges for the vendor to apply the
 * write and hold its answer, then sends), `after-answer` (the vendor answered; `done` is not
 * committed yet).
 */
import { join } from 'node:path'
import { AdapterHub } from '../../src/main/app/adapters'
import { CacheRepo } from '../../src/main/cache/cache-repo'
import { silentLogger } from '../../src/main/log/logger'
import { KeychainSecretStore } from '../../src/main/secrets/secret-store'
import { ConnectionsRepo } from '../../src/main/store/connections-repo'
import { CredentialsService } from '../../src/main/services/credentials'
import { databaseKey, openDatabase } from '../../src/main/store/database'
import { acquireProfileLock } from '../../src/main/store/profile-lock'
import { VendorExecutor } from '../../src/main/sync/executor'
import { OutboxRepo } from '../../src/main/sync/outbox-repo'
import { OutboxWorker, type OutboxExecutor } from '../../src/main/sync/worker'
import { StartedAtClock } from '../../src/shared/clock'
import { parseKillPlan } from './kill-plan'

const [dataDir, keychainService, connectionId, now, plan] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  string | undefined,
]
const { seq: planSeq, point } = plan ? parseKillPlan(plan) : { seq: NaN, point: undefined }

// The parent's clock as it stood when this process started, running on from there.
const clock = new StartedAtClock(new Date(now))
const lock = acquireProfileLock({ dataDir, profile: 'clinic', shell: 'browser' })
const secrets = new KeychainSecretStore(keychainService)
const file = join(dataDir, 'clinic.db')
const db = openDatabase({ file, key: await databaseKey(secrets, 'clinic', file) })
const connections = new ConnectionsRepo(db)
const adapters = new AdapterHub(
  connections,
  new CredentialsService(secrets, connections),
  silentLogger,
  clock,
)
const store = new OutboxRepo(db, () => clock.now())
const real = new VendorExecutor(
  connections.get(connectionId),
  () => adapters.get(connectionId),
  new CacheRepo(db),
  clock,
)

const say = (line: string) => process.stdout.write(`${line}\n`)
const forever = () => new Promise<never>(() => {})
const told = (line: string) =>
  new Promise<void>((ok) => {
    let got = ''
    process.stdin.on('data', (c: Buffer) => {
      got += c.toString()
      if (got.includes(line)) ok()
    })
  })

/** The real send, with a line for each outcome (the test shows them when something stalls). */
async function traced<T>(what: string, seq: number, step: () => Promise<T>): Promise<T> {
  try {
    const out = await step()
    say(`${what} ${seq}: ${out ? 'ok' : 'not found'}`)
    return out
  } catch (err) {
    say(`${what} ${seq} failed: ${err instanceof Error ? err.message : String(err)}`)
    throw err
  }
}

const executor: OutboxExecutor = {
  reconcile: (row) => traced('reconcile', row.seq, () => real.reconcile(row)),
  alternatives: (row) => real.alternatives(row),
  describe: (row, error) => real.describe(row, error),
  async send(row) {
    const send = () => traced('send', row.seq, () => real.send(row))
    if (row.seq !== planSeq) return send()
    if (point === 'before-request') {
      say(`at ${point} ${row.seq}`)
      return forever()
    }
    if (point === 'vendor-applied') {
      say(`ready ${row.seq}`)
      await told('go')
      return send()
    }
    await send()
    say(`at ${point} ${row.seq}`)
    return forever()
  },
}

const worker = new OutboxWorker(
  connectionId,
  store,
  executor,
  { offline() {}, online() {}, authFailed() {}, changed() {} },
  silentLogger,
  // The simulators commit at once: a lost answer has settled by the time it is reconciled.
  { random: () => 0.01, settleMs: 0, clock, maxSleepMs: 100 },
)
say('started')
void worker.drain()
setInterval(() => {
  const c = store.counts(connectionId)
  if (c.pending > 0) return void worker.drain()
  if (c.needsAttention > 0) {
    const rows = store.unfinished(connectionId).map((r) => ({ seq: r.seq, kind: r.kind, error: r.lastError }))
    process.stderr.write(`needs attention: ${JSON.stringify(rows)}\n`)
  }
  lock.release()
  say('idle')
  process.exit(c.needsAttention > 0 ? 2 : 0)
}, 50)
