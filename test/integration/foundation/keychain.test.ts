import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { createRuntime } from '../../../src/main/app/runtime'
import { silentLogger } from '../../../src/main/log/logger'
import {
  accounts,
  KeychainSecretStore,
  isCutOffByKeyringRestart,
  PROBE_RETRY_PAUSES_MS,
  probeKeychain,
  type SecretStore,
} from '../../../src/main/secrets/secret-store'
import { methodNames } from '../../../src/shared/contract'
import { tempDir, testKeychainService } from '../../support/temp'

describe('the OS keychain (real Secret Service)', () => {
  it('stores, reads back and deletes a secret', async () => {
    const store = new KeychainSecretStore(testKeychainService('roundtrip'))
    expect(await probeKeychain()).toEqual({ ok: true })
    await store.set('connection:c1:apiKey', 'live_s3cret')
    expect(await store.get('connection:c1:apiKey')).toBe('live_s3cret')
    expect(await store.delete('connection:c1:apiKey')).toBe(true)
    expect(await store.get('connection:c1:apiKey')).toBeNull()
    expect(await store.delete('connection:c1:apiKey')).toBe(false)
  })
})

describe('a keyring daemon that restarts', () => {
  // On a D-Bus bus and keyring of its own (scripts/with-keyring.sh), so stopping the daemon there
  // cannot cut off any other test's keychain call.
  it('costs no secret and no call: the bus starts it again and a cut-off call is tried again', async () => {
    const { stdout } = await promisify(execFile)(
      'bash',
      ['scripts/with-keyring.sh', 'node_modules/.bin/tsx', 'scripts/check-keyring-restart.ts'],
      { timeout: 120_000 },
    )
    expect(stdout).toMatch(/stopped between calls; \d+ started on demand, the secret kept/)
    expect(stdout).toMatch(/killed under a read; the store tried again and read the secret/)
  })

  it('is told from a keychain that is missing, locked or refusing, which are not tried again', () => {
    const platform = (message: string) =>
      Object.assign(new Error(`Platform failure: ${message}`), { cause: new Error(message) })
    const cutOff = [
      'DBus error: Message recipient disconnected from message bus without replying',
      'DBus error: The session does not exist',
      'DBus error: Did not receive a reply. Possible causes include: the remote application did not send a reply',
    ]
    const other = [
      "Couldn't access platform storage: Secret Service: no result found",
      'DBus error: The name org.freedesktop.secrets was not provided by any .service files',
      'The user canceled the operation.',
    ]
    for (const m of cutOff) expect(isCutOffByKeyringRestart(platform(m)), m).toBe(true)
    for (const m of other) expect(isCutOffByKeyringRestart(platform(m)), m).toBe(false)
    expect(isCutOffByKeyringRestart('DBus error: disconnected')).toBe(false)
  })
})

describe('the keychain probe', () => {
  /** The real keychain, failing its first `failures` writes the way a busy Secret Service does. */
  function busyAtFirst(failures: number) {
    const real = new KeychainSecretStore(testKeychainService('busy'))
    let tries = 0
    const store: SecretStore = {
      backend: 'os-keychain',
      get: (a) => real.get(a),
      delete: (a) => real.delete(a),
      async set(a, v) {
        if (++tries <= failures) throw new Error('Secret Service: no result found')
        await real.set(a, v)
      },
    }
    return { store, tries: () => tries }
  }

  it('tries again when the Secret Service fails once, rather than refusing to open', async () => {
    const busy = busyAtFirst(1)
    expect(await probeKeychain('unused', busy.store)).toEqual({ ok: true })
    expect(busy.tries()).toBe(2)
  })

  it('gives up after three tries with the last reason', async () => {
    const busy = busyAtFirst(99)
    expect(await probeKeychain('unused', busy.store)).toEqual({
      ok: false,
      reason: 'Secret Service: no result found',
    })
    expect(busy.tries()).toBe(1 + PROBE_RETRY_PAUSES_MS.length)
  })
})

describe('credentials across the contract', () => {
  async function runtimeWithConnection() {
    const t = tempDir()
    const keychainService = testKeychainService('creds')
    const runtime = await createRuntime({
      shell: 'browser',
      version: '0.0.0-test',
      dataDir: t.dir,
      profile: 'clinic',
      log: silentLogger,
      keychainService,
    })
    runtime.connections.upsert({
      id: 'riverside',
      vendor: 'healthie',
      label: 'Riverside',
      baseUrl: 'https://staging-api.gethealthie.com/graphql',
      timeZone: 'Europe/London',
      locale: 'en-GB',
      options: {},
      demo: false,
    })
    return { runtime, keychainService, cleanup: async () => (await runtime.close(), t.cleanup()) }
  }

  it('are write-only: set, ask, delete — never read back', async () => {
    const { runtime, keychainService, cleanup } = await runtimeWithConnection()
    try {
      expect(methodNames.filter((m) => m.startsWith('credentials.')).sort()).toEqual([
        'credentials.delete',
        'credentials.set',
        'credentials.status',
        'credentials.test',
      ])
      const set = await runtime.dispatch('credentials.set', {
        connectionId: 'riverside',
        fields: { apiKey: 'k-123456' },
      })
      expect(set).toEqual({
        ok: true,
        value: { connectionId: 'riverside', present: ['apiKey'], complete: true },
      })
      expect(JSON.stringify(set)).not.toContain('k-123456')
      // The value went to the OS keychain, not the database.
      const direct = new KeychainSecretStore(keychainService)
      expect(await direct.get(accounts.credential('riverside', 'apiKey'))).toBe('k-123456')
      const dump = runtime.db
        .prepare(`SELECT * FROM settings UNION ALL SELECT id, options FROM connections`)
        .all()
      expect(JSON.stringify(dump)).not.toContain('k-123456')

      const status = await runtime.dispatch('credentials.status', { connectionId: 'riverside' })
      expect(status).toEqual({
        ok: true,
        value: { connectionId: 'riverside', present: ['apiKey'], complete: true },
      })

      const del = await runtime.dispatch('credentials.delete', { connectionId: 'riverside' })
      expect(del).toEqual({ ok: true, value: { connectionId: 'riverside', present: [], complete: false } })
      expect(await direct.get(accounts.credential('riverside', 'apiKey'))).toBeNull()
    } finally {
      await cleanup()
    }
  })

  it('refuses a field the vendor does not have, and an unknown connection', async () => {
    const { runtime, cleanup } = await runtimeWithConnection()
    try {
      await expect(
        runtime.dispatch('credentials.set', { connectionId: 'riverside', fields: { password: 'x' } }),
      ).resolves.toMatchObject({ ok: false, error: { code: 'invalid-input', field: 'fields.password' } })
      await expect(
        runtime.dispatch('credentials.status', { connectionId: 'nowhere' }),
      ).resolves.toMatchObject({
        ok: false,
        error: { code: 'not-found', message: 'There is no connection "nowhere".' },
      })
    } finally {
      await cleanup()
    }
  })

  it('reports the store and keychain as healthy', async () => {
    const { runtime, cleanup } = await runtimeWithConnection()
    try {
      const health = await runtime.dispatch('app.health', {})
      expect(health).toMatchObject({
        ok: true,
        value: { store: { ok: true, encrypted: true }, keychain: { ok: true, backend: 'os-keychain' } },
      })
    } finally {
      await cleanup()
    }
  })
})
