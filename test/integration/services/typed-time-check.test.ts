/**
 * "Check this time" for a typed time (offline booking): appointments.checkTime finds the
 * practitioner's booking already in Frontdesk's copy, so the clash is told before the
 * confirmation, not first on Book. Through the contract, on a real encrypted SQLite file and the
 * demo clinic, offline.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Runtime } from '../../../src/main/app/runtime'
import type { ActionResult } from '../../../src/shared/contract'
import type { Result } from '../../../src/shared/result'
import { openDemoRuntime } from '../../support/demo-runtime'

const SEMBLE = 'demo-semble'
let rt: Runtime
let cleanup: () => void

beforeAll(async () => {
  ;({ rt, cleanup } = await openDemoRuntime('typed-time-check', {
    demoPatients: 20,
    backgroundRefresh: false,
  }))
  await rt.sandbox!.semble.control.setOffline(true)
})

afterAll(async () => {
  await rt?.close()
  cleanup?.()
})

describe('Check this time: a typed time against the local copy', () => {
  const check = (practitionerRef: string, start: string, end: string) =>
    rt.dispatch('appointments.checkTime', { connectionId: SEMBLE, practitionerRef, start, end }) as Promise<
      Result<{ clash: string | null }>
    >

  it('finds the practitioner booking already in the copy, before Book does', async () => {
    const patientId = rt.cache.upsertPatient({
      connectionId: SEMBLE,
      givenName: 'Mary',
      familyName: 'Seacole',
      birthDate: '1970-11-23',
    })
    const booked = (await rt.dispatch('appointments.book', {
      connectionId: SEMBLE,
      patientId,
      appointmentTypeRef: 'ct-type',
      practitionerRef: 'ct-a',
      start: '2027-06-10T09:00:00Z',
      end: '2027-06-10T09:30:00Z',
    })) as Result<ActionResult>
    expect(booked.ok, JSON.stringify(booked)).toBe(true)

    expect(await check('ct-a', '2027-06-10T09:15:00Z', '2027-06-10T09:45:00Z')).toEqual({
      ok: true,
      value: {
        clash: 'That practitioner already has an appointment then (10:00–10:30). Choose another time.',
      },
    })
    // Back to back, or another practitioner, is free.
    expect(await check('ct-a', '2027-06-10T09:30:00Z', '2027-06-10T10:00:00Z')).toEqual({
      ok: true,
      value: { clash: null },
    })
    expect(await check('ct-b', '2027-06-10T09:15:00Z', '2027-06-10T09:45:00Z')).toEqual({
      ok: true,
      value: { clash: null },
    })
    // An end before the start is refused as Book refuses it.
    expect(await check('ct-a', '2027-06-10T10:00:00Z', '2027-06-10T09:00:00Z')).toMatchObject({
      ok: false,
      error: { code: 'invalid-input', field: 'end' },
    })
  })
})
