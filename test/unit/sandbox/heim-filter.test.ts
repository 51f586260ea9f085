import { describe, expect, it } from 'vitest'
import { compileFilters, FilterError, parseFilter } from '../../../src/sandbox/heim/filter'

interface Row {
  id: string
  name: string
  createdAt: string
  score: number
  ref: string | null
}

const fields = {
  id: { kind: 'string' as const, get: (r: Row) => r.id },
  'patient.name': { kind: 'string' as const, get: (r: Row) => r.name },
  externalRef: { kind: 'string' as const, get: (r: Row) => r.ref },
  createdAt: { kind: 'instant' as const, get: (r: Row) => r.createdAt },
  score: { kind: 'number' as const, get: (r: Row) => r.score },
}

const rows: Row[] = [
  {
    id: 'p_1',
    name: 'John Smith',
    createdAt: '2024-08-28T23:59:59.000Z',
    score: 3,
    ref: 'test_external_ref',
  },
  { id: 'p_2', name: "Siân O'Brien", createdAt: '2024-08-29T00:00:00.000Z', score: 7, ref: null },
  { id: 'p_3', name: 'Johnny Nuñez', createdAt: '2024-08-30T12:00:00.000Z', score: 10, ref: 'other' },
]
const run = (...filters: string[]) => rows.filter(compileFilters(filters, fields)).map((r) => r.id)

describe('Heim filter syntax', () => {
  it('parses every operator, quoted values with escapes, and bare numbers', () => {
    expect(parseFilter('externalRef:"test_external_ref"')).toEqual({
      field: 'externalRef',
      op: ':',
      value: 'test_external_ref',
    })
    expect(parseFilter('updatedAt>"2024-08-29"')).toEqual({
      field: 'updatedAt',
      op: '>',
      value: '2024-08-29',
    })
    expect(parseFilter('createdAt>="2024-02-01"').op).toBe('>=')
    expect(parseFilter('createdAt<="2024-02-01"').op).toBe('<=')
    expect(parseFilter('score<5')).toEqual({ field: 'score', op: '<', value: 5 })
    expect(parseFilter('patient.name~"John"')).toEqual({ field: 'patient.name', op: '~', value: 'John' })
    expect(parseFilter('patient.name:"Say \\"hi\\""').value).toBe('Say "hi"')
  })

  it('answers malformed filters with a specific message', () => {
    expect(() => parseFilter('')).toThrow(/expected <field><operator><value>/)
    expect(() => parseFilter('status')).toThrow(/expected one of/)
    expect(() => parseFilter('status:')).toThrow(/missing value/)
    expect(() => parseFilter('status:open')).toThrow(/must be quoted/)
    expect(() => parseFilter('status:"open')).toThrow(/unterminated/)
    expect(() => parseFilter('status:"open"x')).toThrow(/unterminated or trailing/)
    expect(() => parseFilter('score~5')).toThrow(/~ \(contains\) takes a quoted string/)
    expect(() => compileFilters(['nope:"x"'], fields)).toThrow(/Unknown filter field "nope"/)
    expect(() => compileFilters(['createdAt~"2024"'], fields)).toThrow(FilterError)
    expect(() => compileFilters(['createdAt>"yesterday"'], fields)).toThrow(/quoted date/)
    expect(() => compileFilters(['score:"7"'], fields)).toThrow(/bare number/)
  })

  it('matches strings exactly with : and case-insensitively with ~', () => {
    expect(run('externalRef:"test_external_ref"')).toEqual(['p_1'])
    expect(run('patient.name~"john"')).toEqual(['p_1', 'p_3'])
    expect(run('patient.name~"o\'brien"')).toEqual(['p_2'])
    expect(run('patient.name:"john smith"')).toEqual([])
  })

  it('treats a plain date as the whole UTC day', () => {
    expect(run('createdAt:"2024-08-29"')).toEqual(['p_2'])
    expect(run('createdAt>"2024-08-29"')).toEqual(['p_3'])
    expect(run('createdAt>="2024-08-29"')).toEqual(['p_2', 'p_3'])
    expect(run('createdAt<"2024-08-29"')).toEqual(['p_1'])
    expect(run('createdAt<="2024-08-29"')).toEqual(['p_1', 'p_2'])
    expect(run('createdAt>"2024-08-29T00:00:00Z"')).toEqual(['p_3'])
  })

  it('ANDs repeated filters and compares numbers as numbers', () => {
    expect(run('score>=7', 'patient.name~"n"')).toEqual(['p_2', 'p_3'])
    expect(run('score>5', 'score<10')).toEqual(['p_2'])
    expect(run()).toEqual(['p_1', 'p_2', 'p_3'])
  })
})
