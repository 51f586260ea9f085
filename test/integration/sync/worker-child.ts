/**
 * One outbox worker in its own process, on a profile's database file, without the runtime (and so
 * without its profile lock): what two runtimes on one profile would do if nothing stopped them.
 * Prints "ready", waits for "go" on stdin so two of these start together, drains, prints "done".
 */
import { join } from 'node:path'
import { AdapterHub } from '../../../src/main/app/adapters'
import { CacheRepo } from '../../../src/main/cache/cache-repo'
import { createLogger } from '../../../src/main/log/logger'
import { KeychainSecretStore } from '../../../src/main/secrets/secret-store'
import { ConnectionsRepo } from '../../../src/main/store/connections-repo'
import { CredentialsService } from '../../../src/main/services/credentials'
import { databaseKey, openDatabase } from '../../../src/main/store/database'
import { VendorExecutor } from '../../../src/main/sync/executor'
import { OutboxRepo } from '../../../src/main/sync/outbox-repo'
import { OutboxWorker } from '../../../src/main/sync/worker'
import { StartedAtClock, systemClock } from '../../../src/shared/clock'

const [dataDir, keychainService, connectionId, now] = process.argv.slice(2) as [
  string,
  string,
  string,
  string | undefined,
]
// The parent's clock as it stood when this process started, running on from there.
const clock = now ? new StartedAtClock(new Date(now)) : systemClock
// The app's own logger, warnings and errors to stderr (which the test passes through): a row this
// process leaves unfinished says why in the test's report.
const log = createLogger({ level: 'warn', clock })
const secrets = new KeychainSecretStore(keychainService)
const file = join(dataDir, 'clinic.db')
const db = openDatabase({ file, key: await databaseKey(secrets, 'clinic', file) })
const connections = new ConnectionsRepo(db)
const adapters = new AdapterHub(connections, new CredentialsService(secrets, connections), log)
const store = new OutboxRepo(db, () => clock.now())
const executor = new VendorExecutor(
  connections.get(connectionId),
  () => adapters.get(connectionId),
  new CacheRepo(db),
)
const worker = new OutboxWorker(
  connectionId,
  store,
  executor,
  { offline() {}, online() {}, authFailed() {}, changed() {} },
  log,
  // A realistic settling delay: an answer lost under load is not followed by a blind resend.
  { random: () => 0.01, settleMs: 30_000, clock },
)
process.stdout.write('ready\n')
process.stdin.once('data', () => {
  void worker.drain().then(async () => {
    await worker.stop()
    process.stdout.write('done\n')
    process.exit(0)
  })
})
