/**
 * A hostile search cannot stall the main process: repeated words are searched once and at most
 * MAX_NAME_WORDS words are searched at all, over a real encrypted store of seeded patients. The
 * timing lives in bench/search-hostile.ts; here the work is counted (statements run), not timed.
 */
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseQuery, searchPatients, upsertPatients } from '../../../src/main/search'
import { MAX_NAME_WORDS } from '../../../src/main/search/parse'
import { openDatabase } from '../../../src/main/store/database'
import type { Db } from '../../../src/main/store/database'
import { mulberry32, seedClinic } from '../../../src/sandbox/seed'
import { asCachedPatients } from '../../../bench/_support'
import { tempDir } from '../../support/temp'

const TODAY = '2025-06-02'
let db: Db
let cleanup: () => void

/** The same store, counting every statement it runs (the real SQLite does the work). */
function counting(real: Db): { db: Db; runs: () => number } {
  let runs = 0
  const wrapStatement = (stmt: object) =>
    new Proxy(stmt, {
      get(target, prop, receiver) {
        const v = Reflect.get(target, prop, receiver) as unknown
        if (typeof v !== 'function') return v
        return (...args: unknown[]) => {
          if (prop === 'all' || prop === 'get' || prop === 'iterate' || prop === 'run') runs++
          const out = (v as (...a: unknown[]) => unknown).apply(target, args)
          return out === target ? receiver : out
        }
      },
    })
  const proxy = new Proxy(real, {
    get(target, prop) {
      const v = Reflect.get(target, prop, target) as unknown
      if (prop === 'prepare') return (sql: string) => wrapStatement(target.prepare(sql))
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v
    },
  })
  return { db: proxy, runs: () => runs }
}

beforeAll(() => {
  const t = tempDir()
  cleanup = t.cleanup
  db = openDatabase({ file: join(t.dir, 'clinic.db'), key: randomBytes(32).toString('hex') })
  db.prepare(
    `INSERT INTO connections (id, vendor, label, base_url, time_zone, created_at)
     VALUES ('c1', 'semble', 'Clinic', 'https://open.semble.io/graphql', 'Europe/London', ?)`,
  ).run(`${TODAY}T09:00:00Z`)
  const clinic = seedClinic({
    patients: 20_000,
    seed: 2025,
    timeZone: 'Europe/London',
    today: new Date(`${TODAY}T09:00:00Z`),
  })
  upsertPatients(db, asCachedPatients(clinic.patients, 'c1'), `${TODAY}T09:00:00Z`)
}, 120_000)

afterAll(() => {
  db.close()
  cleanup()
})

const rng = mulberry32(5)
const hundredLetters = Array.from({ length: 100 }, () => String.fromCharCode(97 + Math.floor(rng() * 26)))

describe('a hostile search', () => {
  it('reads repeated words once and at most MAX_NAME_WORDS words', () => {
    expect(MAX_NAME_WORDS).toBe(8)
    const q = parseQuery(hundredLetters.join(' '), { today: TODAY })
    if (q.kind !== 'person') throw new Error(q.kind)
    const words = q.names.map((n) => n.word)
    expect(words).toHaveLength(MAX_NAME_WORDS)
    expect(new Set(words).size).toBe(words.length)
    expect(words).toEqual([...new Set(hundredLetters)].slice(0, MAX_NAME_WORDS))
    const same = parseQuery(Array(100).fill('smith').join(' '), { today: TODAY })
    expect(same.kind === 'person' && same.names.map((n) => n.word)).toEqual(['smith'])
  })

  it('says which words it left out', () => {
    const res = searchPatients(db, { text: hundredLetters.join(' '), today: TODAY })
    expect(res.interpretedAs).toContain(
      `Only the first ${MAX_NAME_WORDS} name words are used; ${new Set(hundredLetters).size - MAX_NAME_WORDS} more ignored`,
    )
  })

  it('does exactly the work of its first eight distinct words, over 20,000 patients', () => {
    const first8 = [...new Set(hundredLetters)].slice(0, MAX_NAME_WORDS).join(' ')
    const hostile = counting(db)
    const capped = counting(db)
    const a = searchPatients(hostile.db, { text: hundredLetters.join(' '), today: TODAY })
    const b = searchPatients(capped.db, { text: first8, today: TODAY })
    expect(a.results).toEqual(b.results)
    expect(hostile.runs()).toBe(capped.runs())
    expect(hostile.runs()).toBeGreaterThan(0)
  })
})
