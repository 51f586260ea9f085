/**
 * Killing the process at each point of a send, for each vendor and each kind of write it takes:
 * after the row is durably `sending` but before the request leaves; after the vendor applied the
 * write but before its answer arrives (the simulator applies it and holds the answer); after the
 * answer but before `done` commits. Every kill is a SIGKILL of a real Frontdesk process
 * (test/support/kill-point-child.ts) that stops at the planned point of the planned row; the next
 * process reconciles and goes on. The simulators take overlapping bookings, so a booking sent twice
 * would be held twice. After a last clean run the vendor has applied each write exactly once, and
 * each appointment and corrected phone is at the vendor as the receptionist left it. (A Hero
 * booking is killed after its reservation, before the confirmation; Hero and Heim take no patient
 * edits.) About 2½ minutes on two cores, one process per kill.
 */
import { afterAll, describe, expect, it } from 'vitest'
import type { Runtime } from '../../../src/main/app/runtime'
import type { OutboxKind as WriteKind } from '../../../src/shared/outbox-rows'
import type { ActionResult, SlotView } from '../../../src/shared/contract'
import type { AppointmentStatus, Vendor } from '../../../src/shared/model'
import { KILL_POINTS, type KillPoint } from '../../support/kill-plan'
import { finishQueue, killAt, lastRow, quietRuntime } from '../../support/kill-walk'
import { bookingAt, VENDORS, vendorClinic, type VendorClinic } from '../../support/vendor-clinic'
import { tally } from '../../support/vendor-writes'

const clinics: VendorClinic[] = []

afterAll(async () => {
  await Promise.all(clinics.map((c) => c.close()))
})

/** A queued write, what ties it to the vendor's record of it, and where to kill its send (if anywhere). */
interface Planned {
  kind: WriteKind
  seq: number
  /** Read from a runtime once the writes are at the vendor (they include ids it gave). */
  marks: (rt: Runtime) => string[]
  point?: KillPoint
  /** The last write of an appointment: how the vendor must hold it in the end. */
  ends?: { appointmentId: string; status: AppointmentStatus; start?: string; note?: string }
  /** A corrected phone: the vendor's record must show it in the end. */
  phone?: { patientId: string; phone: string }
}

async function ok(rt: Runtime, method: string, input: unknown): Promise<ActionResult> {
  const r = await rt.dispatch(method, input)
  if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`)
  return r.value as ActionResult
}

/** Free times handed out once each, so no two writes of a test ask for the same time. */
function pool(c: VendorClinic, slots: SlotView[]) {
  const left = [...slots]
  return (unlike?: SlotView) => {
    const i = left.findIndex((s) => !unlike || s.start !== unlike.start)
    if (i < 0) throw new Error(`${c.vendor}: not enough free times for the test`)
    return left.splice(i, 1)[0]!
  }
}

/**
 * Queues, with nothing sent, one write of each kind the vendor takes for each kill point (a change
 * to an appointment after the booking it needs). Arrivals and no-shows are queued by `evening`,
 * once the day's bookings are at the vendor and all of them have started.
 */
async function queue(c: VendorClinic, rt: Runtime) {
  const planned: Planned[] = []
  const ref = (later: Runtime, appointmentId: string) =>
    `"${later.cache.appointmentRow(appointmentId)?.ref ?? 'not at the vendor'}"`
  const later = pool(c, c.laterSlots)
  const today = pool(c, c.todaySlots)
  const marks: { kind: WriteKind; point: KillPoint; id: string }[] = []
  let n = 0
  for (const kind of c.writes) {
    for (const point of KILL_POINTS) {
      n++
      if (kind === 'createPatient') {
        const familyName = `Kill${point.replace(/-(\w)/g, (_, ch: string) => ch.toUpperCase())}`
        await ok(rt, 'patients.create', {
          connectionId: c.connectionId,
          patient: {
            givenName: 'Pat',
            familyName,
            birthDate: '1975-06-07',
            phone: '07700900123',
            email: `pat.${point}@example.org`,
          },
        })
        planned.push({ kind, seq: lastRow(rt).seq, marks: () => [familyName], point })
        continue
      }
      const patientId = c.patientIds[n % c.patientIds.length]!
      if (kind === 'updatePatient') {
        // A corrected phone, its own for each kill point (the mark that ties it to its write).
        const phone = `+4477009006${String(n).padStart(2, '0')}`
        await ok(rt, 'patients.update', { patientId, changes: { phone } })
        planned.push({ kind, seq: lastRow(rt).seq, marks: () => [phone], point, phone: { patientId, phone } })
        continue
      }
      const mark = kind === 'markArrived' || kind === 'markNoShow'
      const slot = mark ? today() : later()
      const id = (await ok(rt, 'appointments.book', bookingAt(c, slot, patientId))).appointment.id!
      const booked = lastRow(rt)
      planned.push({
        kind: 'book',
        seq: booked.seq,
        // Hero keeps no reference of ours: its confirmation names the patient, one per booking here.
        marks: (later) =>
          c.vendor === 'hero'
            ? [`"patient_id":"${later.cache.patientRow(patientId)!.ref}"`]
            : [booked.client_ref],
        ...(kind === 'book'
          ? { point, ends: { appointmentId: id, status: 'booked', start: slot.start } }
          : {}),
      })
      if (kind === 'reschedule') {
        // Another time, not only another practitioner at the same time, so the move shows.
        const to = later(slot)
        await ok(rt, 'appointments.reschedule', {
          appointmentId: id,
          start: to.start,
          end: to.end,
          ...(to.practitionerRef ? { practitionerRef: to.practitionerRef } : {}),
          ...(to.token ? { slotToken: to.token } : {}),
        })
        const start = new Date(to.start).toISOString()
        planned.push({
          kind,
          seq: lastRow(rt).seq,
          marks: (later) => [ref(later, id), `"start_time":"${start}"`],
          point,
          ends: { appointmentId: id, status: 'booked', start },
        })
      } else if (kind === 'updateNote') {
        const note = `Note killed at ${point}`
        await ok(rt, 'appointments.updateNote', { appointmentId: id, note })
        planned.push({
          kind,
          seq: lastRow(rt).seq,
          marks: (later) => [ref(later, id), note],
          point,
          ends: { appointmentId: id, status: 'booked', start: slot.start, note },
        })
      } else if (kind === 'cancel') {
        const reason = `Kill at ${point}`
        await ok(rt, 'appointments.cancel', { appointmentId: id, reason })
        planned.push({
          kind,
          seq: lastRow(rt).seq,
          marks: (later) => [ref(later, id), `"note":"${reason}"`],
          point,
          ends: { appointmentId: id, status: 'cancelled' },
        })
      } else if (mark) marks.push({ kind, point, id })
    }
  }
  const evening = async (rt: Runtime) => {
    for (const { kind, point, id } of marks) {
      await ok(rt, kind === 'markArrived' ? 'appointments.markArrived' : 'appointments.markNoShow', {
        appointmentId: id,
      })
      planned.push({
        kind,
        seq: lastRow(rt).seq,
        marks: (later) => [ref(later, id)],
        point,
        ends: { appointmentId: id, status: kind === 'markArrived' ? 'arrived' : 'noshow' },
      })
    }
  }
  return { planned, evening }
}

/** Kills a sender at each planned point in turn, then lets a last one finish the queue. */
async function walk(c: VendorClinic, cases: Planned[]) {
  await killAt(
    c,
    cases.map((k) => ({ seq: k.seq, point: k.point! })),
  )
  const last = await finishQueue(c)
  expect(last.code, last.output).toBe(0)
}

describe.each(VENDORS.map((v) => [v]))('killed at each point of a send to %s', (vendor: Vendor) => {
  it('leaves every kind of write at the vendor exactly once', async () => {
    const c = await vendorClinic(vendor, 'kill-points')
    clinics.push(c)
    let rt = await quietRuntime(c)
    const { planned, evening } = await queue(c, rt)
    await rt.close()
    await walk(
      c,
      planned.filter((p) => p.point),
    )
    // That evening: arrivals and no-shows for the day's appointments, killed the same way.
    c.toEvening()
    rt = await quietRuntime(c)
    const before = planned.length
    await evening(rt)
    await rt.close()
    if (planned.length > before) await walk(c, planned.slice(before))
    expect(planned.filter((p) => p.point)).toHaveLength(c.writes.length * KILL_POINTS.length)

    const check = await c.open({ startSync: false })
    try {
      const intended = planned.map((p) => ({ kind: p.kind, marks: p.marks(check) }))
      const result = tally(vendor, c.sim.control.writes(), intended)
      const wrong = intended
        .map((i, n) => ({ ...i, point: planned[n]!.point, times: result.times[n] }))
        .filter((i) => i.times !== 1)
      expect({ wrong, totals: result.totals.filter((t) => t.applied < t.intended) }).toEqual({
        wrong: [],
        totals: [],
      })
      expect(check.outbox.counts(c.connectionId)).toMatchObject({ pending: 0, needsAttention: 0 })
      // And each appointment is as the receptionist left it, read back from the vendor.
      const adapter = check.adapters.get(c.connectionId)
      for (const { ends } of planned.filter((p) => p.ends)) {
        const at = await adapter.getAppointment!(check.cache.appointmentRow(ends!.appointmentId)!.ref!)
        // A visit Heim has not timed yet has no start to compare.
        const iso = (t?: string) => (ends!.start && at.start && t ? new Date(t).toISOString() : null)
        expect({ status: at.status, start: iso(at.start), note: at.note }).toEqual({
          status: ends!.status,
          start: iso(ends!.start),
          note: ends!.note,
        })
      }
      for (const { phone } of planned.filter((p) => p.phone)) {
        const at = await adapter.getPatient!(check.cache.patientRow(phone!.patientId)!.ref!)
        expect(at.phone).toBe(phone!.phone)
      }
    } finally {
      await check.close()
    }
  }, 240_000)
})
