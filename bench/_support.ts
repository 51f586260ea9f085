import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createRuntime, type Runtime } from '../src/main/app/runtime'
import { silentLogger } from '../src/main/log/logger'

export const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN
export const round = (n: number) => Math.round(n * 1000) / 1000

/** A clinic-profile runtime on a real encrypted file in a temporary folder. */
export async function benchRuntime(): Promise<{ rt: Runtime; done(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'frontdesk-bench-'))
  const rt = await createRuntime({
    shell: 'browser',
    version: 'bench',
    dataDir: dir,
    profile: 'clinic',
    log: silentLogger,
    keychainService: `Frontdesk-bench-${process.pid}`,
    startSync: false,
    backgroundRefresh: false,
  })
  return {
    rt,
    done: async () => {
      await rt.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
