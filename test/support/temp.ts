import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** A fresh folder per test, removed afterwards by the caller's cleanup. */
export function tempDir(prefix = 'frontdesk-test-'): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) }
}

/** A keychain service name unique to one test run, so runs never see each other's entries. */
export const testKeychainService = (name: string) => `Frontdesk-test-${name}-${process.pid}-${Date.now()}`
