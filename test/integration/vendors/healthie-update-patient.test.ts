/**
 * Patient edits through the Healthie adapter, over real HTTP against the Healthie simulator:
 * updateClient with only the given fields, the answer mapped as getPatient maps it, a resend that
 * changes nothing, and Healthie's refusals as VendorErrors.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock, seedClinic, type SimulatorHandle } from '../../../src/sandbox'
import { startHealthieSimulator, type HealthieState } from '../../../src/sandbox/healthie'
import type { HttpClient } from '../../../src/main/vendors/http/client'
import type { HealthieAdapter } from '../../../src/main/vendors/healthie/adapter'
import { createAdapter } from '../../../src/main/vendors/registry'
import { editApplied } from '../../../src/main/sync/executor'
import type { PatientChanges } from '../../../src/shared/model'
import { clientOn, connectionFor, expectKind, recordingLogger } from './support'

const ZONE = 'Europe/London'
const clock = new ManualClock(new Date('2026-03-27T08:00:00.000Z'))

let sim: SimulatorHandle<HealthieState>
let http: HttpClient
let adapter: HealthieAdapter
const logged = recordingLogger()
let seq = 0
const newRef = () => `00000000-0000-4000-8000-${String(++seq).padStart(12, '0')}`

function make(options: Record<string, string> = {}): HealthieAdapter {
  return createAdapter(connectionFor('healthie', sim.url, options), {
    http,
    readCredentials: async () => ({ apiKey: sim.credentials.apiKey! }),
    log: logged.log,
    now: () => clock.now(),
  }) as HealthieAdapter
}

beforeAll(async () => {
  sim = await startHealthieSimulator(seedClinic({ patients: 30, today: clock.now(), timeZone: ZONE }), {
    clock,
  })
  http = clientOn(clock, {}, logged.log)
  adapter = make()
})

afterAll(async () => {
  await sim.close()
  await http.close()
  expect(logged.text()).not.toContain(sim.credentials.apiKey)
})

const patientId = (i: number) => sim.control.state.seedIds.patients[i]!
const stored = (id: string) => sim.control.state.users.get(id)!
const updates = () => sim.control.writes().filter((w) => w.operation === 'updateClient')
const lastInput = () => (updates().at(-1)!.input as { input: Record<string, unknown> }).input
const update = (ref: string, changes: PatientChanges, a: HealthieAdapter = adapter) =>
  a.updatePatient({ clientRef: newRef(), ref, changes })

describe('Healthie adapter: updatePatient', () => {
  it('is offered, read off the adapter', () => {
    expect(adapter.capabilities.operations).toContain('updatePatient')
  })

  it('sets the phone with phone_number only, and answers the patient as getPatient maps it', async () => {
    const ref = patientId(1)
    const before = await adapter.getPatient(ref)
    clock.advance(60_000)
    const after = await update(ref, { phone: '+447700900501' })
    expect(lastInput()).toEqual({ id: ref, phone_number: '+447700900501' })
    expect(after).toEqual({
      ...before,
      phone: '+447700900501',
      updatedAt: clock.now().toISOString(),
    })
    expect(await adapter.getPatient(ref)).toEqual(after)
  })

  it('sets the email with email only', async () => {
    const ref = patientId(2)
    const after = await update(ref, { email: 'ada.changed@example.org' })
    expect(lastInput()).toEqual({ id: ref, email: 'ada.changed@example.org' })
    expect(after.email).toBe('ada.changed@example.org')
    expect(stored(ref).email).toBe('ada.changed@example.org')
  })

  it('sets the NHS number in record_identifier', async () => {
    const ref = patientId(3)
    const after = await update(ref, { nhsNumber: '9434765870' })
    expect(lastInput()).toEqual({ id: ref, record_identifier: '9434765870' })
    expect(after.nhsNumber).toBe('9434765870')
    expect(stored(ref).record_identifier).toBe('9434765870')
  })

  it('sets the address on the location the patient already has, by its id', async () => {
    const ref = patientId(4)
    const locationId = stored(ref).location!.id
    const after = await update(ref, {
      address: { line: ' 12 Canal Street ', city: 'Leeds', postcode: 'ls1 4ap' },
    })
    expect(lastInput()).toEqual({
      id: ref,
      location: { id: locationId, line1: '12 Canal Street', line2: '', city: 'Leeds', zip: 'LS1 4AP' },
    })
    expect(after.postcode).toBe('LS1 4AP')
    expect(stored(ref).location).toMatchObject({
      id: locationId,
      line1: '12 Canal Street',
      line2: null,
      city: 'Leeds',
      zip: 'LS1 4AP',
    })
  })

  it('gives a patient with no address one (no location id to send)', async () => {
    const created = await adapter.createPatient({
      clientRef: newRef(),
      givenName: 'Nia',
      familyName: 'Addressless',
      birthDate: '1990-05-06',
    })
    expect(stored(created.ref!).location).toBeNull()
    const after = await update(created.ref!, { address: { line: '3 High Street', postcode: 'N1 1AA' } })
    expect(lastInput().location).toEqual({ line1: '3 High Street', line2: '', city: '', zip: 'N1 1AA' })
    expect(after.postcode).toBe('N1 1AA')
  })

  it('sets all four at once; getPatient then shows them, and the executor’s check agrees but for the address', async () => {
    const ref = patientId(5)
    const changes: PatientChanges = {
      phone: '+447700900505',
      email: 'four.at.once@example.org',
      nhsNumber: '9434765919',
      address: { line: '5 Station Road', city: 'York', postcode: 'YO1 7HH' },
    }
    const answered = await update(ref, changes)
    expect(Object.keys(lastInput()).sort()).toEqual([
      'email',
      'id',
      'location',
      'phone_number',
      'record_identifier',
    ])
    const read = await adapter.getPatient(ref)
    expect(read).toEqual(answered)
    expect(read).toMatchObject({
      phone: '+447700900505',
      email: 'four.at.once@example.org',
      nhsNumber: '9434765919',
      postcode: 'YO1 7HH',
    })
    expect(
      editApplied({ phone: changes.phone!, email: changes.email!, nhsNumber: changes.nhsNumber! }, read),
    ).toBe(true)
    // An address is never counted as found: no read shows its line, so it is sent again.
    expect(editApplied(changes, read)).toBe(false)
  })

  it('sent twice (a resend after a lost answer), leaves the same record: one user, same values, same address', async () => {
    const ref = patientId(6)
    const changes: PatientChanges = {
      phone: '+447700900506',
      email: 'twice@example.org',
      nhsNumber: '9434765870',
      address: { line: '6 Church Lane', city: 'Bath', postcode: 'BA1 1AA' },
    }
    const users = sim.control.state.users.size
    const first = await update(ref, changes)
    const record = structuredClone(stored(ref))
    clock.advance(60_000)
    const second = await update(ref, changes)
    expect(second).toEqual(first)
    expect(stored(ref)).toEqual(record)
    expect(sim.control.state.users.size).toBe(users)
    expect([...sim.control.state.users.values()].filter((u) => u.email === 'twice@example.org')).toHaveLength(
      1,
    )
    expect(
      updates()
        .slice(-2)
        .map((w) => w.outcome),
    ).toEqual(['applied', 'applied'])
  })

  it('an unknown patient is not-found, whether or not the edit has an address', async () => {
    const before = updates().length
    const e = await expectKind(update('999999', { phone: '+447700900507' }), 'not-found')
    expect(e.fields).toEqual([{ field: 'id', message: 'User not found' }])
    expect(
      updates()
        .slice(before)
        .map((w) => w.outcome),
    ).toEqual(['rejected'])
    await expectKind(update('999999', { address: { line: '1 Nowhere', postcode: 'N1 1AA' } }), 'not-found')
    expect(updates()).toHaveLength(before + 1)
  })

  it('an email Healthie refuses is invalid, with its field, and changes nothing', async () => {
    const ref = patientId(7)
    const record = structuredClone(stored(ref))
    const taken = stored(patientId(8)).email!
    const e = await expectKind(update(ref, { email: taken, phone: '+447700900508' }), 'invalid')
    expect(e.fields).toEqual([{ field: 'email', message: 'has already been taken' }])
    expect(stored(ref)).toEqual(record)
    const bad = await expectKind(update(ref, { email: 'not-an-email' }), 'invalid')
    expect(bad.fields).toEqual([{ field: 'email', message: 'is invalid' }])
  })

  it('refuses before sending what could never be right (no phone number, a bad NHS number)', async () => {
    const before = updates().length
    await expectKind(update(patientId(9), { phone: 'not a phone' }), 'invalid')
    await expectKind(update(patientId(9), { nhsNumber: '1234567890' }), 'invalid')
    expect(updates()).toHaveLength(before)
  })

  it('with nhsNumberField "none" the NHS number is not among the details it changes, and is refused unsent', async () => {
    expect(adapter.capabilities.patientFields).toEqual(['phone', 'email', 'nhsNumber', 'address'])
    const none = make({ nhsNumberField: 'none' })
    expect(none.capabilities.patientFields).toEqual(['phone', 'email', 'address'])
    expect(none.capabilities.notes.updatePatient).toMatch(/NHS numbers are not sent/)
    const ref = patientId(10)
    const held = stored(ref).record_identifier
    const count = updates().length
    const e = await expectKind(
      update(ref, { nhsNumber: '9434765870', phone: '+447700900510' }, none),
      'invalid',
    )
    expect(e.fields?.map((f) => f.field)).toEqual(['nhsNumber'])
    expect(updates()).toHaveLength(count)
    expect(stored(ref).record_identifier).toBe(held)
    const after = await update(ref, { phone: '+447700900510' }, none)
    expect(lastInput()).toEqual({ id: ref, phone_number: '+447700900510' })
    expect(after.phone).toBe('+447700900510')
  })
})
