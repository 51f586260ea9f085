/**
 * The installer configuration, checked without building anything or downloading Electron: the
 * config and its hooks are loaded as electron-builder loads them, the schema and file patterns are
 * checked with electron-builder's own validator and matchers, and the fuse set is checked against
 * @electron/fuses.
 */
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

const root = resolve(__dirname, '../../..')
const require = createRequire(import.meta.url)
const configFile = join(root, 'electron-builder.config.cjs')

type Target = { target: string; arch?: string[] }
type BuilderConfig = {
  appId: string
  productName: string
  directories: { output: string; buildResources: string }
  files: string[]
  asar: boolean
  asarUnpack: string[]
  npmRebuild: boolean
  afterPack: string
  afterSign: string
  publish: Array<{ provider: string; url: string }>
  win: { target: Target[]; signtoolOptions: { sign: string; publisherName?: string[] } }
  nsis: Record<string, unknown>
  mac: {
    target: Target[]
    hardenedRuntime: boolean
    gatekeeperAssess: boolean
    entitlements: string
    entitlementsInherit: string
    notarize: boolean
  }
  electronFuses?: unknown
}

/** Loads the config afresh with the given environment, as `electron-builder --config` would. */
function loadConfig(env: Record<string, string | undefined> = {}): BuilderConfig {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]))
  try {
    for (const [k, v] of Object.entries(env)) {
      if (v === undefined) delete process.env[k]
      else process.env[k] = v
    }
    for (const k of Object.keys(require.cache))
      if (k.startsWith(root) && k.endsWith('.cjs')) delete require.cache[k]
    return require(configFile) as BuilderConfig
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k]
      else process.env[k] = v
    }
  }
}

const config = loadConfig()
const hook = (file: string) => require(resolve(root, file)) as Record<string, unknown>

// electron-builder's own pieces, reached the way electron-builder itself reaches them.
const builderRequire = createRequire(require.resolve('electron-builder'))
const { validateConfiguration } = builderRequire('app-builder-lib/out/util/config/config.js') as {
  validateConfiguration: (config: unknown, logger: unknown) => Promise<void>
}
const { DebugLogger } = builderRequire('builder-util') as { DebugLogger: new (enabled: boolean) => unknown }
const fileMatcher = builderRequire('app-builder-lib/out/fileMatcher.js') as {
  FileMatcher: new (
    from: string,
    to: string,
    expand: (s: string) => string,
    patterns?: string[],
  ) => {
    patterns: string[]
    createFilter(): (file: string, stat: unknown) => boolean
  }
  getMainFileMatchers: (
    ...args: unknown[]
  ) => Array<{ patterns: string[]; createFilter(): (f: string, s: unknown) => boolean }>
  getNodeModuleFileMatcher: (...args: unknown[]) => { patterns: string[] }
}

const fakeStat = (rel: string) => ({ isDirectory: () => false, moduleFullFilePath: rel })
const same = (s: string) => s

/** Whether electron-builder would put an app file (relative to the project) into the package. */
function packsAppFile(rel: string): boolean {
  const info = {
    projectDir: root,
    buildResourcesDir: 'build',
    config,
    isPrepackedAppAsar: false,
    debugLogger: { isEnabled: false },
  }
  const [main] = fileMatcher.getMainFileMatchers(
    root,
    '/app',
    same,
    {},
    { info },
    join(root, 'release'),
    false,
  )
  return main!.createFilter()(join(root, rel), fakeStat(rel))
}

/** Whether electron-builder would put a file from a production dependency into the package. */
function packsModuleFile(rel: string): boolean {
  const { patterns } = fileMatcher.getNodeModuleFileMatcher(
    root,
    '/app',
    same,
    {},
    { config, debugLogger: { isEnabled: false } },
  )
  const filter = new fileMatcher.FileMatcher(
    join(root, 'node_modules'),
    '/app/node_modules',
    same,
    patterns,
  ).createFilter()
  return filter(join('/src', rel), fakeStat(rel))
}

/** Whether a packed file is unpacked next to the asar (native modules must be). */
function unpacks(rel: string): boolean {
  const filter = new fileMatcher.FileMatcher(root, '/app', same, config.asarUnpack).createFilter()
  return filter(join('/src', rel), fakeStat(rel))
}

describe('electron-builder configuration', () => {
  it('is valid for electron-builder', async () => {
    await expect(
      validateConfiguration(JSON.parse(JSON.stringify(config)), new DebugLogger(false)),
    ).resolves.toBeUndefined()
  })

  it('names the app and where things go', () => {
    expect(config.appId).toBe('health.frontdesk.app')
    expect(config.productName).toBe('Frontdesk')
    expect(config.directories).toEqual({ output: 'release', buildResources: 'build' })
  })

  it('builds an NSIS installer on Windows and a DMG plus the zip that updates need on macOS', () => {
    expect(config.win.target.map((t) => t.target)).toEqual(['nsis'])
    expect(config.win.target[0]!.arch).toContain('x64')
    const mac = config.mac.target.map((t) => t.target)
    expect(mac).toContain('dmg')
    expect(mac).toContain('zip')
  })

  it('offers an assisted install with a per-machine choice for shared reception PCs', () => {
    expect(config.nsis).toMatchObject({
      oneClick: false,
      perMachine: false, // false + assisted = the installer asks "just me" or "everyone"
      allowElevation: true,
      allowToChangeInstallationDirectory: true,
      deleteAppDataOnUninstall: false,
    })
  })

  it('packs the built app and production modules, never sources, tests or Electron itself', () => {
    expect(config.asar).toBe(true)
    expect(packsAppFile('out/main/index.js')).toBe(true)
    expect(packsAppFile('out/preload/index.cjs')).toBe(true)
    expect(packsAppFile('out/renderer/index.html')).toBe(true)
    expect(packsAppFile('package.json')).toBe(true)
    for (const f of [
      'src/main/index.ts',
      'test/unit/updates/policy.test.ts',
      'scripts/after-pack.cjs',
      'out/main/index.js.map',
      'electron-builder.config.cjs',
    ]) {
      expect(packsAppFile(f), f).toBe(false)
    }
    expect(
      packsModuleFile('node_modules/better-sqlite3-multiple-ciphers/build/Release/better_sqlite3.node'),
    ).toBe(true)
    expect(packsModuleFile('node_modules/better-sqlite3-multiple-ciphers/lib/index.js')).toBe(true)
    expect(packsModuleFile('node_modules/@napi-rs/keyring-win32-x64-msvc/keyring.win32-x64-msvc.node')).toBe(
      true,
    )
    expect(packsModuleFile('node_modules/zod/index.js')).toBe(true)
    expect(packsModuleFile('node_modules/better-sqlite3-multiple-ciphers/deps/sqlite3/sqlite3.c')).toBe(false)
    expect(packsModuleFile('node_modules/electron/dist/electron')).toBe(false)
  })

  it('unpacks both native modules from the asar, and they are not rebuilt behind our back', () => {
    expect(config.asarUnpack).toEqual(
      expect.arrayContaining([
        '**/node_modules/better-sqlite3-multiple-ciphers/**',
        '**/node_modules/@napi-rs/keyring*/**',
      ]),
    )
    expect(unpacks('node_modules/better-sqlite3-multiple-ciphers/build/Release/better_sqlite3.node')).toBe(
      true,
    )
    expect(unpacks('node_modules/@napi-rs/keyring/index.js')).toBe(true)
    expect(unpacks('node_modules/@napi-rs/keyring-darwin-arm64/keyring.darwin-arm64.node')).toBe(true)
    expect(unpacks('node_modules/@napi-rs/keyring-win32-x64-msvc/keyring.win32-x64-msvc.node')).toBe(true)
    expect(unpacks('node_modules/zod/index.js')).toBe(false)
    expect(config.npmRebuild).toBe(false)
  })

  it('publishes a generic feed whose address comes from the environment', () => {
    expect(config.publish).toHaveLength(1)
    expect(config.publish[0]!.provider).toBe('generic')
    const url = 'https://updates.example-clinic.org/frontdesk/'
    expect(loadConfig({ FRONTDESK_UPDATE_URL: url }).publish[0]!.url).toBe(url)
    // Without one, a placeholder that can never resolve: a local build contacts nobody.
    expect(loadConfig({ FRONTDESK_UPDATE_URL: undefined }).publish[0]!.url).toMatch(
      /^https:\/\/[^/]+\.invalid\//,
    )
  })

  it('has an icon of at least 512 x 512 and its SVG source', () => {
    const png = readFileSync(join(root, 'build/icon.png'))
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
    expect(png.toString('ascii', 12, 16)).toBe('IHDR')
    const [width, height] = [png.readUInt32BE(16), png.readUInt32BE(20)]
    expect(width).toBe(height)
    expect(width).toBeGreaterThanOrEqual(512)
    expect(readFileSync(join(root, 'build/icon.svg'), 'utf8')).toMatch(/^<svg [^>]*viewBox="0 0 1024 1024"/)
  })
})

/** The key → value pairs of a flat XML property list holding only booleans; throws on anything else. */
function parseBooleanPlist(xml: string): Record<string, boolean> {
  const body = xml.replace(/<!--[\s\S]*?-->/g, '')
  const m =
    /^\s*<\?xml version="1\.0" encoding="UTF-8"\?>\s*<!DOCTYPE plist [^>]+>\s*<plist version="1\.0">\s*<dict>([\s\S]*)<\/dict>\s*<\/plist>\s*$/.exec(
      body,
    )
  if (!m) throw new Error('not an XML property list with one dict')
  const out: Record<string, boolean> = {}
  let rest = m[1]!.trim()
  while (rest.length > 0) {
    const pair = /^<key>([^<]+)<\/key>\s*<(true|false)\/>\s*/.exec(rest)
    if (!pair) throw new Error(`unexpected plist content: ${rest.slice(0, 40)}`)
    out[pair[1]!] = pair[2] === 'true'
    rest = rest.slice(pair[0].length)
  }
  return out
}

describe('macOS hardened runtime', () => {
  it('is on, with one entitlements file for the app and its helpers', () => {
    expect(config.mac.hardenedRuntime).toBe(true)
    expect(config.mac.gatekeeperAssess).toBe(false)
    expect(config.mac.entitlements).toBe('build/entitlements.mac.plist')
    expect(config.mac.entitlementsInherit).toBe(config.mac.entitlements)
  })

  it('grants only what V8 needs: JIT, and nothing else (no camera, microphone, server or library loading)', () => {
    const entitlements = parseBooleanPlist(readFileSync(join(root, config.mac.entitlements), 'utf8'))
    expect(entitlements).toEqual({ 'com.apple.security.cs.allow-jit': true })
  })

  it('the plist check itself rejects what it should', () => {
    const head =
      '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE plist PUBLIC "x" "y">\n<plist version="1.0"><dict>'
    expect(() => parseBooleanPlist(`${head}<key>a</key><string>b</string></dict></plist>`)).toThrow()
    expect(() => parseBooleanPlist('<plist><dict></dict></plist>')).toThrow()
    expect(parseBooleanPlist(`${head}<key>a</key><false/></dict></plist>`)).toEqual({ a: false })
  })

  it('leaves notarisation to our hook, so it runs once and only with credentials', () => {
    expect(config.mac.notarize).toBe(false)
  })
})

describe('fuses, set after packing', () => {
  const afterPackFile = resolve(root, config.afterPack)
  const afterPack = hook(config.afterPack) as {
    afterPack: unknown
    FUSES: Record<string, boolean>
    fusesFor: (platform: string) => Record<string, boolean>
    executablePath: (o: Record<string, string | undefined>) => string
  }
  const { FuseV1Options } = require('@electron/fuses') as { FuseV1Options: Record<string, number | string> }

  it('the afterPack hook exists and exports the function electron-builder calls', () => {
    expect(existsSync(afterPackFile)).toBe(true)
    expect(typeof afterPack.afterPack).toBe('function')
    // electron-builder's own fuse step stays off, or fuses would be flipped twice.
    expect(config.electronFuses).toBeUndefined()
  })

  it('turns off every way to run other code, and turns on integrity and cookie encryption', () => {
    expect(afterPack.FUSES).toEqual({
      RunAsNode: false,
      EnableNodeOptionsEnvironmentVariable: false,
      EnableNodeCliInspectArguments: false,
      OnlyLoadAppFromAsar: true,
      EnableEmbeddedAsarIntegrityValidation: true,
      EnableCookieEncryption: true,
      GrantFileProtocolExtraPrivileges: false,
      LoadBrowserProcessSpecificV8Snapshot: false,
    })
    expect(Object.isFrozen(afterPack.FUSES)).toBe(true)
  })

  it('decides every fuse @electron/fuses knows, and names no other', () => {
    for (const name of Object.keys(afterPack.FUSES)) expect(FuseV1Options[name], name).toBeTypeOf('number')
    const known = Object.keys(FuseV1Options).filter((k) => Number.isNaN(Number(k)))
    expect(Object.keys(afterPack.FUSES).sort()).toEqual(known.sort())
  })

  it('checks asar integrity where Electron supports it (macOS, Windows), not on Linux', () => {
    expect(afterPack.fusesFor('darwin').EnableEmbeddedAsarIntegrityValidation).toBe(true)
    expect(afterPack.fusesFor('win32').EnableEmbeddedAsarIntegrityValidation).toBe(true)
    expect(afterPack.fusesFor('linux')).not.toHaveProperty('EnableEmbeddedAsarIntegrityValidation')
    expect(afterPack.fusesFor('linux').RunAsNode).toBe(false)
  })

  it('finds the Electron executable on each platform', () => {
    const o = { appOutDir: '/out', productFilename: 'Frontdesk', executableName: 'frontdesk' }
    expect(afterPack.executablePath({ ...o, electronPlatformName: 'darwin' })).toBe(
      join('/out', 'Frontdesk.app'),
    )
    expect(afterPack.executablePath({ ...o, electronPlatformName: 'win32' })).toBe(
      join('/out', 'Frontdesk.exe'),
    )
    expect(afterPack.executablePath({ ...o, electronPlatformName: 'linux' })).toBe(join('/out', 'frontdesk'))
  })
})

describe('signing and notarisation hooks', () => {
  const notarize = hook(config.afterSign) as {
    afterSign: (context: unknown) => Promise<void>
    notarizeCredentials: (env: Record<string, string>) => unknown
  }
  const signWindows = hook(config.win.signtoolOptions.sign) as {
    sign: (c: { path: string }) => Promise<void>
    windowsSigning: (env: Record<string, string>) => { state: string; missing: string[] }
    signCommand: (file: string, env: Record<string, string>) => { command: string; args: string[] }
    SIGNING_VARS: string[]
  }

  it('both hooks exist where the config points', () => {
    expect(existsSync(resolve(root, config.afterSign))).toBe(true)
    expect(existsSync(resolve(root, config.win.signtoolOptions.sign))).toBe(true)
    expect(typeof notarize.afterSign).toBe('function')
    expect(typeof signWindows.sign).toBe('function')
  })

  it('notarises only with a complete set of Apple credentials', () => {
    expect(notarize.notarizeCredentials({})).toBeNull()
    expect(
      notarize.notarizeCredentials({
        APPLE_ID: 'a@b.c',
        APPLE_APP_SPECIFIC_PASSWORD: 'x',
        APPLE_TEAM_ID: 'T',
      }),
    ).toEqual({ appleId: 'a@b.c', appleIdPassword: 'x', teamId: 'T' })
    expect(
      notarize.notarizeCredentials({ APPLE_API_KEY: '/k.p8', APPLE_API_KEY_ID: 'K', APPLE_API_ISSUER: 'I' }),
    ).toEqual({ appleApiKey: '/k.p8', appleApiKeyId: 'K', appleApiIssuer: 'I' })
    // Half a set fails the build rather than shipping un-notarised.
    expect(() => notarize.notarizeCredentials({ APPLE_ID: 'a@b.c' })).toThrow(/APPLE_APP_SPECIFIC_PASSWORD/)
  })

  it('skips notarisation off macOS', async () => {
    await expect(notarize.afterSign({ electronPlatformName: 'win32' })).resolves.toBeUndefined()
  })

  it('signs Windows files only with a complete set of signing variables, secrets never on the command line', () => {
    const full = Object.fromEntries(signWindows.SIGNING_VARS.map((v) => [v, `value-of-${v}`]))
    expect(signWindows.windowsSigning({}).state).toBe('off')
    expect(signWindows.windowsSigning(full).state).toBe('ready')
    expect(signWindows.windowsSigning({ SM_HOST: 'h' }).state).toBe('partial')
    const { args } = signWindows.signCommand('C:\\out\\Frontdesk.exe', full)
    expect(args).toContain('C:\\out\\Frontdesk.exe')
    expect(args.join(' ')).not.toContain(full.SM_API_KEY)
    expect(args.join(' ')).not.toContain(full.SM_CLIENT_CERT_PASSWORD)
  })

  it('leaves a build unsigned when no signing variables are set', async () => {
    const set = signWindows.SIGNING_VARS.filter((v) => process.env[v])
    expect(set).toEqual([]) // the test machine holds no signing secrets
    await expect(signWindows.sign({ path: join(root, 'nothing-to-sign.exe') })).resolves.toBeUndefined()
  })

  it('always names the publisher, so the updater checks every Windows update is signed by it', () => {
    const full = Object.fromEntries(signWindows.SIGNING_VARS.map((v) => [v, 'x']))
    expect(loadConfig({}).win.signtoolOptions.publisherName).toEqual(['Frontdesk'])
    expect(loadConfig({ WINDOWS_PUBLISHER_NAME: 'Frontdesk Ltd' }).win.signtoolOptions.publisherName).toEqual(
      ['Frontdesk Ltd'],
    )
    expect(
      loadConfig({ ...full, WINDOWS_PUBLISHER_NAME: 'Frontdesk Ltd' }).win.signtoolOptions.publisherName,
    ).toEqual(['Frontdesk Ltd'])
    expect(loadConfig({ WINDOWS_PUBLISHER_NAME: '  ' }).win.signtoolOptions.publisherName).toEqual([
      'Frontdesk',
    ])
  })
})

/** Literal secrets: credentials assigned a quoted value, private keys, and well-known token shapes. */
const SECRET_PATTERNS: RegExp[] = [
  /\b\w*(pass(word|wd)?|secret|token|api[_-]?key|private[_-]?key|client[_-]?cert)\w*\b['"]?\s*[:=]\s*['"][^'"$\s{}]{4,}['"]/i,
  /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
  /\bgh[pousr]_[A-Za-z0-9]{30,}\b/,
  /\bAKIA[0-9A-Z]{16}\b/,
  /\b[a-z]{4}-[a-z]{4}-[a-z]{4}-[a-z]{4}\b/, // Apple app-specific password
]
const findSecrets = (text: string) => SECRET_PATTERNS.filter((p) => p.test(text)).map(String)

describe('no secret in the repository', () => {
  const files = [
    'electron-builder.config.cjs',
    config.afterPack,
    config.afterSign,
    config.win.signtoolOptions.sign,
    '.github/workflows/release.yml',
  ]

  it('the detector catches literal secrets', () => {
    expect(findSecrets(`const password = 'hunter22'`)).not.toEqual([])
    expect(findSecrets(`APPLE_APP_SPECIFIC_PASSWORD: "abcd-efgh-ijkl-mnop"`)).not.toEqual([])
    expect(findSecrets(`SM_API_KEY: 'sk_live_123456'`)).not.toEqual([])
    expect(findSecrets('-----BEGIN RSA PRIVATE KEY-----')).not.toEqual([])
    expect(findSecrets('token = "ghp_abcdefghijklmnopqrstuvwxyz0123456789"')).not.toEqual([])
    expect(findSecrets('SM_API_KEY: ${{ secrets.SM_API_KEY }}')).toEqual([])
    expect(findSecrets('appleIdPassword: env.APPLE_APP_SPECIFIC_PASSWORD')).toEqual([])
  })

  it('the config, the hooks and the release workflow hold none', () => {
    for (const file of files) {
      const text = readFileSync(resolve(root, file), 'utf8')
      expect(findSecrets(text), file).toEqual([])
    }
  })

  it('every secret the release workflow uses comes from GitHub secrets', () => {
    const workflow = readFileSync(join(root, '.github/workflows/release.yml'), 'utf8')
    const secretish = /^\s*([A-Z_]*(PASSWORD|SECRET|TOKEN|API_KEY|CSC_LINK|CERT)[A-Z_]*):\s*(.+)$/gm
    const lines = [...workflow.matchAll(secretish)]
    expect(lines.length).toBeGreaterThan(0)
    for (const [, name, , value] of lines) {
      expect(value!.trim(), name).toMatch(/^\$\{\{\s*(secrets\.[A-Z_]+|github\.token)\s*\}\}$/)
    }
  })
})
