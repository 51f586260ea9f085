/**
 * The keychain survives its daemon going away, in the tests and in the app. Through the app's own
 * KeychainSecretStore a secret is stored, then:
 * 1. the keyring daemon is stopped between calls, and the next read must find the secret: that
 *    needs scripts/with-keyring.sh (the test bus starts the daemon again, unlocked, on the same
 *    keyring) and the store's fresh entry after a failed call (an entry, kept between calls,
 *    keeps its Secret Service session, which a restarted daemon no longer knows);
 * 2. the daemon is killed with a read already delivered to it (held by SIGSTOP until the bus has
 *    routed the call, as dbus-monitor shows), and that read must still answer: the store tries a
 *    call cut off by a keyring restart again;
 * 3. the same while a new entry opens its Secret Service session: making the entry is part of the
 *    call tried again.
 * Run inside `bash scripts/with-keyring.sh`, as test/integration/foundation/keychain.test.ts does
 * (on a bus of its own, so no other test's keychain call is cut off).
 */
import { execFileSync, spawn, type ChildProcessByStdio } from 'node:child_process'
import type { Readable } from 'node:stream'
import { createInterface } from 'node:readline'
import { setTimeout as sleep } from 'node:timers/promises'
import { KeychainSecretStore } from '../src/main/secrets/secret-store'
import { until } from '../test/support/until'

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

/** Lines dbus-monitor prints; `next(pattern)` resolves at the first later line matching it. */
function monitorLines(monitor: ChildProcessByStdio<null, Readable, null>) {
  const waiting: { pattern: RegExp; resolve: () => void }[] = []
  createInterface({ input: monitor.stdout }).on('line', (line) => {
    for (const w of [...waiting]) {
      if (!w.pattern.test(line)) continue
      waiting.splice(waiting.indexOf(w), 1)
      w.resolve()
    }
  })
  return {
    next: (pattern: RegExp) => new Promise<void>((resolve) => waiting.push({ pattern, resolve })),
  }
}

/** Stops the current daemon and waits until it no longer owns the name. */
async function stopped(pid: number, signal: NodeJS.Signals) {
  process.kill(pid, signal)
  await until(`keyring daemon ${pid} to stop`, () => keyringPid() !== pid)
}

const store = new KeychainSecretStore('FrontdeskHarnessCheck')
const secret = `kept-${process.pid}`
await store.set('restart', secret)

// 1. Stopped between calls.
const first = keyringPid()
if (!first) throw new Error('no keyring daemon owns org.freedesktop.secrets')
await stopped(first, 'SIGTERM')
const afterRestart = await store.get('restart')
const second = keyringPid()
if (afterRestart !== secret)
  throw new Error(`after the keyring restarted, the store read ${JSON.stringify(afterRestart)}`)
if (!second || second === first) throw new Error('the keyring daemon was not started again')
console.log(`[keyring] daemon ${first} stopped between calls; ${second} started on demand, the secret kept`)

// 2. Killed with a call delivered to it.
const monitor = spawn(
  'dbus-monitor',
  ['--session', "type='method_call',destination='org.freedesktop.secrets'"],
  {
    stdio: ['ignore', 'pipe', 'ignore'],
  },
)
/** A check that hangs would hold CI: every wait here gives up after 30 s. */
const within = <T>(what: string, p: Promise<T>) =>
  Promise.race([
    p,
    sleep(30_000, undefined, { ref: false }).then(() => {
      throw new Error(`timed out waiting for ${what}`)
    }),
  ])
try {
  const lines = monitorLines(monitor)
  await within('dbus-monitor to start', lines.next(/member=NameLost/))
  process.kill(second, 'SIGSTOP')
  const delivered = lines.next(/^method call .*destination=org\.freedesktop\.secrets/)
  const inFlight = store.get('restart')
  await within('the read to reach the daemon', delivered)
  await stopped(second, 'SIGKILL')
  const cutOff = await within('the read cut off by the restart', inFlight)
  if (cutOff !== secret) throw new Error(`a read cut off by the restart gave ${JSON.stringify(cutOff)}`)
} finally {
  monitor.kill()
}
console.log(`[keyring] daemon ${second} killed under a read; the store tried again and read the secret`)

// 3. Killed while a new entry opens its session. A store that keeps no entry for the account makes
// one, and making one opens a Secret Service session: a call the restart can cut off as well. The
// daemon is held (SIGSTOP) and a shell kills it once the bus has routed the OpenSession call to it;
// meanwhile this thread waits inside the entry's constructor, which blocks until the bus answers.
await until('a keyring daemon started on demand', () => keyringPid() !== null)
const third = keyringPid()!
const killer = spawn(
  'sh',
  [
    '-c',
    `dbus-monitor --session "type='method_call',destination='org.freedesktop.secrets'" | while IFS= read -r line; do
       case "$line" in
         *member=NameLost*) echo ready ;;
         *member=OpenSession*) kill -KILL ${third}; echo killed; exit 0 ;;
       esac
     done`,
  ],
  { stdio: ['ignore', 'pipe', 'ignore'], detached: true },
)
try {
  const said = monitorLines(killer)
  const killed = said.next(/^killed$/)
  await within('dbus-monitor to start', said.next(/^ready$/))
  process.kill(third, 'SIGSTOP')
  const opened = await within(
    'a read through a new entry',
    new KeychainSecretStore('FrontdeskHarnessCheck').get('restart'),
  )
  await within('the kill while the session opened', killed)
  if (opened !== secret) throw new Error(`a read whose session was cut off gave ${JSON.stringify(opened)}`)
} finally {
  try {
    process.kill(-killer.pid!, 'SIGKILL')
  } catch {
    // Already gone with its pipeline.
  }
}
await store.delete('restart')
console.log(`[keyring] daemon ${third} killed while a new entry opened its session; the store tried again`)
