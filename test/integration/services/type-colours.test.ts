/**
 * Appointment type colours and linked clinicians are settings of this PC: kept in the encrypted store across restarts,
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

describe('linked clinicians', () => {
  const other = 'next-door'
  const links = async () =>
    ((await settings()) as unknown as { practitionerLinks: unknown[] }).practitionerLinks

  it('are kept when each practitioner is in its clinic system, and refused otherwise, changing nothing', async () => {
    rt.connections.upsert({
      id: other,
      vendor: 'healthie',
      label: 'Next Door Practice',
      baseUrl: 'https://staging-api.gethealthie.com/graphql',
      timeZone: 'Europe/London',
      locale: 'en-GB',
      options: {},
      demo: false,
    })
    rt.cache.replaceReference(other, [{ connectionId: other, ref: 'nd-1', name: 'Dr Ada Next' }], null, null)
    // As the background refresh would have read them (this runtime does not sync).
    rt.cache.replaceReference(
      clinic.connectionId,
      [{ connectionId: clinic.connectionId, ref: 'rv-1', name: 'Dr Ada Next' }],
      null,
      null,
    )
    const ours = 'rv-1'
    const link = {
      members: [
        { connectionId: clinic.connectionId, practitionerRef: ours },
        { connectionId: other, practitionerRef: 'nd-1' },
      ],
    }
    expect(await links()).toEqual([])
    const saved = await rt.dispatch('settings.setPractitionerLinks', { links: [link] })
    expect(saved).toEqual({ ok: true, value: { practitionerLinks: [link] } })

    const refused = [
      // Someone Frontdesk has not read from that clinic system.
      { members: [link.members[0], { connectionId: other, practitionerRef: 'nd-999' }] },
      // Two people of one clinic system are not one person.
      { members: [link.members[0], { connectionId: clinic.connectionId, practitionerRef: 'x' }] },
      // A clinic system not set up.
      { members: [link.members[0], { connectionId: 'gone', practitionerRef: 'nd-1' }] },
    ]
    for (const bad of refused) {
      const r = await rt.dispatch('settings.setPractitionerLinks', { links: [bad] })
      expect(r.ok, JSON.stringify(bad)).toBe(false)
    }
    // One person in two links.
    const twice = await rt.dispatch('settings.setPractitionerLinks', { links: [link, link] })
    expect(twice.ok ? null : twice.error).toMatchObject({ code: 'invalid-input', field: 'links' })
    expect(await links()).toEqual([link])

    // Across a restart, and a stored link this version cannot read is left out.
    rt.db
      .prepare(`UPDATE settings SET value = ? WHERE key = 'practitionerLinks'`)
      .run(JSON.stringify([link, { members: 'garbled' }]))
    await rt.close()
    rt = await clinic.open({ startSync: false })
    expect(await links()).toEqual([link])
  })
})
