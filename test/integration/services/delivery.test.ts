/**
 * Say what is known: a confirmation reports the first sending attempt's outcome, not the
 * connection state Frontdesk last noticed. Through the contract, against the demo clinic's Semble
 * simulator over real HTTP, on a real encrypted SQLite file.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Runtime } from '../../../src/main/app/runtime'
import type { ActionResult, QueueItem } from '../../../src/shared/contract'
import type { Patient, Slot } from '../../../src/shared/model'
import type { Result } from '../../../src/shared/result'
import { TEST_START } from '../../support/clock'
import { openDemoRuntime } from '../../support/demo-runtime'
import { until } from '../../support/until'

const CONNECTION = 'demo-semble'
let rt: Runtime
let cleanup: () => void
let slots: Slot[] = []
let typeRef = ''
let locationRef = ''
const patientIds: string[] = []

const semble = () => rt.sandbox!.semble.control

const book = (patientId: string) => {
  const slot = slots.shift()!
  return rt.dispatch('appointments.book', {
    connectionId: CONNECTION,
    patientId,
    appointmentTypeRef: typeRef,
    practitionerRef: slot.practitionerRef!,
    locationRef,
    start: slot.start,
    end: slot.end,
  }) as Promise<Result<ActionResult>>
}

const queued = async () =>
  ((await rt.dispatch('queue.list', { connectionId: CONNECTION })) as Result<QueueItem[]> & { ok: true })
    .value

beforeAll(async () => {
  ;({ rt, cleanup } = await openDemoRuntime('delivery', {
    demoPatients: 30,
    backgroundRefresh: false,
    sync: { probeEveryMs: 60_000, random: () => 0.01 },
  }))
  // Long enough for the simulator on a busy machine: these tests are about what the answer says.
  rt.appointments.firstAttemptMs = 15_000
  rt.patients.firstAttemptMs = 15_000
  const adapter = rt.adapters.get(CONNECTION)
  const [types, locations, found] = await Promise.all([
    adapter.listAppointmentTypes!(),
    adapter.listLocations!(),
    adapter.findPatients!({ text: '', limit: 6 }),
  ])
  typeRef = types.find((x) => x.lengthMinutes <= 30)!.ref
  locationRef = locations[0]!.ref
  for (const p of found) patientIds.push(rt.cache.upsertPatient(p as Patient))
  const from = new Date(TEST_START.getTime() + 2 * 86_400_000)
  const all = await adapter.findSlots!({
    from: from.toISOString(),
    to: new Date(from.getTime() + 10 * 86_400_000).toISOString(),
    appointmentTypeRef: typeRef,
    locationRef,
  })
  // One a day, so no two of ours overlap.
  const seen = new Set<string>()
  slots = all.filter((s) => !seen.has(s.start.slice(0, 10)) && !!seen.add(s.start.slice(0, 10)))
  expect(slots.length).toBeGreaterThanOrEqual(3)
})

afterAll(async () => {
  await rt?.close()
  cleanup?.()
})

describe('confirmations from the first attempt', () => {
  it('says "sent" when the clinic system has it', async () => {
    const r = await book(patientIds[0]!)
    if (!r.ok) throw new Error(r.error.message)
    expect(r.value.delivery.state).toBe('sent')
    expect(r.value.message).toMatch(/^Booked: .+ — sent to Riverside Clinic\.$/)
    expect(r.value.appointment.sync).toBe('synced')
  })

  it('says "sending…" while the first attempt is still out, and the row tells how it ended', async () => {
    rt.appointments.firstAttemptMs = 50
    semble().inject({ kind: 'latency', ms: 1_500 })
    semble().inject({ kind: 'status', status: 503, count: 1, scope: 'writes' })
    try {
      const r = await book(patientIds[2]!)
      if (!r.ok) throw new Error(r.error.message)
      expect(r.value.delivery.state).toBe('sending')
      expect(r.value.message).toMatch(/^Booked: .+ — sending to Riverside Clinic…$/)
      // The 503 puts it back in the queue, tried once: what the renderer turns into "will be sent…".
      await until('first attempt failed', async () =>
        (await queued()).some(
          (q) => q.seq === r.value.delivery.seq && q.state === 'pending' && q.attempts > 0,
        ),
      )
    } finally {
      semble().clearFaults()
      rt.appointments.firstAttemptMs = 15_000
    }
  })

  it('says it will be sent later when the clinic system went away unnoticed', async () => {
    // Frontdesk last saw Semble answer: its connection state still says online.
    expect(rt.sync.state(CONNECTION).online).toBe(true)
    await semble().setOffline(true)
    try {
      const r = await book(patientIds[1]!)
      if (!r.ok) throw new Error(r.error.message)
      expect(r.value.delivery.state).toBe('waiting')
      expect(r.value.message).toMatch(/^Booked: .+ — will be sent when Riverside Clinic is back online\.$/)
      const registered = await rt.dispatch('patients.create', {
        connectionId: CONNECTION,
        patient: { givenName: 'Unnoticed', familyName: 'Outage', birthDate: '1990-01-01' },
      })
      expect(registered).toMatchObject({
        ok: true,
        value: {
          message: 'Registered: Unnoticed Outage — will be sent when Riverside Clinic is back online.',
          delivery: { state: 'waiting' },
        },
      })
    } finally {
      await semble().setOffline(false)
    }
  })
})
