/**
 * The free-slot fill for Healthie, Hero and Heim (Semble's: slot-cache.test.ts) against each
 * vendor's simulator over real HTTP and a real encrypted file: the background fill covers the next
 * 14 days within its budget per fill, counts every request the vendor saw, asks nothing when all of
 * it is fresh, and the finder answers from the copy; offline, the copy answers, marked as such,
 * without a time booked locally since.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Runtime } from '../../../src/main/app/runtime'
import type { ActionResult, ReferenceData, SlotView } from '../../../src/shared/contract'
import { until } from '../../support/until'
import { bookingAt, vendorClinic, type VendorClinic } from '../../support/vendor-clinic'
import { dispatchOk } from '../../support/dispatch'

/** Requests one fill may make (`FillOptions.budget`'s default). */
const BUDGET = 40

describe.each(['healthie', 'hero', 'heim'] as const)('%s: free slots in the copy', (vendor) => {
  let clinic: VendorClinic
  let rt: Runtime

  beforeAll(async () => {
    clinic = await vendorClinic(vendor, 'slot-fill')
    rt = await clinic.open()
  })

  afterAll(async () => {
    await rt?.close()
    await clinic?.close()
  })

  const ok = <T>(method: string, input: unknown) => dispatchOk<T>(rt, method, input)

  const find = (requestId: string, daysAhead: number) =>
    ok<SlotView[]>('slots.find', {
      connectionId: clinic.connectionId,
      appointmentTypeRef: clinic.typeRef,
      from: new Date(clinic.clock.now().getTime() + daysAhead * 86_400_000).toISOString(),
      days: 2,
      limit: 200,
      requestId,
      ...(vendor === 'heim' ? { patientId: clinic.patientIds[0] } : {}),
    })
  const key = (s: SlotView) => `${s.start}|${s.practitionerRef ?? ''}`

  it('fills 14 days within its budget, counting every request, and asks nothing more while fresh', async () => {
    const ref = await ok<ReferenceData>('reference.get', { connectionId: clinic.connectionId })
    const fills: number[] = []
    const before = clinic.sim.control.requestCount()
    for (;;) {
      const r = (await rt.refresh.refreshNow(clinic.connectionId)).connections[0]!
      expect(r.errors).toEqual([])
      if (r.slotRequests === 0) break
      fills.push(r.slotRequests)
      expect(fills.length, 'fills before the copy is full').toBeLessThan(30)
    }
    expect(fills.length).toBeGreaterThan(0)
    expect(Math.max(...fills)).toBeLessThanOrEqual(BUDGET)
    if (vendor === 'healthie') {
      // One provider, one type and one day a request: more than one fill's budget.
      expect(fills.length).toBeGreaterThan(1)
    } else {
      // Hero's paged slots and Heim's windows take the whole range: one request a type.
      expect(fills).toEqual([ref.appointmentTypes.length])
    }
    // Every slot request reached the vendor (with the refresh's own reads of the day around them).
    const total = fills.reduce((a, b) => a + b, 0)
    expect(clinic.sim.control.requestCount() - before).toBeGreaterThanOrEqual(total)
  })

  it('answers a finder from the copy, ten days ahead as well as tomorrow', async () => {
    for (const days of [1, 10]) {
      const slots = await find(`${vendor}-copy-${days}`, days)
      expect(slots.length, `${days} days ahead`).toBeGreaterThan(0)
      expect(slots.every((s) => s.fetchedAt && !s.fromCopy)).toBe(true)
    }
  })

  it('offline: offers the copy, marked, without the time booked locally since', async () => {
    await clinic.sim.control.setOffline(true)
    try {
      await until('seen offline', async () => {
        await find(`${vendor}-offline-probe`, 2)
        return !rt.sync.state(clinic.connectionId).online
      })
      const first = await find(`${vendor}-offline-1`, 2)
      expect(first.length).toBeGreaterThan(1)
      expect(first.every((s) => s.fromCopy && s.fetchedAt)).toBe(true)
      const slot = first[0]!
      const booked = await ok<ActionResult>(
        'appointments.book',
        bookingAt(clinic, slot, clinic.patientIds[1]!),
      )
      expect(booked.queued).toBe(true)
      const after = await find(`${vendor}-offline-2`, 2)
      expect(after.map(key)).not.toContain(key(slot))
    } finally {
      await clinic.sim.control.setOffline(false)
    }
    await until('the offline booking sent', () => rt.outbox.counts(clinic.connectionId).pending === 0, 60_000)
  })
})
