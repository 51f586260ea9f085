import { describe, expect, it } from 'vitest'
import { compactName, foldName, nameParts, sortKey } from '../../../src/main/search/normalise'
import { describeQuery, parseQuery, problemWith } from '../../../src/main/search/parse'

const today = '2025-06-02'
const parse = (text: string, region?: 'GB' | 'US') =>
  parseQuery(text, { today, ...(region ? { region } : {}) })
const person = (text: string) => {
  const q = parse(text)
  if (q.kind !== 'person') throw new Error(`${text} read as ${q.kind}`)
  return q
}

describe('NHS numbers', () => {
  it.each(['9434765919', '943 476 5919', '943-476-5919', ' 943 476 5919 '])('reads %j', (text) => {
    expect(parse(text)).toEqual({ kind: 'nhs-number', nhsNumber: '9434765919' })
  })

  it('reports a wrong check digit instead of searching', () => {
    const q = parse('943 476 5918')
    expect(q).toEqual({ kind: 'nhs-invalid', digits: '9434765918' })
    expect(problemWith(q)).toMatch(/check digit is wrong/)
  })

  it('reports a number whose check digit would be 10 (never issued)', () => {
    // 1st nine digits weighted sum ≡ 1 (mod 11) → check 10.
    expect(parse('100 000 0011').kind).toBe('nhs-invalid')
  })
})

describe('dates of birth', () => {
  it.each([
    ['12/03/1987', '1987-03-12'],
    ['12-3-87', '1987-03-12'],
    ['1987-03-12', '1987-03-12'],
    ['12.03.1987', '1987-03-12'],
    ['12 Mar 1987', '1987-03-12'],
    ['12 March 1987', '1987-03-12'],
    ['12-Mar-87', '1987-03-12'],
    ['12th march 1987', '1987-03-12'],
    ['1/2/2003', '2003-02-01'],
    ['12031987', '1987-03-12'],
  ])('reads %j day first', (text, iso) => {
    expect(person(text)).toMatchObject({ names: [], birthDate: iso })
  })

  it('pivots two-digit years so a birth date is never in the future', () => {
    expect(person('01/06/25').birthDate).toBe('2025-06-01')
    expect(person('03/06/25').birthDate).toBe('1925-06-03')
    expect(person('12/03/24').birthDate).toBe('2024-03-12')
    expect(person('12/03/30').birthDate).toBe('1930-03-12')
  })

  it('refuses dates that do not exist or have not happened', () => {
    expect(parse('31/02/1990')).toMatchObject({ kind: 'date-invalid', reason: 'not-a-date' })
    expect(parse('12/03/2030')).toMatchObject({ kind: 'date-invalid', reason: 'future' })
    expect(problemWith(parse('12/03/2030'))).toMatch(/future/)
    expect(problemWith(parse('31/02/1990'))).toMatch(/not a real date/)
  })

  it('describes the date in words', () => {
    expect(describeQuery(parse('12-3-87'))).toEqual(['Date of birth 12 March 1987'])
  })
})

describe('phone numbers', () => {
  it.each([
    ['07700 900123', '+447700900123'],
    ['07700-900-123', '+447700900123'],
    ['+44 7700 900123', '+447700900123'],
    ['+44 (0)7700 900123', '+447700900123'],
    ['(020) 7946 0018', '+442079460018'],
    ['020 7946 0018', '+442079460018'],
    ['+1 415 555 2671', '+14155552671'],
    ['447700900123', '+447700900123'],
  ])('reads %j as E.164', (text, e164) => {
    expect(parse(text)).toEqual({ kind: 'phone', phone: e164 })
  })

  it('reads a ten-digit US number as a phone where the clinic is in the US', () => {
    expect(parse('415 555 2671', 'US')).toEqual({ kind: 'phone', phone: '+14155552671' })
  })

  it('waits for more digits of a phone number', () => {
    expect(parse('+44 77')).toEqual({ kind: 'incomplete', typed: '+44 77' })
  })
})

describe('postcodes', () => {
  it.each(['N1 6QJ', 'n16qj', ' n1  6qj '])('reads %j', (text) => {
    expect(person(text)).toMatchObject({ names: [], postcode: 'N16QJ' })
  })

  it('reads longer forms', () => {
    expect(person('SW1A 1AA').postcode).toBe('SW1A1AA')
    expect(person('ec1a1bb').postcode).toBe('EC1A1BB')
  })
})

describe('names', () => {
  it('makes each word a prefix in any role', () => {
    expect(person('smi jo').names).toEqual([
      { typed: 'smi', word: 'smi', role: 'any' },
      { typed: 'jo', word: 'jo', role: 'any' },
    ])
  })

  it('reads "Surname, Given"', () => {
    expect(person('Smith, John').names).toEqual([
      { typed: 'Smith', word: 'smith', role: 'family' },
      { typed: 'John', word: 'john', role: 'given' },
    ])
    expect(person('Smith,').names).toEqual([{ typed: 'Smith', word: 'smith', role: 'family' }])
  })

  it('folds case, diacritics and punctuation inside a word', () => {
    expect(person("O'Brien").names[0]?.word).toBe('obrien')
    expect(person('OBrien').names[0]?.word).toBe('obrien')
    expect(person('o’brien').names[0]?.word).toBe('obrien')
    expect(person('Jones-Smith').names[0]?.word).toBe('jonessmith')
    expect(person('Zoë').names[0]?.word).toBe('zoe')
    expect(person('Łukasz').names[0]?.word).toBe('lukasz')
    expect(person('o brien').names.map((n) => n.word)).toEqual(['o', 'brien'])
  })

  it('combines a name with a date of birth (the PDS habit)', () => {
    expect(person('smith 12/03/1987')).toEqual({
      kind: 'person',
      names: [{ typed: 'smith', word: 'smith', role: 'any' }],
      birthDate: '1987-03-12',
      ignored: [],
    })
    expect(person('12 Mar 1987 jones').birthDate).toBe('1987-03-12')
    expect(person('smith n1 6qj').postcode).toBe('N16QJ')
  })

  it('keeps searching the name when a number is half typed', () => {
    const q = person('smith 12')
    expect(q.names.map((n) => n.word)).toEqual(['smith'])
    expect(q.ignored).toEqual(['12'])
    expect(describeQuery(q)).toEqual([
      'Surname or first name starting “smith”',
      'Ignored “12”: not a full date, phone or NHS number',
    ])
  })
})

describe('ambiguous and empty input', () => {
  it.each(['12', '1', '943 476', '0770'])('%j is not searchable yet', (text) => {
    expect(parse(text).kind).toBe('incomplete')
  })

  it('treats blank input as empty', () => {
    expect(parse('   ')).toEqual({ kind: 'empty' })
    expect(parse("'")).toEqual({ kind: 'empty' })
  })

  it('does not read a name as a month', () => {
    expect(person('12 marsh 87').birthDate).toBeUndefined()
  })
})

describe('name folding used by the index', () => {
  it('splits and compacts names as the tokenizer does', () => {
    expect(nameParts("O'Brien")).toEqual(['o', 'brien'])
    expect(nameParts('Mac Giolla Íosa')).toEqual(['mac', 'giolla', 'iosa'])
    expect(compactName('Jones-Smith')).toBe('jonessmith')
    expect(foldName('Siân Øst Straße')).toBe('sian ost strasse')
    expect(sortKey("O'Brien", 'Mary Jane', '1987-03-12')).toBe('obrien0maryjane019870312')
  })
})
