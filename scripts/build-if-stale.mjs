/** Builds the bundles when out/ is missing or older than the sources, so start commands stay quick. */
import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

function newest(dir) {
  let latest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name)
    latest = Math.max(latest, entry.isDirectory() ? newest(p) : statSync(p).mtimeMs)
  }
  return latest
}

export function buildIfStale(root) {
  const marker = join(root, 'out', 'renderer', 'index.html')
  const configs = ['electron.vite.config.ts', 'vite.renderer.config.ts'].map(
    (f) => statSync(join(root, f)).mtimeMs,
  )
  const sources = Math.max(newest(join(root, 'src')), ...configs)
  if (existsSync(marker) && statSync(marker).mtimeMs >= sources) return
  // electron-vite needs the electron package; without it (its download failed) build the renderer alone.
  const electronPresent = existsSync(join(root, 'node_modules', 'electron', 'package.json'))
  const [tool, args] = electronPresent
    ? [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), ['build']]
    : [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), ['build', '--config', 'vite.renderer.config.ts']]
  console.log(`[start] building Frontdesk (${electronPresent ? 'electron-vite' : 'vite, renderer only'})…`)
  execFileSync(process.execPath, [tool, ...args], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] })
}
