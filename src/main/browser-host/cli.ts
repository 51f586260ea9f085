/**
 * `npm run start:browser`: the same app without Electron, on 127.0.0.1, for machines with no
 * display or no Electron binary, and for end-to-end tests in a real browser.
 */
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { createLogger } from '../log/logger'
import { createRuntime } from '../app/runtime'
import { demoClock } from '../app/demo-clock'
import { defaultDataDir, ensurePrivateDir, restrictNewFiles } from '../app/paths'
import { startBrowserHost } from './server'

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.FRONTDESK_PORT ?? '0' },
    profile: { type: 'string', default: 'demo' },
    'data-dir': { type: 'string' },
    renderer: { type: 'string', default: resolve('out/renderer') },
    /** Demo only: start the demo clinic at this local time, e.g. 2026-03-30T09:00. */
    now: { type: 'string', default: process.env.FRONTDESK_NOW },
  },
})

const profile = values.profile === 'clinic' ? 'clinic' : 'demo'
const port = Number(values.port)
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be a port number, not "${values.port}".`)
  process.exit(2)
}
const dataDir = values['data-dir'] ?? join(defaultDataDir(), profile)
// Every file and folder the host creates is the user's alone (Linux, macOS).
restrictNewFiles()
ensurePrivateDir(dataDir)
const logFile = join(dataDir, 'logs', 'frontdesk.log')
const log = createLogger({ file: logFile })
const version = (JSON.parse(readFileSync(resolve('package.json'), 'utf8')) as { version: string }).version

try {
  const clock = demoClock(profile, values.now)
  const runtime = await createRuntime({ shell: 'browser', version, dataDir, profile, log, clock, logFile })
  const host = await startBrowserHost({
    dispatch: runtime.dispatch,
    bus: runtime.bus,
    rendererDir: values.renderer,
    port,
    log,
  })
  const keychain = runtime.health().keychain
  if (!keychain.ok) console.log(keychain.detail + '.')
  console.log(`Frontdesk (${profile === 'demo' ? 'demo clinic' : 'clinic'}) is running. Open: ${host.url}`)
  const stop = async () => {
    try {
      await host.close()
      await runtime.close()
      process.exit(0)
    } catch (err) {
      console.error(err instanceof Error ? err.message : String(err))
      process.exit(1)
    }
  }
  // A signal handler is not awaited; stop() reports its own failure and exits either way.
  process.on('SIGINT', () => void stop())
  process.on('SIGTERM', () => void stop())
} catch (err) {
  console.error(err instanceof Error ? err.message : String(err))
  process.exit(1)
}
