/**
 * Appointment type colours are settings of this PC: kept in the encrypted store across restarts,
 * checked at the boundary (a colour outside the palette, a clinic system not set up), and a stored
 * value this version cannot read is left out rather than breaking the day book.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Runtime } from '../../../src/main/app/runtime'
import { sembleClinic, type SembleClinic } from '../../support/semble-clinic'

let clinic: SembleClinic
let rt: Runtime

beforeAll(async () => {
  clinic = await sembleClinic('type-colours')
  rt = await clinic.open({ startSync: false })
})

afterAll(async () => {
  await rt?.close()
  await clinic?.close()
})

const settings = async () => {
  const r = await rt.dispatch('settings.get', {})
  if (!r.ok) throw new Error(r.error.message)
  return r.value as { typeColours: Record<string, string> }
}

describe('appointment type colours', () => {
  it('are kept as chosen, across a restart', async () => {
    expect((await settings()).typeColours).toEqual({})
    const r = await rt.dispatch('settings.setTypeColour', {
      connectionId: clinic.connectionId,
      typeRef: clinic.typeRef,
      colour: 'purple',
    })
    const key = `${clinic.connectionId}:${clinic.typeRef}`
    expect(r).toEqual({ ok: true, value: { typeColours: { [key]: 'purple' } } })
    await rt.close()
    rt = await clinic.open({ startSync: false })
    expect((await settings()).typeColours).toEqual({ [key]: 'purple' })
  })

  it('refuse a colour outside the palette and a clinic system not set up, changing nothing', async () => {
    const before = (await settings()).typeColours
    const bad = await rt.dispatch('settings.setTypeColour', {
      connectionId: clinic.connectionId,
      typeRef: clinic.typeRef,
      colour: '#ff0000',
    })
    expect(bad.ok ? null : bad.error).toMatchObject({ code: 'invalid-input', field: 'colour' })
    const gone = await rt.dispatch('settings.setTypeColour', {
      connectionId: 'no-such-clinic',
      typeRef: clinic.typeRef,
      colour: 'teal',
    })
    expect(gone.ok ? null : gone.error).toMatchObject({ code: 'not-found', field: 'connectionId' })
    expect((await settings()).typeColours).toEqual(before)
  })

  it('leave out a stored value this version cannot read', async () => {
    rt.db
      .prepare(`UPDATE settings SET value = ? WHERE key = 'typeColours'`)
      .run(JSON.stringify({ 'a:1': 'purple', 'a:2': 'ultraviolet', 'a:3': 7 }))
    expect((await settings()).typeColours).toEqual({ 'a:1': 'purple' })
    rt.db.prepare(`UPDATE settings SET value = 'not json' WHERE key = 'typeColours'`).run()
    expect((await settings()).typeColours).toEqual({})
  })
})
