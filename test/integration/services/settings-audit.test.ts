/**
 * Settings, credentials, the staff list and the desk lock in the audit log: each change under the
 * person who made it, with what changed in words, and never a credential's value or a PIN. A
 * clinic-profile Frontdesk on a real encrypted file and the real keychain, with its Semble
 * simulator over HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Runtime } from '../../../src/main/app/runtime'
import type { AuditEntry, DeskState } from '../../../src/shared/contract'
import { sembleClinic, type SembleClinic } from '../../support/semble-clinic'
import { dispatchOk } from '../../support/dispatch'

let clinic: SembleClinic
let rt: Runtime

beforeAll(async () => {
  clinic = await sembleClinic('settings-audit')
  rt = await clinic.open({ startSync: false })
})

afterAll(async () => {
  await rt?.close()
  await clinic?.close()
})

const ok = <T>(name: string, input: unknown = {}) => dispatchOk<T>(rt, name, input)
const settingsEntries = async () =>
  (await ok<AuditEntry[]>('audit.list', { limit: 1000 }))
    .filter((e) => e.entity === 'settings')
    .reverse()
    .map((e) => ({ actor: e.actor, action: e.action, outcome: e.outcome, detail: e.detail }))

describe('a change to the settings or the desk', () => {
  it('is in the audit log under the person who made it, and no credential or PIN is', async () => {
    const token = 'Zq7Lm2Pw9Xc4Rv8Tn3HsKd6J'
    const anaPin = '4821'
    const benPin = '907163'
    const ana = await ok<DeskState>('staff.add', { name: 'Ana Costa', pin: anaPin })
    const anaId = ana.current!.id
    const both = await ok<DeskState>('staff.add', { name: 'Ben Okafor', pin: benPin })
    const benId = both.staff.find((s) => s.name === 'Ben Okafor')!.id
    await ok('credentials.set', { connectionId: clinic.connectionId, fields: { apiToken: token } })
    await ok('desk.setIdleLock', { minutes: 7 })
    await ok('desk.lock')
    expect((await rt.dispatch('desk.unlock', { staffId: benId, pin: '0000' })).ok).toBe(false)
    await ok('desk.unlock', { staffId: benId, pin: benPin })
    await ok('settings.setTypeColour', {
      connectionId: clinic.connectionId,
      typeRef: 'gp',
      colour: 'teal',
    })
    await ok('staff.remove', { staffId: anaId })

    expect(await settingsEntries()).toEqual([
      { actor: 'Ana Costa', action: 'addStaff', outcome: 'done', detail: 'Ana Costa' },
      { actor: 'Ana Costa', action: 'addStaff', outcome: 'done', detail: 'Ben Okafor' },
      { actor: 'Ana Costa', action: 'setCredentials', outcome: 'done', detail: 'saved: apiToken' },
      { actor: 'Ana Costa', action: 'setIdleLock', outcome: 'done', detail: '7 min' },
      { actor: 'Ana Costa', action: 'lock', outcome: 'done', detail: null },
      { actor: 'Ben Okafor', action: 'unlock', outcome: 'refused', detail: null },
      { actor: 'Ben Okafor', action: 'unlock', outcome: 'done', detail: null },
      { actor: 'Ben Okafor', action: 'setTypeColour', outcome: 'done', detail: 'gp: teal' },
      { actor: 'Ben Okafor', action: 'removeStaff', outcome: 'done', detail: 'Ana Costa' },
    ])
    const stored = JSON.stringify(rt.db.prepare(`SELECT * FROM audit_log`).all())
    for (const secret of [token, anaPin, benPin]) expect(stored.includes(secret), secret).toBe(false)
  })
})
