import { describe, expect, it } from 'vitest'
import {
  loadManagedSettings,
  managedConnectionId,
  managedSettingsPath,
  managedUpdates,
  managedView,
  ManagedSettingsError,
  parseManagedSettings,
  registrySettingsValue,
} from '../../../src/main/network/managed'

const example = {
  connections: [
    {
      vendor: 'hero',
      label: 'Hillside Surgery',
      baseUrl: 'https://api.herohealth.net',
      timeZone: 'Europe/London',
      options: { practiceGroupId: 'pg-42' },
    },
  ],
  proxy: { mode: 'fixed', url: 'http://proxy.trust.nhs.uk:8080', username: 'frontdesk', bypass: ['.nhs.uk'] },
  extraCaFile: 'C:\\ProgramData\\Frontdesk\\inspection-ca.pem',
  updateChannel: 'stable',
  inAppUpdates: false,
  idleLockMinutes: 10,
}

function problems(text: string): string[] {
  try {
    parseManagedSettings(text, 'test.json')
  } catch (err) {
    if (err instanceof ManagedSettingsError) return err.issues
    throw err
  }
  throw new Error('expected the settings to be refused')
}

describe('managed settings', () => {
  it('reads a full example and says which values are managed', () => {
    const settings = parseManagedSettings(JSON.stringify(example), 'test.json')
    expect(settings.connections?.[0]).toMatchObject({ vendor: 'hero', locale: 'en-GB' })
    expect(managedView({ settings, source: 'test.json' })).toEqual({
      source: 'test.json',
      connectionIds: ['managed-hero-hillside-surgery'],
      proxy: true,
      proxyUsername: 'frontdesk',
      extraCaFile: true,
      updateChannel: 'stable',
      inAppUpdates: false,
      idleLockMinutes: 10,
    })
  })

  it('names each invalid value and where it is', () => {
    const bad = {
      ...example,
      connections: [{ ...example.connections[0], baseUrl: 'http://plain', timeZone: 'London' }],
      idleLockMinutes: 0,
    }
    const issues = problems(JSON.stringify(bad))
    expect(issues).toContain('connections.0.baseUrl: must be a web address starting with https://')
    expect(issues).toContain('connections.0.timeZone: must be a time zone such as Europe/London')
    expect(issues.some((i) => i.startsWith('idleLockMinutes:'))).toBe(true)
    expect(problems('{ not json')[0]).toMatch(/^not JSON/)
    expect(problems('{"colour":"blue"}')[0]).toMatch(/colour/)
  })

  it('refuses credentials anywhere in the file', () => {
    const withSecret = {
      ...example,
      connections: [{ ...example.connections[0], options: { apiKey: 'k' } }],
      proxy: { ...example.proxy, password: 'p' },
    }
    expect(problems(JSON.stringify(withSecret))).toEqual([
      'connections.0.options.apiKey: credentials are never read from managed settings; enter them on each PC (they go to its keychain)',
      'proxy.password: credentials are never read from managed settings; enter them on each PC (they go to its keychain)',
    ])
  })

  it('refuses two preset connections with one id', () => {
    const c = example.connections[0]!
    expect(problems(JSON.stringify({ connections: [c, c] }))[0]).toMatch(/used twice/)
    expect(managedConnectionId({ vendor: 'heim', label: 'Home Visits!', id: undefined })).toBe(
      'managed-heim-home-visits',
    )
  })
})

describe('where managed settings are read', () => {
  const noExec = () => {
    throw new Error('not there')
  }
  const files = (entries: Record<string, string>) => (path: string) => {
    if (path in entries) return entries[path]!
    throw Object.assign(new Error(`ENOENT ${path}`), { code: 'ENOENT' })
  }

  it('per platform, and FRONTDESK_MANAGED_SETTINGS replaces them', () => {
    expect(managedSettingsPath('linux', {})).toBe('/etc/frontdesk/managed-settings.json')
    expect(managedSettingsPath('darwin', {})).toBe(
      '/Library/Application Support/Frontdesk/managed-settings.json',
    )
    expect(managedSettingsPath('win32', { ProgramData: 'C:\\ProgramData' })).toMatch(
      /Frontdesk.managed-settings\.json$/,
    )
    expect(managedSettingsPath('linux', { FRONTDESK_MANAGED_SETTINGS: '/tmp/x.json' })).toBe('/tmp/x.json')
  })

  it('no file means nothing is managed', () => {
    expect(loadManagedSettings({ platform: 'linux', env: {}, readFile: files({}), exec: noExec })).toEqual({
      settings: {},
    })
  })

  it('Windows: the registry policy value first', () => {
    const out = `\r\nHKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Frontdesk\r\n    Settings    REG_SZ    {"idleLockMinutes":5}\r\n`
    expect(registrySettingsValue(out)).toBe('{"idleLockMinutes":5}')
    const load = loadManagedSettings({ platform: 'win32', env: {}, readFile: files({}), exec: () => out })
    expect(load).toEqual({
      settings: { idleLockMinutes: 5 },
      source: 'HKLM\\SOFTWARE\\Policies\\Frontdesk\\Settings',
    })
  })

  it('macOS: a configuration profile’s managed preferences, without the Payload keys', () => {
    const json = JSON.stringify({
      PayloadUUID: 'x',
      PayloadType: 'health.frontdesk.app',
      inAppUpdates: false,
    })
    const load = loadManagedSettings({ platform: 'darwin', env: {}, readFile: files({}), exec: () => json })
    expect(load.settings).toEqual({ inAppUpdates: false })
    expect(load.source).toBe('/Library/Managed Preferences/health.frontdesk.app.plist')
  })

  it('an invalid file is an error naming the file', () => {
    expect(() =>
      loadManagedSettings({
        platform: 'linux',
        env: {},
        readFile: files({ '/etc/frontdesk/managed-settings.json': '{"idleLockMinutes":"ten"}' }),
        exec: noExec,
      }),
    ).toThrow(
      /The settings managed by IT in \/etc\/frontdesk\/managed-settings\.json are not valid: idleLockMinutes:/,
    )
  })
})

describe('updates under managed settings', () => {
  it('are off when IT says so, and follow the channel IT chose', () => {
    expect(managedUpdates({ inAppUpdates: false, updateChannel: null, source: 'x.json' })).toEqual({
      enabled: false,
      channel: 'latest',
      reason: 'in-app updates turned off by IT (x.json)',
    })
    expect(managedUpdates({ inAppUpdates: null, updateChannel: 'beta', source: null })).toEqual({
      enabled: true,
      channel: 'beta',
    })
    expect(managedUpdates({ inAppUpdates: true, updateChannel: 'stable', source: null }).channel).toBe(
      'latest',
    )
  })
})
