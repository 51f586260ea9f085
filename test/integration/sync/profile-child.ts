/**
 * A Frontdesk runtime in its own process on a clinic profile, for the profile-lock test: prints
 * "open" (or "refused: <message>") and stays open until killed or told "quit" on stdin.
 */
import { createRuntime } from '../../../src/main/app/runtime'
import { silentLogger } from '../../../src/main/log/logger'

const [dataDir, keychainService] = process.argv.slice(2) as [string, string]
try {
  const rt = await createRuntime({
    shell: 'browser',
    version: 'lock-test',
    dataDir,
    profile: 'clinic',
    log: silentLogger,
    keychainService,
    backgroundRefresh: false,
  })
  process.stdout.write('open\n')
  process.stdin.once('data', () => {
    void rt.close().then(() => process.exit(0))
  })
} catch (err) {
  process.stdout.write(`refused: ${err instanceof Error ? err.message : String(err)}\n`)
  process.exit(3)
}
