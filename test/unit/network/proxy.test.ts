import { describe, expect, it } from 'vitest'
import {
  basicToken,
  bypasses,
  chooseProxy,
  connectionProxy,
  electronProxyResolver,
  parsePacResult,
  proxySettingSchema,
} from '../../../src/main/network/proxy'
import { environmentProxy } from '../../../src/main/network/routes'

const url = (s: string) => new URL(s)

describe('PAC-style answers', () => {
  it('takes the first usable entry', () => {
    expect(parsePacResult('PROXY proxy.nhs.uk:8080; DIRECT')).toEqual({
      kind: 'proxy',
      url: 'http://proxy.nhs.uk:8080',
    })
    expect(parsePacResult('DIRECT')).toEqual({ kind: 'direct' })
    expect(parsePacResult('HTTPS secure.proxy:443')).toEqual({ kind: 'proxy', url: 'https://secure.proxy' })
  })
  it('skips SOCKS (not supported) and falls back to what follows, or direct', () => {
    expect(parsePacResult('SOCKS5 s:1080; PROXY p:3128')).toEqual({ kind: 'proxy', url: 'http://p:3128' })
    expect(parsePacResult('SOCKS s:1080')).toEqual({ kind: 'direct' })
    expect(parsePacResult('')).toEqual({ kind: 'direct' })
  })
})

describe('NO_PROXY-style bypass', () => {
  it('matches exact hosts, domain suffixes, ports and *', () => {
    expect(bypasses(url('https://api.semble.io'), ['api.semble.io'])).toBe(true)
    expect(bypasses(url('https://api.semble.io'), ['.semble.io'])).toBe(true)
    expect(bypasses(url('https://api.semble.io'), ['*.semble.io'])).toBe(true)
    expect(bypasses(url('https://notsemble.io'), ['.semble.io'])).toBe(false)
    expect(bypasses(url('https://a.example:8443'), ['a.example:443'])).toBe(false)
    expect(bypasses(url('https://a.example'), ['a.example:443'])).toBe(true)
    expect(bypasses(url('https://x.y'), ['*'])).toBe(true)
  })
  it('reads the environment the way the browser host does', () => {
    const env = { HTTPS_PROXY: 'http://p:3128', NO_PROXY: 'localhost, .internal' }
    expect(environmentProxy(url('https://api.heim.health'), env)).toBe('http://p:3128')
    expect(environmentProxy(url('https://box.internal'), env)).toBeUndefined()
    expect(environmentProxy(url('https://localhost:9'), env)).toBeUndefined()
    expect(environmentProxy(url('https://a.b'), {})).toBeUndefined()
    // Lower-case wins, as curl and undici read it.
    expect(
      environmentProxy(url('https://a.b'), { https_proxy: 'http://low:1', HTTPS_PROXY: 'http://up:2' }),
    ).toBe('http://low:1')
  })
})

describe('which proxy a request takes', () => {
  const system = (answer: string) => {
    const asked: string[] = []
    return { asked, resolve: async (u: string) => (asked.push(u), answer) }
  }

  it('a connection proxy wins over managed settings and the system', async () => {
    const s = system('PROXY sys:1')
    const choice = await chooseProxy(url('https://api.hero.health/v1'), {
      connection: { mode: 'fixed', url: 'http://own:8080', username: 'desk' },
      managed: { mode: 'fixed', url: 'http://managed:3128' },
      system: s.resolve,
    })
    expect(choice).toEqual({ kind: 'proxy', url: 'http://own:8080', username: 'desk', source: 'connection' })
    expect(s.asked).toEqual([])
  })

  it('managed settings next, with their bypass list', async () => {
    const managed = { mode: 'fixed' as const, url: 'http://managed:3128', bypass: ['.nhs.uk'] }
    expect(await chooseProxy(url('https://api.hero.health'), { managed })).toMatchObject({
      kind: 'proxy',
      source: 'managed',
    })
    expect(await chooseProxy(url('https://x.nhs.uk'), { managed })).toEqual({
      kind: 'direct',
      source: 'managed',
    })
  })

  it('then the operating system, asked per URL (PAC files, Windows policy)', async () => {
    const s = system('PROXY pac.trust.nhs.uk:8080; DIRECT')
    const choice = await chooseProxy(url('https://api.semble.io/graphql'), {
      managed: { mode: 'system' },
      system: s.resolve,
    })
    expect(choice).toEqual({ kind: 'proxy', url: 'http://pac.trust.nhs.uk:8080', source: 'system' })
    expect(s.asked).toEqual(['https://api.semble.io/graphql'])
    expect(await chooseProxy(url('https://a.b'), { system: system('DIRECT').resolve })).toEqual({
      kind: 'direct',
      source: 'system',
    })
  })

  it('leaves it to the environment when nothing is set and there is no system resolver', async () => {
    expect(await chooseProxy(url('https://a.b'), {})).toBeUndefined()
  })

  it('asks an Electron session (injected) for the system proxy', async () => {
    const asked: string[] = []
    const session = { resolveProxy: async (u: string) => (asked.push(u), 'PROXY corp:9090') }
    const choice = await chooseProxy(url('https://api.heim.health/v1'), {
      system: electronProxyResolver(session),
    })
    expect(choice).toEqual({ kind: 'proxy', url: 'http://corp:9090', source: 'system' })
    expect(asked).toEqual(['https://api.heim.health/v1'])
  })
})

describe('proxy settings', () => {
  it('refuse a password in the address, and other schemes', () => {
    expect(proxySettingSchema.safeParse({ mode: 'fixed', url: 'http://u:secret@p:1' }).success).toBe(false)
    expect(proxySettingSchema.safeParse({ mode: 'fixed', url: 'socks5://p:1' }).success).toBe(false)
    expect(proxySettingSchema.safeParse({ mode: 'fixed', url: 'http://p:3128' }).success).toBe(true)
  })
  it('read a connection proxy from its options', () => {
    expect(connectionProxy({})).toBeUndefined()
    expect(connectionProxy({ proxyUrl: 'direct' })).toEqual({ mode: 'direct' })
    expect(connectionProxy({ proxyUrl: 'http://p:1', proxyUsername: 'desk' })).toEqual({
      mode: 'fixed',
      url: 'http://p:1',
      username: 'desk',
    })
  })
  it('Basic sign-in is user:password in base64', () => {
    expect(basicToken('desk', 'pä55')).toBe(`Basic ${Buffer.from('desk:pä55').toString('base64')}`)
  })
})
