/**
 * The process boundaries and promise rules hold: a temporary copy of the lint setup (config,
 * tsconfigs, the preload and shared code) gets one deliberate violation per rule, and ESLint,
 * run through its Node API, must report each one with the rule that forbids it. The untouched
 * copies must lint clean, so a rule that flags everything cannot pass either.
 */
import { cpSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { ESLint } from 'eslint'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { tempDir } from '../../support/temp'

const repo = resolve(import.meta.dirname, '../../..')

interface Planted {
  why: string
  file: string
  code: string
  rule: string
}

const planted: Planted[] = [
  // The renderer reaches the main process only through the contract.
  {
    why: 'renderer imports main by a bare relative path',
    file: 'src/renderer/src/a.ts',
    code: `export * from '../../main'`,
    rule: 'no-restricted-imports',
  },
  {
    why: 'renderer imports a main module',
    file: 'src/renderer/src/b.ts',
    code: `export { openDatabase } from '../../main/store/database'`,
    rule: 'no-restricted-imports',
  },
  {
    why: 'renderer loads main with import()',
    file: 'src/renderer/src/c.ts',
    code: `export const load = () => import('../../main/app/runtime')`,
    rule: 'no-restricted-syntax',
  },
  {
    why: 'renderer import() with a computed path',
    file: 'src/renderer/src/d.ts',
    code: `export const load = (p: string) => import(p)`,
    rule: 'no-restricted-syntax',
  },
  {
    why: 'renderer imports electron/renderer',
    file: 'src/renderer/src/e.ts',
    code: `export { ipcRenderer } from 'electron/renderer'`,
    rule: 'no-restricted-imports',
  },
  {
    why: 'renderer imports electron',
    file: 'src/renderer/src/f.ts',
    code: `export { ipcRenderer } from 'electron'`,
    rule: 'no-restricted-imports',
  },
  {
    why: 'renderer imports a simulator',
    file: 'src/renderer/src/g.ts',
    code: `export * from '../../sandbox'`,
    rule: 'no-restricted-imports',
  },
  {
    why: 'a component subscribes to a whole store',
    file: 'src/renderer/src/t.ts',
    code: `import { useUi } from './state/ui-store'\nexport const useView = () => useUi().view`,
    rule: 'no-restricted-syntax',
  },
  // Shared code runs in every process.
  {
    why: 'shared imports the simulators',
    file: 'src/shared/h.ts',
    code: `export * from '../sandbox/semble/server'`,
    rule: 'no-restricted-imports',
  },
  {
    why: 'shared imports main',
    file: 'src/shared/i.ts',
    code: `export * from '../main'`,
    rule: 'no-restricted-imports',
  },
  {
    why: 'shared imports the renderer',
    file: 'src/shared/j.ts',
    code: `export * from '../renderer/src/App'`,
    rule: 'no-restricted-imports',
  },
  {
    why: 'shared loads main with import()',
    file: 'src/shared/k.ts',
    code: `export const load = () => import('../main/store/database')`,
    rule: 'no-restricted-syntax',
  },
  // Only the Electron shell touches Electron.
  {
    why: 'a service imports electron/main',
    file: 'src/main/services/l.ts',
    code: `export { app } from 'electron/main'`,
    rule: 'no-restricted-imports',
  },
  {
    why: 'a service imports electron',
    file: 'src/main/services/m.ts',
    code: `export { shell } from 'electron'`,
    rule: 'no-restricted-imports',
  },
  {
    why: 'a service loads electron with import()',
    file: 'src/main/services/n.ts',
    code: `export const load = () => import('electron')`,
    rule: 'no-restricted-syntax',
  },
  {
    why: 'main imports the renderer',
    file: 'src/main/app/o.ts',
    code: `export * from '../../renderer/src/App'`,
    rule: 'no-restricted-imports',
  },
  // The preload: contextBridge, ipcRenderer and src/shared only.
  {
    why: 'preload imports another part of electron',
    file: 'src/preload/p.ts',
    code: `export { shell } from 'electron'`,
    rule: 'no-restricted-imports',
  },
  {
    why: 'preload imports main',
    file: 'src/preload/q.ts',
    code: `export * from '../main/app/runtime'`,
    rule: 'no-restricted-imports',
  },
  {
    why: 'preload imports Node',
    file: 'src/preload/r.ts',
    code: `export { readFileSync } from 'node:fs'`,
    rule: 'no-restricted-imports',
  },
  {
    why: 'preload loads a module at run time',
    file: 'src/preload/s.ts',
    code: `export const load = () => import('../shared/result')`,
    rule: 'no-restricted-syntax',
  },
  // Promises are awaited or handled.
  {
    why: 'a floating promise',
    file: 'src/main/app/t.ts',
    code: `async function close() {}\nexport function quit() {\n  close()\n}`,
    rule: '@typescript-eslint/no-floating-promises',
  },
  {
    why: 'an async listener where a plain one is expected',
    file: 'src/main/app/u.ts',
    code: `export function watch(close: () => Promise<void>) {\n  process.on('SIGINT', close)\n}`,
    rule: '@typescript-eslint/no-misused-promises',
  },
  // SQL lives in repositories.
  {
    why: 'a service prepares SQL',
    file: 'src/main/services/v.ts',
    code: `export const read = (db: { prepare(sql: string): unknown }) => db.prepare('SELECT 1')`,
    rule: 'no-restricted-syntax',
  },
  {
    why: 'the shell runs SQL',
    file: 'src/main/index.ts',
    code: `export const wipe = (db: { exec(sql: string): void }) => db.exec('DELETE FROM outbox')`,
    rule: 'no-restricted-syntax',
  },
  {
    why: "the sync engine runs SQL through a repository's db",
    file: 'src/main/sync/w.ts',
    code: `export const wipe = (repo: { db: { exec(sql: string): void } }, sql: string) => repo.db.exec(sql)`,
    rule: 'no-restricted-syntax',
  },
]

/** Real files that follow the rules, and repositories with SQL; each must lint clean in the copy. */
const clean = [
  'src/preload/index.ts',
  'src/shared/contract.ts',
  'src/shared/result.ts',
  'src/main/store/x-repo.ts',
  'src/main/cache/y-repo.ts',
]
const repositories = `export const read = (db: { prepare(sql: string): unknown; exec(sql: string): void }) => {
  db.exec('DELETE FROM slots')
  return db.prepare('SELECT 1')
}
`

let dir: string
let cleanup: () => void
let results: Map<string, ESLint.LintResult>

beforeAll(async () => {
  ;({ dir, cleanup } = tempDir('frontdesk-lint-'))
  for (const f of [
    'eslint.config.js',
    'package.json',
    'tsconfig.json',
    'tsconfig.base.json',
    'tsconfig.node.json',
    'tsconfig.web.json',
  ])
    cpSync(join(repo, f), join(dir, f))
  for (const d of ['src/preload', 'src/shared']) cpSync(join(repo, d), join(dir, d), { recursive: true })
  symlinkSync(join(repo, 'node_modules'), join(dir, 'node_modules'), 'dir')
  for (const p of planted) {
    mkdirSync(dirname(join(dir, p.file)), { recursive: true })
    writeFileSync(join(dir, p.file), `${p.code}\n`)
  }
  for (const f of ['src/main/store/x-repo.ts', 'src/main/cache/y-repo.ts']) {
    mkdirSync(dirname(join(dir, f)), { recursive: true })
    writeFileSync(join(dir, f), repositories)
  }
  // A regular expression's exec is not SQL.
  writeFileSync(join(dir, 'src/main/services/z.ts'), 'export const digits = (s: string) => /\\d+/.exec(s)\n')
  clean.push('src/main/services/z.ts')
  const eslint = new ESLint({ cwd: dir })
  const linted = await eslint.lintFiles([...planted.map((p) => p.file), ...clean])
  results = new Map(linted.map((r) => [r.filePath, r]))
}, 120_000)

afterAll(() => cleanup?.())

describe('lint boundaries', () => {
  it('leaves the real preload and shared files clean', () => {
    for (const file of clean) expect(results.get(join(dir, file))?.messages, file).toEqual([])
  })

  it.each(planted)('catches: $why', ({ file, rule }) => {
    const messages = results.get(join(dir, file))?.messages ?? []
    expect(
      messages.map((m) => m.ruleId),
      `${file}: ${JSON.stringify(messages)}`,
    ).toContain(rule)
    // A syntax error would also "fail lint"; each plant must be caught by a rule, not the parser.
    expect(messages.filter((m) => m.fatal)).toEqual([])
  })
})
