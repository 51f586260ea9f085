/**
 * Who is at the desk, checked in the main process (not the lock screen): a clinic-profile
 * Frontdesk on a real encrypted file and the real keychain, talking to its Semble simulator over
 * HTTP. People listed with a PIN; locked, the router refuses changes and lookups; a change is
 * recorded under whoever unlocked; idle minutes lock it, read from the injected clock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Runtime } from '../../../src/main/app/runtime'
import type { DeskState, EventPayload } from '../../../src/shared/contract'
import type { Result } from '../../../src/shared/result'
import { bookingOf, sembleClinic, type SembleClinic } from '../../support/semble-clinic'

let clinic: SembleClinic
let rt: Runtime
const deskEvents: EventPayload<'deskChanged'>[] = []

beforeAll(async () => {
  clinic = await sembleClinic('desk-lock')
  rt = await clinic.open({ startSync: false })
  rt.bus.onAny((name, payload) => {
    if (name === 'deskChanged') deskEvents.push(payload as EventPayload<'deskChanged'>)
  })
})

afterAll(async () => {
  await rt?.close()
  await clinic?.close()
})

const call = (name: string, input: unknown = {}) => rt.dispatch(name, input)
async function ok<T>(name: string, input: unknown = {}): Promise<T> {
  const r = await call(name, input)
  if (!r.ok) throw new Error(`${name}: ${r.error.code} ${r.error.message}`)
  return r.value as T
}
const actors = () => rt.db.prepare(`SELECT actor FROM outbox ORDER BY seq`).pluck().all() as string[]
const auditActors = () =>
  rt.db.prepare(`SELECT actor FROM audit_log WHERE action = 'book' ORDER BY id`).pluck().all() as string[]
const staffId = (s: DeskState, name: string) => s.staff.find((p) => p.name === name)!.id
const minutes = (n: number) => clinic.clock.advance(n * 60_000)

describe('with nobody listed', () => {
  it('never locks, and changes are recorded under the name typed in settings', async () => {
    await ok('settings.setStaffName', { staffName: 'Front desk 1' })
    minutes(120)
    const s = await ok<DeskState>('desk.state')
    expect(s).toMatchObject({ staff: [], locked: false, current: null })
    await ok('appointments.book', bookingOf(clinic, clinic.slots[0]!, clinic.patientIds[0]!))
    expect(actors()).toEqual(['Front desk 1'])
  })
})

describe('people at the desk with a PIN', () => {
  let ana: string
  let ben: string

  it('the first person added is at the desk at once; a PIN is kept only as a salted hash', async () => {
    const first = await ok<DeskState>('staff.add', { name: 'Ana Costa', pin: '4821' })
    expect(first).toMatchObject({ locked: false, current: { name: 'Ana Costa' } })
    const both = await ok<DeskState>('staff.add', { name: 'Ben Okafor', pin: '907163' })
    ana = staffId(both, 'Ana Costa')
    ben = staffId(both, 'Ben Okafor')
    // Adding someone else does not hand them the desk.
    expect(both.current?.name).toBe('Ana Costa')
    const rows = rt.db.prepare(`SELECT pin_salt, pin_hash FROM staff`).all() as {
      pin_salt: Buffer
      pin_hash: Buffer
    }[]
    expect(rows).toHaveLength(2)
    for (const r of rows) {
      expect(r.pin_hash.length).toBe(32)
      expect(r.pin_hash.toString('latin1')).not.toMatch(/4821|907163/)
    }
    expect(rows[0]!.pin_salt.equals(rows[1]!.pin_salt)).toBe(false)
    // A PIN that is not 4 to 8 digits, or a name already listed, is refused with why.
    const short = await call('staff.add', { name: 'Cara', pin: '12' })
    expect(short.ok ? null : short.error).toMatchObject({ code: 'invalid-input', field: 'pin' })
    const twice = await call('staff.add', { name: 'ana costa', pin: '1111' })
    expect(twice.ok ? null : twice.error).toMatchObject({ code: 'conflict', field: 'name' })
  })

  it('a change is recorded under whoever is at the desk, in the outbox and the audit log', async () => {
    await ok('appointments.book', bookingOf(clinic, clinic.slots[1]!, clinic.patientIds[1]!))
    expect(actors().at(-1)).toBe('Ana Costa')
    expect(auditActors().at(-1)).toBe('Ana Costa')
    // The typed name no longer applies: the staff list does.
    const typed = await call('settings.setStaffName', { staffName: 'Someone' })
    expect(typed.ok ? null : typed.error).toMatchObject({ code: 'conflict', field: 'staffName' })
  })

  it('locked, the service refuses every change and search and records nothing; the screens beneath still load', async () => {
    const events = deskEvents.length
    const s = await ok<DeskState>('desk.lock')
    expect(s).toMatchObject({ locked: true, current: null })
    expect(deskEvents.slice(events)).toEqual([{ locked: true, current: null }])
    const before = actors().length
    // Checked before the input is: a locked desk says so whatever the request holds.
    const refused: [string, unknown][] = [
      ['appointments.book', bookingOf(clinic, clinic.slots[2]!, clinic.patientIds[2]!)],
      ['appointments.cancel', {}],
      ['patients.search', { text: 'a' }],
      ['patients.create', {}],
      ['patients.update', {}],
      ['slots.find', {}],
      ['queue.discard', { seq: 1 }],
      ['credentials.set', {}],
      ['connections.save', {}],
      ['support.preview', {}],
      ['staff.add', { name: 'Intruder', pin: '0000' }],
      ['staff.remove', { staffId: ana }],
      ['desk.setIdleLock', { minutes: 60 }],
      ['settings.setStaffName', { staffName: 'Intruder' }],
    ]
    for (const [name, input] of refused) {
      const r = await call(name, input)
      expect(r.ok ? `${name} answered` : r.error, name).toMatchObject({
        code: 'locked',
        message: 'Frontdesk is locked: unlock it with your PIN first.',
      })
    }
    expect(actors()).toHaveLength(before)
    expect((await ok<DeskState>('desk.state')).staff).toHaveLength(2)
    const screens: [string, unknown][] = [
      ['appointments.day', { date: '2026-03-30', cacheOnly: true }],
      ['patients.get', { patientId: clinic.patientIds[0]! }],
      ['queue.list', {}],
      ['audit.list', {}],
      ['connections.status', {}],
    ]
    for (const [name, input] of screens) {
      const r: Result<unknown> = await call(name, input)
      expect(r.ok, `${name}: ${r.ok ? '' : r.error.message}`).toBe(true)
    }
  })

  it('a wrong PIN is refused; five in a row hold that person back for 30 s, not the others', async () => {
    const wrong = await call('desk.unlock', { staffId: ben, pin: '4821' })
    expect(wrong.ok ? null : wrong.error).toMatchObject({
      code: 'invalid-input',
      field: 'pin',
      message: 'Wrong PIN.',
    })
    for (let i = 0; i < 4; i++) await call('desk.unlock', { staffId: ben, pin: '000000' })
    const held = await call('desk.unlock', { staffId: ben, pin: '907163' })
    expect(held.ok ? null : held.error).toMatchObject({
      code: 'conflict',
      message: 'Too many wrong PINs: try again in 30 s.',
    })
    expect((await ok<DeskState>('desk.state')).locked).toBe(true)
    // Someone else still gets in meanwhile.
    expect((await ok<DeskState>('desk.unlock', { staffId: ana, pin: '4821' })).current?.name).toBe(
      'Ana Costa',
    )
    await ok('desk.lock')
    clinic.clock.advance(31_000)
    const s = await ok<DeskState>('desk.unlock', { staffId: ben, pin: '907163' })
    expect(s).toMatchObject({ locked: false, current: { name: 'Ben Okafor' } })
    await ok('appointments.book', bookingOf(clinic, clinic.slots[3]!, clinic.patientIds[3]!))
    expect(actors().at(-1)).toBe('Ben Okafor')
    expect(auditActors().at(-1)).toBe('Ben Okafor')
  })

  it('locks after the idle minutes, at the next call and by its own check; input keeps it open', async () => {
    await ok('desk.setIdleLock', { minutes: 3 })
    minutes(2)
    const before = clinic.clock.now().getTime()
    const { lockAt } = await ok<{ lockAt: string }>('desk.activity')
    // The test clock runs on from its pinned start, so the answer lies between the two readings.
    expect(Date.parse(lockAt)).toBeGreaterThanOrEqual(before + 3 * 60_000)
    expect(Date.parse(lockAt)).toBeLessThanOrEqual(clinic.clock.now().getTime() + 3 * 60_000)
    minutes(2)
    // Calls are not input (screens also call by themselves): only a key or a click keeps it open.
    expect((await call('patients.search', { text: 'a' })).ok).toBe(true)
    await ok('queue.list')
    minutes(1.5)
    const r = await call('patients.search', { text: 'a' })
    expect(r.ok ? null : r.error.code).toBe('locked')
    expect((await ok<DeskState>('desk.state')).current).toBeNull()

    await ok('desk.unlock', { staffId: ana, pin: '4821' })
    const events = deskEvents.length
    minutes(3)
    rt.desk.checkIdle()
    expect(deskEvents.slice(events)).toEqual([{ locked: true, current: null }])
  })

  it('nobody removes themselves while others are listed; removing the last person turns the lock off', async () => {
    await ok('desk.unlock', { staffId: ana, pin: '4821' })
    const self = await call('staff.remove', { staffId: ana })
    expect(self.ok ? null : self.error).toMatchObject({ code: 'conflict', field: 'staffId' })
    expect((await ok<DeskState>('staff.remove', { staffId: ben })).staff.map((p) => p.name)).toEqual([
      'Ana Costa',
    ])
    const none = await ok<DeskState>('staff.remove', { staffId: ana })
    expect(none).toMatchObject({ staff: [], locked: false, current: null })
    minutes(60)
    expect((await call('patients.search', { text: 'a' })).ok).toBe(true)
  })
})
