/** The data folder, the logs folder and every file in them are the user's alone (0700 / 0600). */
import { spawnSync } from 'node:child_process'
import { chmodSync, mkdirSync, statSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ensurePrivateDir } from '../../../src/main/app/paths'
import { createLogger } from '../../../src/main/log/logger'
import { tempDir } from '../../support/temp'

const mode = (p: string) => statSync(p).mode & 0o777
let cleanup = () => {}
afterEach(() => cleanup())

describe('private files', () => {
  it('the logger creates its folders 0700 and its file 0600, whatever the umask', () => {
    const t = tempDir()
    cleanup = t.cleanup
    const file = join(t.dir, 'profile', 'logs', 'frontdesk.log')
    createLogger({ file, stderr: false }).info('started')
    expect(mode(join(t.dir, 'profile', 'logs'))).toBe(0o700)
    expect(mode(join(t.dir, 'profile'))).toBe(0o700)
    expect(mode(file)).toBe(0o600)
  })

  it('tightens a folder and a log left readable by an older version', () => {
    const t = tempDir()
    cleanup = t.cleanup
    const logs = join(t.dir, 'logs')
    mkdirSync(logs, { mode: 0o755 })
    chmodSync(logs, 0o755)
    writeFileSync(join(logs, 'frontdesk.log'), '{}\n', { mode: 0o644 })
    chmodSync(join(logs, 'frontdesk.log'), 0o644)
    createLogger({ file: join(logs, 'frontdesk.log'), stderr: false })
    expect(mode(logs)).toBe(0o700)
    expect(mode(join(logs, 'frontdesk.log'))).toBe(0o600)
    const data = join(t.dir, 'data')
    mkdirSync(data, { mode: 0o755 })
    chmodSync(data, 0o755)
    ensurePrivateDir(data)
    expect(mode(data)).toBe(0o700)
  })

  it('after restrictNewFiles, the encrypted database and other files are created 0600', () => {
    const t = tempDir()
    cleanup = t.cleanup
    // In a child process: the umask is process-wide, and the database file is made by SQLite itself.
    const script = `
      import { restrictNewFiles } from ${JSON.stringify(resolve('src/main/app/paths.ts'))}
      import Database from 'better-sqlite3-multiple-ciphers'
      import { mkdirSync, writeFileSync } from 'node:fs'
      restrictNewFiles()
      mkdirSync(${JSON.stringify(join(t.dir, 'sub'))})
      const db = new Database(${JSON.stringify(join(t.dir, 'sub', 'demo.db'))})
      db.pragma("key = 'k'")
      db.exec('CREATE TABLE x (a)')
      db.close()
      writeFileSync(${JSON.stringify(join(t.dir, 'sub', 'profile.lock'))}, '{}')
    `
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
    })
    expect(run.status, run.stderr).toBe(0)
    expect(mode(join(t.dir, 'sub'))).toBe(0o700)
    expect(mode(join(t.dir, 'sub', 'demo.db'))).toBe(0o600)
    expect(mode(join(t.dir, 'sub', 'profile.lock'))).toBe(0o600)
  })
})
