/**
 * A managed settings file, read the way the app reads it, presets a connection that cannot be
 * changed or removed on the PC, and its proxy and extra CA file carry that connection's traffic.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRuntime, type Runtime } from '../../../src/main/app/runtime'
import { silentLogger } from '../../../src/main/log/logger'
import { loadManagedSettings } from '../../../src/main/network/managed'
import { seedClinic, startHeroSimulator, type HeroState, type SimulatorHandle } from '../../../src/sandbox'
import { serveOverTls, type TlsFront } from '../../../src/sandbox/core/server'
import type { ConnectionCheck } from '../../../src/shared/contract'
import type { Connection } from '../../../src/shared/model'
import { tempDir, testKeychainService } from '../../support/temp'
import { makeCa, startConnectProxy, type TestProxy } from './support'

let rt: Runtime
let sim: SimulatorHandle<HeroState>
let front: TlsFront
let proxy: TestProxy
const cleanups: (() => void | Promise<void>)[] = []

beforeAll(async () => {
  const t = tempDir()
  cleanups.push(t.cleanup)
  const ca = makeCa(t.dir, 'Managed Inspection CA')
  sim = await startHeroSimulator(seedClinic({ patients: 10, today: new Date(), timeZone: 'Europe/London' }))
  front = await serveOverTls(sim, { key: ca.key, cert: ca.cert })
  proxy = await startConnectProxy()
  cleanups.push(
    () => sim.close(),
    () => front.close(),
    () => proxy.close(),
  )
  const file = join(t.dir, 'managed-settings.json')
  writeFileSync(
    file,
    JSON.stringify({
      connections: [
        {
          id: 'hillside',
          vendor: 'hero',
          label: 'Hillside Surgery',
          baseUrl: front.url,
          timeZone: 'Europe/London',
          options: { practiceGroupId: sim.credentials.practiceGroupId },
        },
      ],
      proxy: { mode: 'fixed', url: proxy.url },
      extraCaFile: ca.caFile,
      inAppUpdates: false,
      idleLockMinutes: 15,
    }),
  )
  rt = await createRuntime({
    shell: 'browser',
    version: 'test',
    dataDir: join(t.dir, 'data'),
    profile: 'clinic',
    log: silentLogger,
    keychainService: testKeychainService('managed'),
    startSync: false,
    backgroundRefresh: false,
    managed: loadManagedSettings({ env: { FRONTDESK_MANAGED_SETTINGS: file } }),
  })
  cleanups.push(() => rt.close())
}, 60_000)

afterAll(async () => {
  for (const c of cleanups.reverse()) await c()
})

describe('settings managed by IT', () => {
  it('presets the connection and says which values are managed', async () => {
    const list = await rt.dispatch('connections.list', {})
    expect(list.ok && (list.value as Connection[]).find((c) => c.id === 'hillside')).toMatchObject({
      vendor: 'hero',
      label: 'Hillside Surgery',
      baseUrl: front.url,
      demo: false,
    })
    expect(rt.managed).toMatchObject({
      connectionIds: ['hillside'],
      proxy: true,
      extraCaFile: true,
      inAppUpdates: false,
      idleLockMinutes: 15,
    })
  })

  it('refuses to change or remove a preset connection on the PC', async () => {
    const save = await rt.dispatch('connections.save', {
      id: 'hillside',
      vendor: 'hero',
      label: 'Renamed',
      baseUrl: front.url,
      timeZone: 'Europe/London',
    })
    expect(save).toMatchObject({
      ok: false,
      error: { code: 'invalid-input', message: expect.stringMatching(/set by your IT department/) },
    })
    const remove = await rt.dispatch('connections.remove', { connectionId: 'hillside' })
    expect(remove).toMatchObject({ ok: false, error: { code: 'invalid-input' } })
    // Other connections stay the receptionist's to edit.
    const own = await rt.dispatch('connections.save', {
      vendor: 'heim',
      label: 'Our own',
      baseUrl: 'https://api.example.org',
      timeZone: 'Europe/London',
    })
    expect(own.ok).toBe(true)
  })

  it('carries the connection through the managed proxy, trusting the managed CA file', async () => {
    await rt.credentials.set('hillside', { apiKey: sim.credentials.apiKey! })
    const r = await rt.dispatch('credentials.test', { connectionId: 'hillside' })
    const check = r.ok ? (r.value as ConnectionCheck) : undefined
    expect(check, JSON.stringify(r)).toMatchObject({ ok: true })
    expect(proxy.connects).toContain(`127.0.0.1:${front.port}`)
  })
})
