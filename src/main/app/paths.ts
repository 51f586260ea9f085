import { chmodSync, existsSync, mkdirSync, statSync } from 'node:fs'
import { homedir, tmpdir } from 'node:os'
import { join } from 'node:path'

/** Folders and files only this user can open (Linux, macOS). Windows: the profile folder's ACL. */
export const PRIVATE_DIR_MODE = 0o700
export const PRIVATE_FILE_MODE = 0o600

/**
 * Everything this process creates from now on is private to the user: SQLite, the profile lock and
 * support bundles create their files with the usual 0644, which the umask trims to 0600.
 */
export function restrictNewFiles(platform = process.platform) {
  if (platform !== 'win32') process.umask(0o077)
}

/** Creates (or tightens) a folder to 0700, the folders above it that it creates too. */
export function ensurePrivateDir(dir: string, platform = process.platform) {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE })
  if (platform !== 'win32' && (statSync(dir).mode & 0o777) !== PRIVATE_DIR_MODE)
    chmodSync(dir, PRIVATE_DIR_MODE)
}

/** Tightens an existing file (say, a log written by an older version) to 0600. */
export function ensurePrivateFile(file: string, platform = process.platform) {
  if (platform === 'win32' || !existsSync(file)) return
  if ((statSync(file).mode & 0o777) !== PRIVATE_FILE_MODE) chmodSync(file, PRIVATE_FILE_MODE)
}

/**
 * Where a profile's data lives when not run by Electron (which uses app.getPath('userData')).
 * Mirrors Electron's per-platform choice so the browser host and the desktop app agree.
 */
export function defaultDataDir(platform = process.platform, env = process.env): string {
  if (env.FRONTDESK_DATA_DIR) return env.FRONTDESK_DATA_DIR
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Frontdesk')
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Frontdesk')
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'Frontdesk')
}

/** The demo clinic on a machine without a keychain keeps nothing: a fresh temporary folder. */
export const ephemeralDataDir = () => join(tmpdir(), `frontdesk-demo-${process.pid}-${Date.now()}`)
