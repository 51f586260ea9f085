/**
 * Secrets live in the OS keychain (service "Frontdesk"), through @napi-rs/keyring: the maintained,
 * prebuilt N-API successor of keytar. Nothing here ever logs or returns a secret to the renderer.
 */
import { AsyncEntry, type EntryOptions } from '@napi-rs/keyring'

export const KEYCHAIN_SERVICE = 'Frontdesk'

export interface SecretStore {
  /** `os-keychain` for real use; `session-memory` only for the demo clinic on a machine without one. */
  readonly backend: 'os-keychain' | 'session-memory'
  get(account: string): Promise<string | null>
  set(account: string, value: string): Promise<void>
  delete(account: string): Promise<boolean>
}

/** Pin Linux to the Secret Service: the kernel keyring would silently forget secrets at logout. */
const entryOptions: EntryOptions = { linux: { store: 'secret-service' } }

export class KeychainUnavailableError extends Error {
  constructor(cause: unknown) {
    super(
      `The operating system keychain is not available (${cause instanceof Error ? cause.message : String(cause)}).`,
    )
    this.name = 'KeychainUnavailableError'
  }
}

/**
 * Pauses before a keychain call cut off by a keyring restart is tried again. For a moment after
 * the going daemon's cut-off call is answered with an error, the bus may still route the next one
 * to it; by the later tries the name is free and the bus starts the daemon afresh.
 */
export const KEYRING_RESTART_PAUSES_MS = [100, 500]

/**
 * A Secret Service call cut off because the keyring daemon went away under it (Linux: the daemon
 * restarted, crashed, or was replaced at login). Anything else (a locked or missing keychain, a
 * refusal by the person at the machine) is not tried again: a macOS or Windows keychain may prompt.
 */
export function isCutOffByKeyringRestart(err: unknown): boolean {
  if (!(err instanceof Error)) return false
  const text = `${err.message} ${String(err.cause ?? '')}`
  return (
    /DBus error/i.test(text) &&
    /disconnected|session does not exist|NoReply|did not receive a reply/i.test(text)
  )
}

export class KeychainSecretStore implements SecretStore {
  readonly backend = 'os-keychain' as const
  constructor(private readonly service = KEYCHAIN_SERVICE) {}

  /** One entry per account, kept: making one opens a Secret Service session, which on Linux blocks
   *  the main thread for about 6 ms, and every vendor call reads credentials. */
  private readonly entries = new Map<string, AsyncEntry>()

  /** A call cut off by a keyring restart is tried again after a pause, on a fresh entry: an entry
   *  keeps its Secret Service session, which a restarted daemon no longer knows (both proven by
   *  scripts/check-keyring-restart.ts). */
  private async call<T>(account: string, op: (entry: AsyncEntry) => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const kept = this.entries.get(account)
      try {
        // Made inside the try: making one opens a session, which a restart can cut off too.
        const entry = kept ?? new AsyncEntry(this.service, account, entryOptions)
        const answer = await op(entry)
        this.entries.set(account, entry)
        return answer
      } catch (err) {
        if (kept && this.entries.get(account) === kept) this.entries.delete(account)
        const pause = KEYRING_RESTART_PAUSES_MS[attempt]
        if (pause === undefined || !isCutOffByKeyringRestart(err)) throw new KeychainUnavailableError(err)
        await new Promise((r) => setTimeout(r, pause))
      }
    }
  }
  async get(account: string) {
    return this.call(account, (e) => e.getPassword())
  }
  async set(account: string, value: string) {
    await this.call(account, (e) => e.setPassword(value))
  }
  async delete(account: string) {
    return this.call(account, (e) => e.deleteCredential())
  }
}

/**
 * Held only in this process's memory and gone when it exits. Used for the demo clinic on machines
 * with no keychain (docs/architecture.md §8); real connections refuse to run on it.
 */
export class SessionMemorySecretStore implements SecretStore {
  readonly backend = 'session-memory' as const
  private readonly values = new Map<string, string>()
  async get(account: string) {
    return this.values.get(account) ?? null
  }
  async set(account: string, value: string) {
    this.values.set(account, value)
  }
  async delete(account: string) {
    return this.values.delete(account)
  }
}

/**
 * Pauses before the probe's second and third tries. A Secret Service that is starting (Frontdesk
 * opened at login) or busy can fail one call and answer the next; a keychain that is not there
 * fails all three, costing 1.3 s before the demo falls back to session memory.
 */
export const PROBE_RETRY_PAUSES_MS = [300, 1_000]

/** Writes, reads back and removes a probe entry: the only honest test that a keychain works. */
export async function probeKeychain(
  service = KEYCHAIN_SERVICE,
  store: SecretStore = new KeychainSecretStore(service),
): Promise<{ ok: true } | { ok: false; reason: string }> {
  let last: { ok: false; reason: string } = { ok: false, reason: 'not tried' }
  for (const pause of [0, ...PROBE_RETRY_PAUSES_MS]) {
    if (pause) await new Promise((r) => setTimeout(r, pause))
    const account = `probe:${process.pid}:${Date.now()}`
    try {
      await store.set(account, 'probe')
      const back = await store.get(account)
      await store.delete(account)
      if (back === 'probe') return { ok: true }
      last = { ok: false, reason: 'the keychain did not return what was stored' }
    } catch (err) {
      last = { ok: false, reason: err instanceof Error ? err.message : String(err) }
    }
  }
  return last
}

/** Keychain account names: one per connection field, plus the database key. */
export const accounts = {
  databaseKey: (profile: string) => `database-key:${profile}`,
  credential: (connectionId: string, field: string) => `connection:${connectionId}:${field}`,
}
