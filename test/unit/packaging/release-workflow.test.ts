/** The release workflow's safety properties, read from the file as GitHub reads it. */
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

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
