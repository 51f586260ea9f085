/** The release workflow's safety properties, read from the file as GitHub reads it. */
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'

const workflow = readFileSync(join(resolve(__dirname, '../../..'), '.github/workflows/release.yml'), 'utf8')

/** The text of one top-level job, from its key to the next job's. */
function job(name: string): string {
  const start = workflow.search(new RegExp(`^  ${name}:\\s*$`, 'm'))
  expect(start, `job ${name}`).toBeGreaterThan(-1)
  const rest = workflow.slice(start + 1)
  const next = rest.search(/^ {2}[a-z][\w-]*:\s*$/m)
  return next === -1 ? rest : rest.slice(0, next)
}

describe('release workflow', () => {
  it('pins every action by a full commit and names its version', () => {
    const uses = [...workflow.matchAll(/^\s*-?\s*uses:\s*(.+)$/gm)].map((m) => m[1]!.trim())
    expect(uses.length).toBeGreaterThanOrEqual(5)
    for (const u of uses) expect(u).toMatch(/^[\w.-]+\/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/)
  })

  it('runs on version tags, by hand, and (tests only) on pull requests', () => {
    expect(workflow).toMatch(/^ {2}push:\n {4}tags: \['v\*'\]$/m)
    expect(workflow).toMatch(/^ {2}workflow_dispatch:$/m)
    expect(workflow).toMatch(/^ {2}pull_request:$/m)
    expect(job('test')).not.toMatch(/^ {4}if:/m)
    expect(job('build')).toMatch(/^ {4}if: github\.event_name != 'pull_request'$/m)
  })

  it('runs the desktop smoke test on each OS before it builds the installer', () => {
    const build = job('build')
    const smoke = build.indexOf('run: npm run test:desktop')
    expect(smoke).toBeGreaterThan(-1)
    expect(smoke).toBeLessThan(build.indexOf('run: npm run ${{ matrix.dist }}'))
  })

  it('asks for read-only access, and write access only where the release is made', () => {
    expect(workflow).toMatch(/^permissions:\n {2}contents: read$/m)
    expect(job('test')).not.toContain('contents: write')
    expect(job('build')).not.toContain('contents: write')
    expect(job('publish')).toMatch(/permissions:\n {6}contents: write/)
  })

  it('tests on Linux first, then builds on Windows and macOS', () => {
    const test = job('test')
    expect(test).toContain('runs-on: ubuntu-latest')
    expect(test).toMatch(/ELECTRON_SKIP_BINARY_DOWNLOAD: '1'/)
    for (const step of ['npm ci', 'npm run typecheck', 'npm run lint', 'npm test'])
      expect(test).toContain(step)
    const build = job('build')
    expect(build).toContain('needs: test')
    expect(build).toContain('os: windows-latest')
    expect(build).toContain('os: macos-latest')
    expect(build).toContain('dist: dist:win')
    expect(build).toContain('dist: dist:mac')
  })

  it('keeps installers, update metadata and blockmaps', () => {
    const build = job('build')
    for (const p of [
      'release/*.exe',
      'release/*.dmg',
      'release/*.zip',
      'release/*.blockmap',
      'release/latest*.yml',
    ]) {
      expect(build).toContain(p)
    }
    expect(build).toContain('if-no-files-found: error')
  })

  it('publishes only from a version tag, metadata last', () => {
    const publish = job('publish')
    expect(publish).toContain('needs: build')
    expect(publish).toMatch(/^ {4}if: startsWith\(github\.ref, 'refs\/tags\/v'\)$/m)
    expect(publish.indexOf("--exclude 'latest*.yml'")).toBeLessThan(
      publish.indexOf("--include 'latest*.yml'"),
    )
  })

  it('never leaves the checkout credentials on disk for later steps', () => {
    const checkouts = workflow.split('uses: actions/checkout@').length - 1
    const withoutCredentials = workflow.split('persist-credentials: false').length - 1
    expect(withoutCredentials).toBe(checkouts)
  })
})

interface Step {
  name?: string
  uses?: string
  if?: string
  shell?: string
  run?: string
  env?: Record<string, string>
}
interface Job {
  needs?: string | string[]
  if?: string
  steps: Step[]
}

describe('a release cannot ship unsigned', () => {
  const root = resolve(__dirname, '../../..')
  const parsed = parse(workflow) as { jobs: Record<string, Job> }
  const build = parsed.jobs.build!
  const stepIndex = (pred: (s: Step) => boolean) => build.steps.findIndex(pred)
  const guard = build.steps.find((s) => s.name === 'Refuse an unsigned release')
  const tagOnly = "startsWith(github.ref, 'refs/tags/v')"

  /** The guard script as the workflow runs it, with the env the workflow would give it. */
  const runGuard = (env: Record<string, string>) =>
    spawnSync('bash', [join(root, 'scripts/require-signing.sh')], {
      env: { PATH: process.env.PATH ?? '', ...env },
      encoding: 'utf8',
    })

  it('checks signing secrets on a tag build before building anything', () => {
    expect(guard, 'the signing guard step').toBeDefined()
    expect(guard!.if).toBe(tagOnly)
    expect(guard!.run).toBe('bash scripts/require-signing.sh')
    const building = stepIndex((s) => s.name === 'Build the installer')
    expect(building).toBeGreaterThan(-1)
    expect(build.steps.indexOf(guard!)).toBeLessThan(building)
    // Publishing waits for every build, so a failed guard publishes nothing.
    expect(parsed.jobs.publish!.needs).toBe('build')
  })

  it('hands the guard every signing secret, from GitHub secrets or variables', () => {
    const names = Object.keys(guard!.env ?? {})
    for (const name of [
      'SM_HOST',
      'SM_API_KEY',
      'SM_CLIENT_CERT_FILE_B64',
      'SM_CLIENT_CERT_PASSWORD',
      'SM_KEYPAIR_ALIAS',
      'WINDOWS_PUBLISHER_NAME',
      'CSC_LINK',
      'CSC_KEY_PASSWORD',
      'APPLE_ID',
      'APPLE_APP_SPECIFIC_PASSWORD',
      'APPLE_TEAM_ID',
    ])
      expect(names, name).toContain(name)
    for (const value of Object.values(guard!.env ?? {}))
      expect(value).toMatch(/^\$\{\{ (secrets|vars)\.[A-Z0-9_]+ \}\}$/)
  })

  it('the guard fails a Windows or macOS build with no or partial secrets, naming what is missing', () => {
    const win = runGuard({ RUNNER_OS: 'Windows' })
    expect(win.status).toBe(1)
    expect(win.stdout).toContain('SM_API_KEY')
    const partial = runGuard({ RUNNER_OS: 'Windows', SM_HOST: 'h', SM_API_KEY: 'k' })
    expect(partial.status).toBe(1)
    expect(partial.stdout).not.toContain('SM_API_KEY')
    expect(partial.stdout).toContain('SM_KEYPAIR_ALIAS')
    const mac = runGuard({ RUNNER_OS: 'macOS', CSC_LINK: 'x', CSC_KEY_PASSWORD: 'y' })
    expect(mac.status).toBe(1)
    expect(mac.stdout).toContain('APPLE_ID')
    expect(runGuard({ RUNNER_OS: 'Linux' }).status).toBe(1)
  })

  it('the guard passes a fully configured build', () => {
    const win = Object.fromEntries(
      [
        'SM_HOST',
        'SM_API_KEY',
        'SM_CLIENT_CERT_FILE_B64',
        'SM_CLIENT_CERT_PASSWORD',
        'SM_KEYPAIR_ALIAS',
        'WINDOWS_PUBLISHER_NAME',
      ].map((n) => [n, 'x']),
    )
    expect(runGuard({ RUNNER_OS: 'Windows', ...win }).status).toBe(0)
    const mac = { CSC_LINK: 'x', CSC_KEY_PASSWORD: 'x' }
    expect(
      runGuard({
        RUNNER_OS: 'macOS',
        ...mac,
        APPLE_ID: 'a',
        APPLE_APP_SPECIFIC_PASSWORD: 'p',
        APPLE_TEAM_ID: 't',
      }).status,
    ).toBe(0)
    expect(
      runGuard({
        RUNNER_OS: 'macOS',
        ...mac,
        APPLE_API_KEY_P8: 'k',
        APPLE_API_KEY_ID: 'i',
        APPLE_API_ISSUER: 's',
      }).status,
    ).toBe(0)
  })

  it('checks the built installers are signed (and the Mac app notarised) before uploading them', () => {
    const upload = stepIndex((s) => (s.uses ?? '').startsWith('actions/upload-artifact@'))
    const win = build.steps.find((s) => s.name?.startsWith("Check the Windows installer's signature"))
    const mac = build.steps.find((s) => s.name?.startsWith("Check the macOS app's signature"))
    expect(win?.if).toBe(`${tagOnly} && runner.os == 'Windows'`)
    expect(win?.run).toContain('Get-AuthenticodeSignature')
    expect(win?.run).toMatch(/Status -ne 'Valid'/)
    expect(mac?.if).toBe(`${tagOnly} && runner.os == 'macOS'`)
    for (const check of ['codesign --verify --deep --strict', 'spctl --assess', 'xcrun stapler validate'])
      expect(mac?.run).toContain(check)
    expect(build.steps.indexOf(win!)).toBeLessThan(upload)
    expect(build.steps.indexOf(mac!)).toBeLessThan(upload)
  })
})
