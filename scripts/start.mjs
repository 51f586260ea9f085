#!/usr/bin/env node
/**
 * `npm start`: the desktop app on the demo clinic where Electron can run; otherwise the same app
 * through the browser host. `npm install` never downloads Electron's binary: it is fetched here, on
 * first start; where that is impossible (offline machines, locked-down clinic networks) we say so
 * and carry on.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildIfStale } from './build-if-stale.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const require = createRequire(join(root, 'package.json'))

/** Returns why the desktop shell cannot run here, or null when it can. */
function desktopBlocker() {
  if (process.env.FRONTDESK_SHELL === 'browser') return 'FRONTDESK_SHELL=browser was set'
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY)
    return 'there is no display'
  let dir
  try {
    dir = dirname(require.resolve('electron/package.json'))
  } catch {
    return 'the electron package is not installed (run npm install first)'
  }
  const installed = () => existsSync(join(dir, 'path.txt')) && existsSync(join(dir, 'dist'))
  if (installed()) return null
  console.log('[start] fetching the Electron binary…')
  const env = { ...process.env }
  delete env.ELECTRON_SKIP_BINARY_DOWNLOAD
  const r = spawnSync(process.execPath, [join(dir, 'install.js')], { env, stdio: 'ignore', timeout: 300_000 })
  return r.status === 0 && installed() ? null : 'the Electron binary could not be downloaded here'
}

const blocker = desktopBlocker()
if (blocker) {
  console.log(`[start] Running Frontdesk in your browser through the browser host, because ${blocker}.`)
  const child = spawn(
    process.execPath,
    [join(root, 'scripts', 'start-browser.mjs'), ...process.argv.slice(2)],
    {
      stdio: 'inherit',
    },
  )
  child.on('exit', (code) => process.exit(code ?? 0))
} else {
  execFileSync(process.execPath, [join(root, 'scripts', 'native.mjs'), 'electron'], { stdio: 'inherit' })
  buildIfStale(root)
  const electronBin = join(
    dirname(require.resolve('electron/package.json')),
    'dist',
    readFileSync(join(dirname(require.resolve('electron/package.json')), 'path.txt'), 'utf8'),
  )
  const child = spawn(electronBin, [root, '--demo', ...process.argv.slice(2)], { stdio: 'inherit' })
  child.on('exit', (code) => process.exit(code ?? 0))
}
