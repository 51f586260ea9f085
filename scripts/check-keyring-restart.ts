/**
 * The keychain survives its daemon going away, in the tests and in the app: a secret is stored
 * through the app's own KeychainSecretStore, the keyring daemon is stopped, and the next read must
 * find the secret. That needs both scripts/with-keyring.sh (the test bus starts the daemon again,
 * unlocked, on the same keyring) and the store's fresh entry per call (an entry keeps its Secret
 * Service session, which a restarted daemon no longer knows). Run inside
 * `bash scripts/with-keyring.sh`; `npm test` runs it before the suites.
 */
import { execFileSync } from 'node:child_process'
import { setTimeout as sleep } from 'node:timers/promises'
import { KeychainSecretStore } from '../src/main/secrets/secret-store'

/** The pid owning org.freedesktop.secrets on this bus, or null when nothing owns it. */
function keyringPid(): number | null {
  try {
    const reply = execFileSync(
      'dbus-send',
      [
        '--session',
        '--print-reply',
        '--dest=org.freedesktop.DBus',
        '/org/freedesktop/DBus',
        'org.freedesktop.DBus.GetConnectionUnixProcessID',
        'string:org.freedesktop.secrets',
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
    )
    return Number(/uint32 (\d+)/.exec(reply)?.[1]) || null
  } catch {
    return null
  }
}

const store = new KeychainSecretStore('FrontdeskHarnessCheck')
const secret = `kept-${process.pid}`
await store.set('restart', secret)
const first = keyringPid()
if (!first) throw new Error('no keyring daemon owns org.freedesktop.secrets')

process.kill(first, 'SIGTERM')
for (let tries = 0; keyringPid() === first; tries++) {
  if (tries > 200) throw new Error(`keyring daemon ${first} did not stop`)
  await sleep(50)
}

const read = await store.get('restart')
await store.delete('restart')
const second = keyringPid()
if (read !== secret) throw new Error(`after the keyring restarted, the store read ${JSON.stringify(read)}`)
if (!second || second === first) throw new Error('the keyring daemon was not started again')
console.log(`[keyring] daemon ${first} stopped; ${second} started on demand, unlocked, the secret kept`)
