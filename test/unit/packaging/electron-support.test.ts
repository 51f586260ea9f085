/** Electron supports only its three latest majors: the locked Electron stays within two of ours. */
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { z } from 'zod'

const root = resolve(__dirname, '../../..')
const read = (p: string) => readFileSync(join(root, p), 'utf8')

/** How many majors the locked Electron is behind the supported one (negative when ahead). */
export function majorsBehind(lockText: string, supportedText: string): number {
  const lock = z
    .object({ packages: z.record(z.string(), z.object({ version: z.string().optional() })) })
    .parse(JSON.parse(lockText))
  const version = lock.packages['node_modules/electron']?.version
  if (!version) throw new Error('package-lock.json has no node_modules/electron entry')
  const locked = Number(/^(\d+)\./.exec(version)?.[1])
  const { major } = z.object({ major: z.number().int().positive() }).parse(JSON.parse(supportedText))
  return major - locked
}

const lockWith = (v: string) => JSON.stringify({ packages: { 'node_modules/electron': { version: v } } })

describe('a supported Electron', () => {
  it('the locked Electron is at most two majors behind build/supported-electron.json', () => {
    const behind = majorsBehind(read('package-lock.json'), read('build/supported-electron.json'))
    expect(behind).toBeLessThanOrEqual(2)
  })

  it('the check counts majors from the lock file, and fails at three behind', () => {
    const supported = JSON.stringify({ major: 45 })
    expect(majorsBehind(lockWith('45.5.0'), supported)).toBe(0)
    expect(majorsBehind(lockWith('43.0.1'), supported)).toBe(2)
    expect(majorsBehind(lockWith('39.8.10'), supported)).toBe(6)
    expect(() => majorsBehind(JSON.stringify({ packages: {} }), supported)).toThrow(
      /no node_modules\/electron/,
    )
  })

  it('Dependabot proposes Electron and the security-relevant packages, and the workflow actions', () => {
    const config = parse(read('.github/dependabot.yml')) as {
      version: number
      updates: { 'package-ecosystem': string; groups?: Record<string, { patterns: string[] }> }[]
    }
    expect(config.version).toBe(2)
    const npm = config.updates.find((u) => u['package-ecosystem'] === 'npm')
    expect(npm?.groups?.electron?.patterns).toContain('electron')
    for (const p of ['better-sqlite3-multiple-ciphers', '@napi-rs/keyring', 'undici'])
      expect(npm?.groups?.['security-relevant']?.patterns).toContain(p)
    expect(config.updates.map((u) => u['package-ecosystem'])).toContain('github-actions')
  })
})
