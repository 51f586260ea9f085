/**
 * A demo-profile Frontdesk for a services test: the four simulated clinics in this process, a real
 * encrypted file in a temporary folder, the real keychain under a throwaway service name, and the
 * app's clock pinned to a Monday morning (`test/support/clock.ts`) unless the test passes another.
 */
import { createRuntime, type Runtime, type RuntimeOptions } from '../../src/main/app/runtime'
import { silentLogger } from '../../src/main/log/logger'
import { testClock } from './clock'
import { tempDir, testKeychainService } from './temp'

export async function openDemoRuntime(
  name: string,
  opts: Partial<Omit<RuntimeOptions, 'dataDir' | 'profile' | 'keychainService'>> = {},
): Promise<{ rt: Runtime; dataDir: string; cleanup: () => void }> {
  const t = tempDir()
  const rt = await createRuntime({
    shell: 'browser',
    version: 'test',
    dataDir: t.dir,
    profile: 'demo',
    log: silentLogger,
    keychainService: testKeychainService(name),
    clock: testClock(),
    ...opts,
  })
  return { rt, dataDir: t.dir, cleanup: t.cleanup }
}
