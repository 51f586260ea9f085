/**
 * One writer per profile: whoever opens a profile (desktop app, browser host, a bench, a test)
 * holds an OS-level exclusive lock on it for as long as it runs, so two processes never drain one
 * outbox. The lock is SQLite's own file lock on a small lock database in the profile's folder,
 * taken in exclusive locking mode and never released until the connection closes: the OS drops it
 * when the process dies, however it dies, so a lock left by a dead process is simply free again.
 * Who holds it (pid, shell, since) is written beside it, for the refusal message only.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3-multiple-ciphers'
import { z } from 'zod'
import { type Clock, systemClock } from '../../shared/clock'

const holderSchema = z.object({
  pid: z.number().int(),
  shell: z.string(),
  host: z.string(),
  since: z.string(),
})
export type ProfileLockHolder = z.infer<typeof holderSchema>

export class ProfileLockedError extends Error {
  constructor(
    readonly profile: string,
    readonly holder: ProfileLockHolder | null,
  ) {
    super(
      holder
        ? `The ${profile} profile is already open in another Frontdesk (${holder.shell}, process ${holder.pid} on ${holder.host}, since ${holder.since}). Close that one first, or use it instead: two copies on one profile could send the same change twice.`
        : `The ${profile} profile is already open in another Frontdesk. Close that one first, or use it instead: two copies on one profile could send the same change twice.`,
    )
    this.name = 'ProfileLockedError'
  }
}

export interface ProfileLock {
  readonly holder: ProfileLockHolder
  release(): void
}

export interface ProfileLockOptions {
  dataDir: string
  profile: string
  /** Who is opening it, for the message a second opener sees: 'desktop', 'browser', a bench… */
  shell: string
  clock?: Clock
}

export const lockFiles = (dataDir: string, profile: string) => ({
  lock: join(dataDir, `${profile}.lock`),
  holder: join(dataDir, `${profile}.lock.json`),
})

function readHolder(file: string): ProfileLockHolder | null {
  try {
    const parsed = holderSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')))
    return parsed.success ? parsed.data : null
  } catch {
    return null
  }
}

const isBusy = (err: unknown) =>
  err instanceof Error &&
  /SQLITE_BUSY|SQLITE_LOCKED|database is locked/i.test(
    `${(err as { code?: string }).code ?? ''} ${err.message}`,
  )

/** Takes the profile's lock or throws `ProfileLockedError` naming who has it. Never waits. */
export function acquireProfileLock(opts: ProfileLockOptions): ProfileLock {
  mkdirSync(opts.dataDir, { recursive: true })
  const files = lockFiles(opts.dataDir, opts.profile)
  const db = new Database(files.lock, { timeout: 0 })
  try {
    // Exclusive locking mode keeps the lock of the first write until the connection closes.
    db.pragma('locking_mode = EXCLUSIVE')
    db.exec(`BEGIN EXCLUSIVE; CREATE TABLE IF NOT EXISTS held (at TEXT NOT NULL); COMMIT`)
  } catch (err) {
    db.close()
    if (isBusy(err)) throw new ProfileLockedError(opts.profile, readHolder(files.holder))
    throw err
  }
  const holder: ProfileLockHolder = {
    pid: process.pid,
    shell: opts.shell,
    host: hostname(),
    since: (opts.clock ?? systemClock).now().toISOString(),
  }
  try {
    const tmp = `${files.holder}.${process.pid}`
    writeFileSync(tmp, JSON.stringify(holder))
    renameSync(tmp, files.holder)
  } catch (err) {
    db.close()
    throw err
  }
  let released = false
  return {
    holder,
    release() {
      if (released) return
      released = true
      db.close()
    },
  }
}
