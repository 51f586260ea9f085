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
  const sources = Math.max(newest(join(root, 'src')), statSync(join(root, 'electron.vite.config.ts')).mtimeMs)
  if (existsSync(marker) && statSync(marker).mtimeMs >= sources) return
  console.log('[start] building Frontdesk (electron-vite build)…')
  execFileSync(
    process.execPath,
    [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'],
    {
      cwd: root,
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  )
}
