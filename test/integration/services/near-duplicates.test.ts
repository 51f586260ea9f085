/**
 * Near matches at registration, told by the service so every caller meets them: a name a typing
 * slip or two from a cached patient's with the same date of birth, surname and first name swapped,
 * or the same name with day and month of birth swapped, is a likely duplicate with its reason.
 * Through the contract, on a real encrypted SQLite file and the demo clinic, offline.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Runtime } from '../../../src/main/app/runtime'
import type { LikelyDuplicate } from '../../../src/shared/contract'
import type { Result } from '../../../src/shared/result'
import { openDemoRuntime } from '../../support/demo-runtime'

const SEMBLE = 'demo-semble'
let rt: Runtime
let cleanup: () => void

const duplicates = async (givenName: string, familyName: string, birthDate: string) => {
  const r = (await rt.dispatch('patients.duplicates', {
    connectionId: SEMBLE,
    givenName,
    familyName,
    birthDate,
  })) as Result<LikelyDuplicate[]>
  if (!r.ok) throw new Error(JSON.stringify(r.error))
  return r.value.map((d) => `${d.givenName} ${d.familyName} ${d.birthDate}: ${d.why}`)
}

beforeAll(async () => {
  ;({ rt, cleanup } = await openDemoRuntime('near-duplicates', {
    demoPatients: 20,
    backgroundRefresh: false,
  }))
  await rt.sandbox!.semble.control.setOffline(true)
  for (const [givenName, familyName, birthDate] of [
    ['Priya', 'Kaur', '2014-10-04'],
    ['Mei', 'Chen', '1988-03-07'],
    ['Tomasz', 'Nowak', '1979-02-11'],
  ] as const)
    rt.cache.upsertPatient({ connectionId: SEMBLE, givenName, familyName, birthDate })
})

afterAll(async () => {
  await rt?.close()
  cleanup?.()
})

describe('likely duplicates beyond an exact match', () => {
  it('a surname a slip away ("Kuar" for "Kaur") with the same date of birth', async () => {
    expect(await duplicates('Priya', 'Kuar', '2014-10-04')).toEqual([
      'Priya Kaur 2014-10-04: similar name, same date of birth',
    ])
  })

  it('a first name two slips away ("May" for "Mei") with the same date of birth', async () => {
    expect(await duplicates('May', 'Chen', '1988-03-07')).toEqual([
      'Mei Chen 1988-03-07: similar name, same date of birth',
    ])
  })

  it('the same name with day and month of birth swapped', async () => {
    expect(await duplicates('Priya', 'Kaur', '2014-04-10')).toEqual([
      'Priya Kaur 2014-10-04: same name, day and month of birth swapped',
    ])
  })

  it('surname and first name typed the wrong way round', async () => {
    expect(await duplicates('Nowak', 'Tomasz', '1979-02-11')).toEqual([
      'Tomasz Nowak 1979-02-11: surname and first name swapped, same date of birth',
    ])
  })

  it('not another name, more slips apart, or a slip with another date of birth', async () => {
    expect(await duplicates('Anita', 'Kaur', '2014-10-04')).toEqual([])
    expect(await duplicates('Priya', 'Kumar', '2014-10-04')).toEqual([])
    expect(await duplicates('May', 'Chan', '1988-03-07')).toEqual([])
    expect(await duplicates('Priya', 'Kuar', '2014-04-10')).toEqual([])
    expect(await duplicates('Priya', 'Kaur', '2014-10-05')).toEqual([])
  })

  it('patients.create refuses a near duplicate without confirmDuplicate, saying why', async () => {
    const r = await rt.dispatch('patients.create', {
      connectionId: SEMBLE,
      patient: { givenName: 'Priya', familyName: 'Kuar', birthDate: '2014-10-04' },
    })
    expect(r).toMatchObject({ ok: false, error: { code: 'needs-confirmation', field: 'confirmDuplicate' } })
    if (!r.ok)
      expect(r.error.message).toContain('Priya Kaur, born 2014-10-04 (similar name, same date of birth)')
  })
})
