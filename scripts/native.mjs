#!/usr/bin/env node
/**
 * The SQLite module is native: it must be built for whichever runtime loads it. Tests and the
 * browser host use Node's ABI; the desktop app and installers use Electron's. This script makes
 * the build match the runtime asked for, rebuilding only when it does not:
 *   node scripts/native.mjs node       (tests, browser host; run after every install)
 *   node scripts/native.mjs electron   (desktop start and packaging)
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const stampFile = join(root, 'node_modules', '.frontdesk-native-abi')
const target = process.argv[2]
const quiet = process.argv.includes('--quiet')
const say = (m) => quiet || console.log(`[native] ${m}`)
const MODULE = 'better-sqlite3-multiple-ciphers'
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'

const stamp = () => (existsSync(stampFile) ? readFileSync(stampFile, 'utf8').trim() : '')

function loadsUnderNode() {
  const probe = `const D=require('${MODULE}');new D(':memory:').prepare('select 1').get()`
  return spawnSync(process.execPath, ['-e', probe], { cwd: root, stdio: 'ignore' }).status === 0
}

if (target === 'node') {
  const want = `node-${process.versions.modules}`
  if (stamp() === want && loadsUnderNode()) process.exit(0)
  if (!loadsUnderNode()) {
    say(`rebuilding ${MODULE} for Node ${process.version} (takes about a minute)`)
    execFileSync(npm, ['rebuild', MODULE], { cwd: root, stdio: quiet ? 'ignore' : 'inherit' })
    if (!loadsUnderNode()) {
      console.error(
        `[native] ${MODULE} still does not load under Node after a rebuild; see the output above.`,
      )
      process.exit(1)
    }
  }
  writeFileSync(stampFile, want)
  say(`${MODULE} is built for Node (${want})`)
} else if (target === 'electron') {
  const require = createRequire(join(root, 'package.json'))
  const electronVersion = JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')).version
  const want = `electron-${electronVersion}`
  if (stamp() === want) process.exit(0)
  say(`rebuilding native modules for Electron ${electronVersion}`)
  execFileSync(
    process.execPath,
    [require.resolve('@electron/rebuild/lib/cli.js'), '-f', '-v', electronVersion, '-w', MODULE],
    {
      cwd: root,
      stdio: 'inherit',
    },
  )
  writeFileSync(stampFile, want)
} else {
  console.error('usage: node scripts/native.mjs node|electron [--quiet]')
  process.exit(2)
}
