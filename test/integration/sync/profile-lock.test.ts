/**
 * One writer per profile: a runtime holds an OS-level exclusive lock on its profile for as long as
 * it runs. Measured with real processes: a second opener (another process, or the same one) is
 * refused with a message naming the holder, and a lock left by a killed process is taken over.
 */
import { spawn } from 'node:child_process'
import { resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createRuntime } from '../../../src/main/app/runtime'
import { silentLogger } from '../../../src/main/log/logger'
import { ProfileLockedError } from '../../../src/main/store/profile-lock'
import { tempDir, testKeychainService } from '../../support/temp'

const t = tempDir()
const keychainService = testKeychainService('profile-lock')
afterAll(() => t.cleanup())

const open = () =>
  createRuntime({
    shell: 'browser',
    version: 'lock-test',
    dataDir: t.dir,
    profile: 'clinic',
    log: silentLogger,
    keychainService,
    backgroundRefresh: false,
  })

function child() {
  const proc = spawn(
    process.execPath,
    ['--import', 'tsx', resolve('test/integration/sync/profile-child.ts'), t.dir, keychainService],
    { stdio: ['pipe', 'pipe', 'inherit'], env: process.env },
  )
  let out = ''
  const said = new Promise<string>((ok) =>
    proc.stdout!.on('data', (c: Buffer) => {
      out += c.toString()
      if (out.includes('\n')) ok(out.trim())
    }),
  )
  const exited = new Promise<number | null>((ok) => proc.on('exit', (code) => ok(code)))
  return { proc, said, exited }
}

describe('the profile lock', () => {
  it('refuses a second process while the first runs, and takes over from a killed one', async () => {
    const first = child()
    expect(await first.said).toBe('open')

    const refused = await open().then(
      () => null,
      (err: unknown) => err,
    )
    expect(refused).toBeInstanceOf(ProfileLockedError)
    expect((refused as Error).message).toMatch(
      new RegExp(
        `already open in another Frontdesk \\(browser, process ${first.proc.pid} on .+, since \\d{4}-`,
      ),
    )

    first.proc.kill('SIGKILL')
    await first.exited
    const rt = await open()
    try {
      // Now this process holds it: another process is refused, naming this one.
      const second = child()
      expect(await second.said).toMatch(new RegExp(`^refused: .*process ${process.pid} `))
      expect(await second.exited).toBe(3)
      // And so is a second runtime in this same process.
      await expect(open()).rejects.toBeInstanceOf(ProfileLockedError)
    } finally {
      await rt.close()
    }
    // Closed: free again, for another process.
    const third = child()
    expect(await third.said).toBe('open')
    third.proc.stdin!.write('quit\n')
    expect(await third.exited).toBe(0)
  }, 60_000)
})
