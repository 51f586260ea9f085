/**
 * "Any practitioner" for an appointment type offers only practitioners who provide it, by the
 * vendor's own link (Semble `servicesProvided`, Healthie `appointment_types`), against each
 * vendor's simulator over real HTTP and a real encrypted file: asked of the vendor first, and
 * again from Frontdesk's copy. Each slot carries the practitioner's name, role and site for its
 * tile. What provides what is read from the simulated clinic's own seed (GPs the GP types, nurses
 * the nurse ones, the physiotherapist physio), not from anything Frontdesk stored.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Runtime } from '../../../src/main/app/runtime'
import { appointmentTypes, practitioners } from '../../../src/sandbox/seed'
import type { ReferenceData, SlotView } from '../../../src/shared/contract'
import { vendorClinic, type VendorClinic } from '../../support/vendor-clinic'
import { dispatchOk } from '../../support/dispatch'

interface SeededIds {
  seedIds: { practitioners: Map<string, string>; appointmentTypes: Map<string, string> }
}

describe.each(['semble', 'healthie'] as const)('%s: any practitioner for a type', (vendor) => {
  let clinic: VendorClinic
  let rt: Runtime

  beforeAll(async () => {
    clinic = await vendorClinic(vendor, 'providers')
    rt = await clinic.open({ startSync: false })
  })

  afterAll(async () => {
    await rt?.close()
    await clinic?.close()
  })

  const ok = <T>(method: string, input: unknown) => dispatchOk<T>(rt, method, input)

  it('never offers a practitioner who does not provide the type, from the vendor or the copy', async () => {
    const ids = (clinic.sim.control.state as SeededIds).seedIds
    const roleOf = new Map(practitioners.map((p) => [ids.practitioners.get(p.key)!, p.role]))
    const ref = await ok<ReferenceData>('reference.get', { connectionId: clinic.connectionId })
    const wanted = ['GP appointment', 'Nurse appointment', 'Physiotherapy assessment']
    for (const name of wanted) {
      const seedType = appointmentTypes.find((t) => t.name === name)!
      const typeRef = ids.appointmentTypes.get(seedType.key)!
      expect(ref.appointmentTypes.map((t) => t.ref)).toContain(typeRef)
      const find = (extra: Record<string, unknown> = {}) =>
        ok<SlotView[]>('slots.find', {
          connectionId: clinic.connectionId,
          appointmentTypeRef: typeRef,
          from: new Date(clinic.clock.now().getTime() + 2 * 86_400_000).toISOString(),
          days: 2,
          limit: 200,
          ...extra,
        })
      for (const slots of [await find(), await find({ requestId: `providers-${vendor}-${name}` })]) {
        expect(slots.length, name).toBeGreaterThan(0)
        const offered = new Set(slots.map((s) => roleOf.get(s.practitionerRef!)))
        // Only the roles that provide this type, and every practitioner known to the clinic.
        expect(
          [...offered].filter((r) => !r || !seedType.roles.includes(r)),
          name,
        ).toEqual([])
      }
    }
    // Every role works that day, so a list that ignored the link would have shown the others.
    const gp = ids.appointmentTypes.get(appointmentTypes.find((t) => t.name === 'GP appointment')!.key)!
    const everyone = await ok<SlotView[]>('slots.find', {
      connectionId: clinic.connectionId,
      appointmentTypeRef: gp,
      practitionerRef: ids.practitioners.get(practitioners.find((p) => p.role === 'Nurse')!.key)!,
      from: new Date(clinic.clock.now().getTime() + 2 * 86_400_000).toISOString(),
      days: 2,
      limit: 5,
    })
    expect(everyone.length).toBeGreaterThan(0)
  })

  it('each slot says who, what they are and where', async () => {
    const ref = await ok<ReferenceData>('reference.get', { connectionId: clinic.connectionId })
    const slots = await ok<SlotView[]>('slots.find', {
      connectionId: clinic.connectionId,
      appointmentTypeRef: clinic.typeRef,
      days: 2,
      limit: 50,
    })
    expect(slots.length).toBeGreaterThan(0)
    const sites = new Set(ref.locations.map((l) => l.name))
    for (const s of slots) {
      expect(s.practitionerName).toBeTruthy()
      expect(s.practitionerRole).toBeTruthy()
      // Semble's free times are per location; Healthie's name none, and this clinic has two sites,
      // so no site is guessed for them.
      if (vendor === 'semble') expect(sites.has(s.locationName ?? '')).toBe(true)
      else expect(s.locationName).toBeUndefined()
    }
  })
})
