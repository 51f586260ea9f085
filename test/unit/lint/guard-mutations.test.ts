/**
 * The guard mutations (test/guards/mutations.json, run by `npm run test:guards` late in CI) each
 * find their line exactly once: a reformatted or renamed line would make a mutation miss its guard,
 * found here in seconds rather than at the end of a CI run.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const root = join(__dirname, '../../..')
const { mutations } = JSON.parse(readFileSync(join(root, 'test/guards/mutations.json'), 'utf8')) as {
  mutations: { name: string; file: string; search: string; tests: string[] }[]
}

describe('guard mutations', () => {
  it('there are some', () => {
    expect(mutations.length).toBeGreaterThan(0)
  })

  it.each(mutations.map((m) => [m.name, m] as const))(
    '%s: its line is there once, its tests exist',
    (_, m) => {
      const text = readFileSync(join(root, m.file), 'utf8')
      expect(text.split(m.search).length - 1).toBe(1)
      for (const t of m.tests) expect(existsSync(join(root, t)), t).toBe(true)
    },
  )
})
