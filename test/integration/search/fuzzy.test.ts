import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RANK, searchPatients, upsertPatients } from '../../../src/main/search'
import { openDatabase, type Db } from '../../../src/main/store/database'
import { seedClinic } from '../../../src/sandbox/seed'
import type { Patient } from '../../../src/shared/model'
import { tempDir } from '../../support/temp'

const TODAY = '2026-03-30'

const p = (
  ref: string,
  givenName: string,
  familyName: string,
  birthDate: string,
  connectionId = 'north',
): Patient => ({
  ref,
  connectionId,
  givenName,
  familyName,
  birthDate,
})

const patients: Patient[] = [
  p('k1', 'Priya', 'Kaur', '2014-10-04'),
  p('k2', 'Harpreet', 'Kaur', '1980-01-15'),
  p('k3', 'Aman', 'Kaur', '1992-06-20'),
  p('k4', 'Simran', 'Kaur', '2001-02-02', 'south'),
  p('s1', 'John', 'Smith', '1970-05-05'),
  p('s2', 'Jane', 'Smith', '1971-05-05'),
  p('s3', 'Jim', 'Smith', '1972-05-05'),
  p('y1', 'Anne', 'Smyth', '1960-01-01'),
  p('m1', 'Mei', 'Chen', '1988-08-08'),
  p('m2', 'Kauri', 'Tane', '1995-09-09'),
  p('w1', 'Ewa', 'Wojciechowska', '1979-03-03'),
]

let db: Db
let cleanup: () => void
const refOf = new Map<string, string>()
const refs = (res: ReturnType<typeof searchPatients>) => res.results.map((h) => refOf.get(h.id) ?? 'gen')
const search = (text: string, more: { connectionIds?: string[]; limit?: number } = {}) =>
  searchPatients(db, { text, today: TODAY, ...more })

beforeAll(() => {
  const t = tempDir('frontdesk-fuzzy-')
  cleanup = t.cleanup
  db = openDatabase({ file: join(t.dir, 'clinic.db'), key: randomBytes(32).toString('hex') })
  const conn = db.prepare(
    `INSERT INTO connections (id, vendor, label, base_url, time_zone, created_at) VALUES (?, ?, ?, 'http://127.0.0.1', 'Europe/London', ?)`,
  )
  conn.run('north', 'semble', 'North', TODAY)
  conn.run('south', 'healthie', 'South', TODAY)
  const ids = upsertPatients(db, patients, `${TODAY}T08:00:00Z`)
  patients.forEach((x, i) => refOf.set(ids[i] as string, x.ref as string))
  // Generated patients around them, so corrections are found among many names.
  const clinic = seedClinic({ patients: 300, seed: 7, today: new Date(`${TODAY}T09:00:00Z`) })
  upsertPatients(
    db,
    clinic.patients.map((x) => ({ ...x, connectionId: 'south', id: undefined })),
    `${TODAY}T08:00:00Z`,
  )
})

afterAll(() => {
  db.close()
  cleanup()
})

describe('names one typing slip away', () => {
  it('"Kuar" finds the Kaurs, ranked as similar names, and suggests "Kaur"', () => {
    const res = search('Kuar', { connectionIds: ['north'] })
    // Kauri Tane too: as typed words always are, "kaur" is read as the start of a name.
    expect(refs(res)).toEqual(['k3', 'k2', 'k1', 'm2'])
    expect(res.results.every((h) => h.matchedOn === 'similar-name' && h.rank === RANK.similarName)).toBe(true)
    expect(res.didYouMean).toBe('Kaur')
  })

  it('exact matches always come first; similar names follow only when there are few', () => {
    const smyth = search('Smyth', { connectionIds: ['north'] })
    expect(refs(smyth)).toEqual(['y1', 's2', 's3', 's1'])
    expect(smyth.results[0]).toMatchObject({ matchedOn: 'name', rank: RANK.surname })
    expect(smyth.results.slice(1).every((h) => h.matchedOn === 'similar-name')).toBe(true)
    expect(smyth.didYouMean).toBe('Smith')
    // Three or more exact matches: nothing fuzzy is added, and nothing is suggested.
    const smith = search('Smith', { connectionIds: ['north'] })
    expect(refs(smith)).toEqual(['s2', 's3', 's1'])
    expect(smith.didYouMean).toBeUndefined()
    // The exact word is never replaced by its neighbours.
    const kaur = search('Kaur', { connectionIds: ['north'] })
    expect(refs(kaur)).toEqual(['k3', 'k2', 'k1', 'm2'])
    expect(kaur.results.every((h) => h.matchedOn === 'name')).toBe(true)
  })

  it('corrects a misspelt surname next to a given name or a date of birth', () => {
    const named = search('Kuar Priya')
    expect(refs(named)).toEqual(['k1'])
    expect(named.didYouMean).toBe('Kaur Priya')
    const born = search('kuar 4/10/2014')
    expect(refs(born)).toEqual(['k1'])
    expect(born.results[0]?.matchedOn).toBe('similar-name')
    expect(born.didYouMean).toBe('Kaur 4/10/2014')
    // A one-letter slip in a given name.
    expect(refs(search('Kaur Pirya'))).toEqual(['k1'])
  })

  it('finds a slip anywhere in a long name, a wrong last letter too', () => {
    // Every near-miss of a long name is checked, not only the first few hundred: the wrong letter at
    // the end comes after about 1,000 likelier ones (swaps, missing and extra letters, earlier letters).
    const res = search('Wojciechowskq', { connectionIds: ['north'] })
    expect(refs(res)).toEqual(['w1'])
    expect(res.didYouMean).toBe('Wojciechowska')
    expect(refs(search('Wojceichowska', { connectionIds: ['north'] }))).toEqual(['w1'])
  })

  it('finds a slip of a name written after the names were last read, by any writer', () => {
    expect(refs(search('Nwaokolo', { connectionIds: ['north'] }))).toEqual([])
    const [id] = upsertPatients(db, [p('n1', 'Chidi', 'Nwaokolo', '1990-01-01')], `${TODAY}T09:00:00Z`)
    refOf.set(id as string, 'n1')
    const res = search('Nwaoklo', { connectionIds: ['north'] })
    expect(refs(res)).toEqual(['n1'])
    expect(res.didYouMean).toBe('Nwaokolo')
    // A changed name is read again too: the old one is no longer offered.
    db.prepare(`UPDATE patients SET family_name = 'Nwankwo' WHERE id = ?`).run(id)
    expect(search('Nwaoklo', { connectionIds: ['north'] }).didYouMean).toBeUndefined()
    expect(search('Nwnakwo', { connectionIds: ['north'] }).didYouMean).toBe('Nwankwo')
  })

  it('keeps to the connections asked for', () => {
    expect(refs(search('Kuar', { connectionIds: ['south'] })).filter((r) => r !== 'gen')).toEqual(['k4'])
  })

  it('offers nothing when no name is one slip away', () => {
    const res = search('Qxzvbn')
    expect(res.results).toEqual([])
    expect(res.didYouMean).toBeUndefined()
  })

  it('keeps to the limit, similar names included', () => {
    expect(search('Kuar', { connectionIds: ['north'], limit: 2 }).results).toHaveLength(2)
  })
})
