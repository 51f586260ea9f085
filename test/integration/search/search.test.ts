import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  RANK,
  rebuildPatientNameIndex,
  searchCapability,
  searchPatients,
  upsertPatients,
} from '../../../src/main/search'
import { nameParts, sortKey } from '../../../src/main/search/normalise'
import { openDatabase, type Db } from '../../../src/main/store/database'
import { seedClinic } from '../../../src/sandbox/seed'
import type { Patient } from '../../../src/shared/model'
import { nhsCheckDigit } from '../../../src/shared/nhs-number'
import { tempDir } from '../../support/temp'

const TODAY = '2025-06-02'

/** A valid test-range NHS number (999…) from a serial. */
function nhs(serial: number): string {
  for (let n = serial; ; n++) {
    const nine = `999${String(n).padStart(6, '0')}`
    const check = nhsCheckDigit(nine)
    if (check !== null) return `${nine}${check}`
  }
}

const hand = (
  ref: string,
  givenName: string,
  familyName: string,
  birthDate: string,
  more: Partial<Patient> = {},
): Patient => ({ ref, connectionId: 'north', givenName, familyName, birthDate, ...more })

const handMade: Patient[] = [
  hand('h1', 'Siobhán', "O'Brien", '1987-03-12', {
    nhsNumber: nhs(1),
    phone: '+447700900123',
    postcode: 'N1 6QJ',
  }),
  hand('h2', 'Gareth', 'Jones-Smith', '1990-07-01', { nhsNumber: nhs(2), phone: '+442079460018' }),
  hand('h3', 'Zoë', 'Adebayo', '2001-11-30', { postcode: 'SW1A 1AA' }),
  hand('h4', 'Siân', 'Llewellyn', '1975-01-05', { phone: '+14155552671' }),
  hand('h5', 'John', 'Smith', '1987-03-12'),
  hand('h6', 'Joanna', 'Smith', '1960-02-29'),
  hand('h7', 'Alice', 'Smithers', '1987-03-12'),
  hand('h8', 'Smith', 'Abbott', '1999-09-09'),
  hand('h9', 'Łukasz', 'Wiśniewski', '1982-05-03'),
  hand('h10', 'Mary Jane', 'Mac Giolla Íosa', '1950-12-25'),
  hand('h11', 'Seán', 'Ó Súilleabháin', '1944-04-04', { postcode: 'n16qj' }),
  hand('h12', 'Jürgen', 'Müller', '1971-08-15'),
  hand('h13', 'John', 'Smith', '1987-12-03'),
]

let db: Db
let cleanup: () => void
const ids = new Map<string, string>()
const idOf = (ref: string) => ids.get(ref) as string
const refsOf = (res: ReturnType<typeof searchPatients>) =>
  res.results.map((h) => [...ids.entries()].find(([, id]) => id === h.id)?.[0] ?? `gen:${h.familyName}`)
const search = (text: string, more: { connectionIds?: string[]; limit?: number; countUpTo?: number } = {}) =>
  searchPatients(db, { text, today: TODAY, ...more })

beforeAll(() => {
  const t = tempDir('frontdesk-search-')
  cleanup = t.cleanup
  db = openDatabase({ file: join(t.dir, 'clinic.db'), key: randomBytes(32).toString('hex') })
  const conn = db.prepare(
    `INSERT INTO connections (id, vendor, label, base_url, time_zone, created_at) VALUES (?, ?, ?, 'http://127.0.0.1', 'Europe/London', ?)`,
  )
  conn.run('north', 'semble', 'North', TODAY)
  conn.run('south', 'healthie', 'South', TODAY)
  conn.run('hero', 'hero', 'Hero practice', TODAY)

  const handIds = upsertPatients(db, handMade, `${TODAY}T08:00:00Z`)
  handMade.forEach((p, i) => ids.set(p.ref as string, handIds[i] as string))
  // A few hundred generated patients in another connection, and a Hero copy of one hand-made patient.
  const clinic = seedClinic({ patients: 400, seed: 11, today: new Date(`${TODAY}T09:00:00Z`) })
  upsertPatients(
    db,
    clinic.patients.map((p) => ({
      ref: p.key,
      connectionId: 'south',
      givenName: p.givenName,
      familyName: p.familyName,
      birthDate: p.birthDate,
      nhsNumber: p.nhsNumber,
      phone: p.phone,
      postcode: p.address.postcode,
    })),
    `${TODAY}T08:00:00Z`,
  )
  upsertPatients(db, [{ ...handMade[0]!, ref: 'hero-1', connectionId: 'hero' }], `${TODAY}T08:00:00Z`)
})

afterAll(() => {
  db.close()
  cleanup()
})

describe('names', () => {
  it.each(['obrien', "o'brien", 'o brien', 'OBrien', 'O’Brien', 'o', 'bri'])('%j finds O’Brien', (text) => {
    expect(refsOf(search(text, { connectionIds: ['north'] }))).toContain('h1')
  })

  it.each(['jones', 'smith', 'jonessmith', 'jones-smith', 'jones smith'])('%j finds Jones-Smith', (text) => {
    expect(refsOf(search(text, { connectionIds: ['north'] }))).toContain('h2')
  })

  it('ignores diacritics both ways', () => {
    expect(refsOf(search('zoe', { connectionIds: ['north'] }))).toEqual(['h3'])
    expect(refsOf(search('zoë', { connectionIds: ['north'] }))).toEqual(['h3'])
    // Seán is one slip from "sian": listed after Siân as a similar name, never before.
    expect(refsOf(search('sian', { connectionIds: ['north'] }))).toEqual(['h4', 'h11'])
    expect(search('sian', { connectionIds: ['north'] }).results.map((h) => h.matchedOn)).toEqual([
      'name',
      'similar-name',
    ])
    expect(refsOf(search('lukasz wisn', { connectionIds: ['north'] }))).toEqual(['h9'])
    expect(refsOf(search('muller', { connectionIds: ['north'] }))).toEqual(['h12'])
    expect(refsOf(search('suilleabhain', { connectionIds: ['north'] }))).toEqual(['h11'])
    expect(refsOf(search('iosa', { connectionIds: ['north'] }))).toEqual(['h10'])
    expect(refsOf(search('jane', { connectionIds: ['north'] }))).toEqual(['h10'])
  })

  it('ranks surname-start before later surname words before given names, then alphabetically', () => {
    const res = search('smith', { connectionIds: ['north'] })
    // Smith (by given name, then date of birth), Smithers, then Jones-Smith, then the given name Smith.
    expect(refsOf(res)).toEqual(['h6', 'h5', 'h13', 'h7', 'h2', 'h8'])
    expect(res.results.map((h) => h.rank)).toEqual([3, 3, 3, 3, 4, 5])
    expect(res.results.every((h) => h.matchedOn === 'name')).toBe(true)
  })

  it('reads "smi jo" in any order and "Surname, Given"', () => {
    // Gareth Jones-Smith too: "jo" starts his surname and "smi" is its second word.
    expect(refsOf(search('smi jo', { connectionIds: ['north'] }))).toEqual(['h2', 'h6', 'h5', 'h13'])
    expect(refsOf(search('jo smi', { connectionIds: ['north'] }))).toEqual(['h2', 'h6', 'h5', 'h13'])
    expect(refsOf(search('Smith, John', { connectionIds: ['north'] }))).toEqual(['h5', 'h13'])
    // The comma makes "smith" a surname: Smith Abbott is not a Smith.
    expect(refsOf(search('smith,', { connectionIds: ['north'] }))).not.toContain('h8')
    expect(refsOf(search('mary jane mac', { connectionIds: ['north'] }))).toEqual(['h10'])
  })

  it('shows name, date of birth and identifiers together on each hit', () => {
    const [first] = search("o'brien", { connectionIds: ['north'] }).results
    expect(first).toMatchObject({
      id: idOf('h1'),
      connectionId: 'north',
      ref: 'h1',
      givenName: 'Siobhán',
      familyName: "O'Brien",
      birthDate: '1987-03-12',
      nhsNumber: nhs(1),
      phone: '+447700900123',
      postcode: 'N1 6QJ',
    })
  })

  it('orders large result sets alphabetically and stops at the limit', () => {
    for (const text of ['s', 'm', 'o', 'a']) {
      const res = search(text, { connectionIds: ['south'], limit: 20 })
      expect(res.results).toHaveLength(20)
      const keys = res.results.map((h) => [h.rank, sortKey(h.familyName, h.givenName, h.birthDate)] as const)
      const sorted = [...keys].sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))
      expect(keys).toEqual(sorted)
    }
    expect(search('s').results).toHaveLength(50)
  })
})

describe('the index agrees with a plain scan', () => {
  it('returns exactly the patients a brute-force prefix match would, in the same order', () => {
    const rows = db
      .prepare(`SELECT id, given_name, family_name, birth_date FROM patients WHERE connection_id = 'south'`)
      .all() as { id: string; given_name: string; family_name: string; birth_date: string }[]
    for (const prefix of ['s', 'sm', 'o', 'ob', 'mu', 'da', 'ev', 'ni', 'bh', 'ol', 'zo', 'lu', 'ka', 'x']) {
      const expected = rows
        .map((r) => ({ id: r.id, key: sortKey(r.family_name, r.given_name, r.birth_date), r }))
        .filter(({ key }) => key.split('0')[0]!.startsWith(prefix))
        .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
        .map((x) => x.id)
      const got = search(prefix, { connectionIds: ['south'], limit: 500 })
        .results.filter((h) => h.rank === RANK.surname)
        .map((h) => h.id)
      expect(got, prefix).toEqual(expected)
    }
  })

  it('ranks several words exactly as a brute-force match and sort would', () => {
    const rows = db
      .prepare(`SELECT id, given_name, family_name, birth_date FROM patients WHERE connection_id = 'south'`)
      .all() as { id: string; given_name: string; family_name: string; birth_date: string }[]
    const rankOf = (r: (typeof rows)[number], words: string[]): number | null => {
      const fam = nameParts(r.family_name)
      const giv = nameParts(r.given_name)
      const famAll = [...fam, fam.join('')]
      const givAll = [...giv, giv.join('')]
      if (!words.every((w) => famAll.some((p) => p.startsWith(w)) || givAll.some((p) => p.startsWith(w))))
        return null
      if (words.some((w) => fam.join('').startsWith(w))) return RANK.surname
      if (words.some((w) => fam.slice(1).some((p) => p.startsWith(w)))) return RANK.laterSurname
      return RANK.givenName
    }
    for (const text of ['s j', 'smi jo', 'o b', 'ni b', 'mary jane', 'jo sm', 'a m', 'da ev', 'm m s']) {
      const words = text.split(' ')
      const expected = rows
        .map((r) => ({
          id: r.id,
          rank: rankOf(r, words),
          key: sortKey(r.family_name, r.given_name, r.birth_date),
        }))
        .filter((x) => x.rank !== null)
        .sort((a, b) => a.rank! - b.rank! || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
        .slice(0, 25)
      const got = search(text, { connectionIds: ['south'], limit: 25 }).results
      expect(
        got.map((h) => [h.rank, sortKey(h.familyName, h.givenName, h.birthDate)]),
        text,
      ).toEqual(expected.map((x) => [x.rank, x.key]))
    }
  })

  it('stores the same folded keys the search computes', () => {
    const terms = db
      .prepare(`SELECT term, doc FROM patient_name_terms WHERE term >= '1' AND term < '2'`)
      .all() as {
      term: string
      doc: number
    }[]
    const byRowid = db.prepare(`SELECT given_name, family_name, birth_date FROM patients WHERE rowid = ?`)
    expect(terms.length).toBe(db.prepare('SELECT count(*) FROM patients').pluck().get())
    for (const t of terms) {
      const p = byRowid.get(t.doc) as { given_name: string; family_name: string; birth_date: string }
      expect(t.term.slice(1)).toBe(sortKey(p.family_name, p.given_name, p.birth_date))
    }
  })
})

describe('identifiers', () => {
  it.each([
    nhs(1),
    `${nhs(1).slice(0, 3)} ${nhs(1).slice(3, 6)} ${nhs(1).slice(6)}`,
    `${nhs(1).slice(0, 3)}-${nhs(1).slice(3, 6)}-${nhs(1).slice(6)}`,
  ])('finds an NHS number typed %j', (text) => {
    const res = search(text, { connectionIds: ['north'] })
    expect(refsOf(res)).toEqual(['h1'])
    expect(res.results[0]).toMatchObject({ matchedOn: 'nhs-number', rank: RANK.nhsNumber })
  })

  it('says so when the check digit is wrong', () => {
    const wrong = `${nhs(1).slice(0, 9)}${(Number(nhs(1)[9]) + 1) % 10}`
    const res = search(wrong)
    expect(res.results).toEqual([])
    expect(res.problem).toMatch(/check digit is wrong/)
  })

  it.each(['12/03/1987', '12-3-87', '1987-03-12', '12 Mar 1987'])(
    'finds a date of birth typed %j',
    (text) => {
      const res = search(text, { connectionIds: ['north'] })
      expect(refsOf(res)).toEqual(['h1', 'h5', 'h7'])
      expect(res.results.every((h) => h.matchedOn === 'birth-date' && h.rank === RANK.identifier)).toBe(true)
    },
  )

  it.each([
    ['07700 900123', 'h1'],
    ['+44 7700 900123', 'h1'],
    ['(020) 7946 0018', 'h2'],
    ['+1 415 555 2671', 'h4'],
  ])('finds the phone number %j', (text, ref) => {
    const res = search(text, { connectionIds: ['north'] })
    expect(refsOf(res)).toEqual([ref])
    expect(res.results[0]?.matchedOn).toBe('phone')
  })

  it('finds a postcode however it is typed', () => {
    for (const text of ['N1 6QJ', 'n16qj', 'n1 6qj']) {
      const res = search(text, { connectionIds: ['north'] })
      expect(refsOf(res)).toEqual(['h1', 'h11'])
      expect(res.results[0]?.matchedOn).toBe('postcode')
    }
    expect(refsOf(search('sw1a 1aa', { connectionIds: ['north'] }))).toEqual(['h3'])
  })

  it('combines a name with a date of birth, as PDS does', () => {
    expect(refsOf(search('smith 12/03/1987', { connectionIds: ['north'] }))).toEqual(['h5', 'h7'])
    expect(refsOf(search("o'brien 12-3-87", { connectionIds: ['north'] }))).toEqual(['h1'])
    expect(refsOf(search('john 1987-03-12', { connectionIds: ['north'] }))).toEqual(['h5'])
    expect(refsOf(search('smith n1 6qj', { connectionIds: ['north'] }))).toEqual([])
    expect(refsOf(search('obrien n16qj', { connectionIds: ['north'] }))).toEqual(['h1'])
  })

  it('falls back to day and month swapped when nothing matches exactly', () => {
    // Joanna Smith was born 29/02/1960; typed US-style there is no such date, so use a real one.
    const res = search('smith 03/12/1987', { connectionIds: ['north'] })
    expect(refsOf(res)).toEqual(['h13'])
    const swapped = search('smith 12/04/1944', { connectionIds: ['north'] })
    expect(swapped.results).toEqual([])
    const fallback = search('sean 04/04/1944', { connectionIds: ['north'] })
    expect(refsOf(fallback)).toEqual(['h11'])
    const viaSwap = search('jones 01/07/1990', { connectionIds: ['north'] })
    expect(refsOf(viaSwap)).toEqual(['h2'])
    const mistyped = search('jones 07/01/1990', { connectionIds: ['north'] })
    expect(refsOf(mistyped)).toEqual(['h2'])
    expect(mistyped.results[0]?.rank).toBe(RANK.swappedDate)
    expect(mistyped.interpretedAs.at(-1)).toMatch(/day and month swapped/)
  })
})

describe('connections', () => {
  it('filters by connection', () => {
    const south = search('smith', { connectionIds: ['south'] })
    expect(south.results.length).toBeGreaterThan(0)
    expect(south.results.every((h) => h.connectionId === 'south')).toBe(true)
    const both = search('smith', { connectionIds: ['north', 'south'], limit: 500 })
    expect(new Set(both.results.map((h) => h.connectionId))).toEqual(new Set(['north', 'south']))
  })

  it('never pretends to search a trace-only (Hero) connection', () => {
    expect(searchCapability('hero')).toEqual({
      kind: 'trace-only',
      explanation:
        'Hero Health finds patients only by an exact NHS trace: NHS number and date of birth, or name, date of birth and postcode.',
    })
    expect(searchCapability('semble').kind).toBe('local-and-vendor')
    const onlyHero = search("o'brien", { connectionIds: ['hero'] })
    expect(onlyHero.results).toEqual([])
    expect(onlyHero.problem).toMatch(/exact NHS trace/)
    expect(onlyHero.traceOnly).toEqual(['hero'])
    const everywhere = search(nhs(1))
    expect(everywhere.results.map((h) => h.connectionId)).toEqual(['north'])
    expect(everywhere.traceOnly).toEqual(['hero'])
  })

  it('respects the limit', () => {
    expect(search('s', { limit: 7 }).results).toHaveLength(7)
    expect(search('smith jo', { limit: 1, connectionIds: ['north'] }).results).toHaveLength(1)
  })
})

describe('counting past the hits shown', () => {
  // Every path: one letter, a surname, two and three words, a date of birth with and without a
  // name, a postcode, an NHS number, a phone, a typing slip, nothing at all. Fewer hits shown than
  // the few exact matches that make search look for similar names must not make it look.
  const texts = [
    's',
    'm',
    'smi',
    'smith',
    'smith jo',
    'mary jane mac',
    'adebayo',
    // Surnames several patients share, each one typing slip from another name in the list.
    'thomas',
    'bjork',
    'smtih',
    'kuar',
    'smith 12/03/1987',
    '12/03/1987',
    '03/12/1987',
    'n1 6qj',
    nhs(1),
    '07700 900123',
    'zzzz',
  ]

  it.each([1, 2, 3, 10])(
    'shows the first %i of the matches a longer list would, and counts them all',
    (shown) => {
      for (const text of texts) {
        for (const connectionIds of [undefined, ['north'], ['south']]) {
          const all = search(text, { limit: 12, ...(connectionIds ? { connectionIds } : {}) })
          const counted = search(text, {
            limit: shown,
            countUpTo: 12,
            ...(connectionIds ? { connectionIds } : {}),
          })
          const where = `${JSON.stringify(text)} in ${connectionIds ?? 'all'}`
          expect(counted.results, where).toEqual(all.results.slice(0, shown))
          expect(counted.matched, where).toBe(all.results.length)
          expect(counted.didYouMean, where).toBe(all.didYouMean)
        }
      }
    },
  )

  it('stops counting at the number asked, and counts only when asked', () => {
    expect(search('s', { limit: 3, countUpTo: 12 }).matched).toBe(12)
    expect(search('s', { limit: 3, countUpTo: 2 })).toMatchObject({ matched: 3 })
    expect(search('s', { limit: 3 })).not.toHaveProperty('matched')
  })
})

describe('changes to the cache', () => {
  it('reflects updates, moves and deletes at once', () => {
    upsertPatients(db, [{ ...handMade[11]!, familyName: 'Schäfer' }], `${TODAY}T09:00:00Z`)
    expect(refsOf(search('muller', { connectionIds: ['north'] }))).toEqual([])
    expect(refsOf(search('schafer jur', { connectionIds: ['north'] }))).toEqual(['h12'])
    // Same patient by local id: the id is kept, the DOB change is searchable.
    const [id] = upsertPatients(
      db,
      [{ ...handMade[11]!, id: idOf('h12'), familyName: 'Schäfer', birthDate: '1971-08-16' }],
      TODAY,
    )
    expect(id).toBe(idOf('h12'))
    expect(refsOf(search('schafer 16/08/1971', { connectionIds: ['north'] }))).toEqual(['h12'])

    db.prepare('DELETE FROM patients WHERE id = ?').run(idOf('h12'))
    expect(search('schafer jur', { connectionIds: ['north'] }).results).toEqual([])
    expect(search('16/08/1971', { connectionIds: ['north'] }).results).toEqual([])

    // A plain UPDATE from elsewhere in the app is indexed by the triggers too.
    db.prepare(`UPDATE patients SET given_name = 'Zebedee' WHERE id = ?`).run(idOf('h7'))
    expect(refsOf(search('zeb', { connectionIds: ['north'] }))).toEqual(['h7'])
    expect(refsOf(search('alice', { connectionIds: ['north'] }))).toEqual([])
  })

  it("shows each hit's details as last written, whichever copy it is read from", () => {
    // Name hits are read from migration 12's search rows by key; a refresh that changes a phone
    // must show the new one on the next keystroke.
    const phoneOf = (text: string) => search(text, { connectionIds: ['north'] }).results[0]?.phone
    expect(phoneOf('llewellyn')).toBe('+14155552671')
    upsertPatients(db, [{ ...handMade[3]!, phone: '+447700900555' }], `${TODAY}T10:00:00Z`)
    expect(phoneOf('llewellyn')).toBe('+447700900555')
    db.prepare(`UPDATE patients SET postcode = 'CF10 1AA' WHERE id = ?`).run(idOf('h4'))
    expect(search('llewellyn', { connectionIds: ['north'] }).results[0]?.postcode).toBe('CF10 1AA')
    // A name in a script the copy's key does not fold is read from the patients table instead.
    const [id] = upsertPatients(
      db,
      [hand('h21', 'Ирина', 'Иванова', '1988-04-04', { phone: '+447700900444' })],
      TODAY,
    )
    ids.set('h21', id as string)
    expect(search('иван').results.map((h) => [h.familyName, h.phone])).toEqual([['Иванова', '+447700900444']])
    upsertPatients(db, [hand('h21', 'Ирина', 'Иванова', '1988-04-04', { phone: '+447700900445' })], TODAY)
    expect(search('ИВАНОВА').results.map((h) => h.phone)).toEqual(['+447700900445'])
  })

  it('rebuilds the index from the table', () => {
    const before = search('smith', { connectionIds: ['north'] }).results
    rebuildPatientNameIndex(db)
    expect(search('smith', { connectionIds: ['north'] }).results).toEqual(before)
  })

  it('stores phones as E.164 and drops invalid NHS numbers', () => {
    const [id] = upsertPatients(
      db,
      [hand('h20', 'Test', 'Person', '2000-01-01', { phone: '07700 900999', nhsNumber: '943 476 5918' })],
      TODAY,
    )
    ids.set('h20', id as string)
    const row = db.prepare('SELECT phone, nhs_number FROM patients WHERE id = ?').get(id)
    expect(row).toEqual({ phone: '+447700900999', nhs_number: null })
    expect(refsOf(search('07700900999'))).toEqual(['h20'])
  })
})
