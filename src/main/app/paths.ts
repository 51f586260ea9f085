import { homedir, tmpdir } from 'node:os'
import { join } from 'node:path'

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
