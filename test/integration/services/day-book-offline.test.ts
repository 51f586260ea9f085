/**
 * The day book keeps saying it shows Frontdesk's copy for as long as the clinic system is away,
 * including when an event makes the page re-read the copy without asking the vendor.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Runtime } from '../../../src/main/app/runtime'
import type { DayColumn } from '../../../src/shared/contract'
import { openDemoRuntime } from '../../support/demo-runtime'

let rt: Runtime
let cleanup: () => void
const TODAY = '2026-03-30'

async function riverside(input: { cacheOnly?: boolean }): Promise<DayColumn> {
  const r = await rt.dispatch('appointments.day', { date: TODAY, connectionIds: ['demo-semble'], ...input })
  if (!r.ok) throw new Error(r.error.message)
  return (r.value as DayColumn[])[0]!
}

beforeAll(async () => {
  ;({ rt, cleanup } = await openDemoRuntime('day-book-offline', {
    demoPatients: 60,
    startSync: false,
    backgroundRefresh: false,
  }))
})

afterAll(async () => {
  await rt?.close()
  cleanup?.()
})

describe('the day book while the clinic system is away', () => {
  it('marks a copy-only re-read as Frontdesk’s copy while offline, and stops once the vendor answers', async () => {
    expect((await riverside({})).fromCache).toBe(false)
    await rt.sandbox!.semble.control.setOffline(true)
    try {
      const asked = await riverside({})
      expect(asked.fromCache).toBe(true)
      const reread = await riverside({ cacheOnly: true })
      expect(reread.fromCache).toBe(true)
      expect(reread.problem).toBe('Riverside Clinic is offline; showing the copy Frontdesk keeps.')
      expect(reread.appointments.length).toBe(asked.appointments.length)
    } finally {
      await rt.sandbox!.semble.control.setOffline(false)
    }
    expect((await riverside({})).fromCache).toBe(false)
    expect((await riverside({ cacheOnly: true })).fromCache).toBe(false)
  })
})
