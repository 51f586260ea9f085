#!/usr/bin/env node
/** `npm run start:browser`: the same app served to a browser on 127.0.0.1 (demo clinic by default). */
import { spawn, execFileSync } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildIfStale } from './build-if-stale.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
execFileSync(process.execPath, [join(root, 'scripts', 'native.mjs'), 'node', '--quiet'], { stdio: 'inherit' })
buildIfStale(root)
const child = spawn(
  process.execPath,
  ['--import', 'tsx', join(root, 'src', 'main', 'browser-host', 'cli.ts'), ...process.argv.slice(2)],
  { cwd: root, stdio: 'inherit' },
)
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig))
child.on('exit', (code) => process.exit(code ?? 0))
