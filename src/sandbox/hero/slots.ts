import { DateTime } from 'luxon'
import { type HeroAppointmentRecord, type HeroPractitioner, type HeroState } from './state'

/** A bookable slot as `GET /v1/slots/{id}` documents it. */
export interface HeroSlot {
  id: string
  practitioner_id: string
  appointment_type_id: string
  location_id: string
  start_time: string
  finish_time: string
}

export interface SlotQuery {
  appointmentTypeId?: string
  locationId?: string
  practitionerId?: string
  from: Date
  to: Date
}

const EPOCH_DAY = DateTime.fromISO('2000-01-01', { zone: 'UTC' })
const hm = (s: string) => {
  const [h, m] = s.split(':').map(Number)
  return (h ?? 0) * 60 + (m ?? 0)
}

/**
 * Slot ids are numeric strings that encode practitioner, type, local day and minute, so every slot of the
 * grid has one stable id without storing it: `1` + day(5) + minute(4) + practitioner(2) + type(2).
 */
export function encodeSlotId(day: number, minute: number, practitioner: number, type: number): string {
  const pad = (n: number, w: number) => String(n).padStart(w, '0')
  return `1${pad(day, 5)}${pad(minute, 4)}${pad(practitioner, 2)}${pad(type, 2)}`
}

export function decodeSlotId(id: string) {
  const m = /^1(\d{5})(\d{4})(\d{2})(\d{2})$/.exec(id)
  if (!m) return undefined
  return { day: Number(m[1]), minute: Number(m[2]), practitioner: Number(m[3]), type: Number(m[4]) }
}

/** An appointment holds its time while confirmed, or while its reservation has not run out. */
export function isActive(a: HeroAppointmentRecord, now: Date): boolean {
  if (a.cancelledAt) return false
  if (a.booking_confirmed_at) return true
  return a.reserved_until !== null && Date.parse(a.reserved_until) > now.getTime()
}

/**
 * The instant a day's wall-clock minutes count from, using the offset at noon: clocks change in the small hours,
 * so every minute of a working day is then right, on DST days too.
 */
const wallMidnight = (day: DateTime) =>
  day.set({ hour: 12, minute: 0, second: 0, millisecond: 0 }).toMillis() - 12 * 3_600_000

export class SlotGrid {
  constructor(private readonly state: HeroState) {}

  private get zone() {
    return this.state.clinic.timeZone
  }

  /** Is [start, start+minutes) inside the practitioner's hours on that local day, clear of lunch? */
  withinHours(p: HeroPractitioner, start: Date, minutes: number): boolean {
    const local = DateTime.fromJSDate(start, { zone: this.zone })
    if (!p.days.includes(local.weekday)) return false
    const wh = this.state.clinic.workingHours
    const from = local.hour * 60 + local.minute
    const to = from + minutes
    const lunchStart = hm(wh.lunch.start)
    const lunchEnd = hm(wh.lunch.end)
    return from >= hm(wh.open) && to <= hm(wh.close) && !(from < lunchEnd && to > lunchStart)
  }

  /** Does anything active overlap [start, end) for this practitioner (ignoring one appointment being moved)? */
  isFree(practitionerId: string, start: number, end: number, now: Date, ignoreId?: string): boolean {
    for (const a of this.state.appointments.values()) {
      if (a.practitioner_id !== practitionerId || a.id === ignoreId || !a.start_time || !isActive(a, now))
        continue
      const s = Date.parse(a.start_time)
      if (s < end && s + a.duration * 60_000 > start) return false
    }
    return true
  }

  slotFromId(id: string): HeroSlot | undefined {
    const d = decodeSlotId(id)
    if (!d) return undefined
    const p = this.state.practitioners[d.practitioner]
    const t = this.state.appointmentTypes[d.type]
    if (!p || !t || !p.typeIds.includes(t.id)) return undefined
    const local = EPOCH_DAY.plus({ days: d.day }).setZone(this.zone, { keepLocalTime: true })
    const start = new Date(wallMidnight(local) + d.minute * 60_000)
    if (!this.withinHours(p, start, t.duration)) return undefined
    // Only starts on the grid are slots; anything else is an explicit time.
    if (!this.gridMinutes(t.duration).includes(d.minute)) return undefined
    return this.toSlot(id, p, t.id, start, t.duration)
  }

  isAvailable(slot: HeroSlot, now: Date, ignoreId?: string): boolean {
    const start = Date.parse(slot.start_time)
    return (
      start > now.getTime() &&
      this.isFree(slot.practitioner_id, start, Date.parse(slot.finish_time), now, ignoreId)
    )
  }

  /** Every free slot in the range, in start order. */
  list(q: SlotQuery, now: Date): HeroSlot[] {
    const from = Math.max(q.from.getTime(), now.getTime())
    const to = q.to.getTime()
    if (to <= from) return []
    const busy = this.busyByPractitioner(now, from, to)
    const out: HeroSlot[] = []
    let day = DateTime.fromMillis(from, { zone: this.zone }).startOf('day')
    const lastDay = DateTime.fromMillis(to, { zone: this.zone }).startOf('day')
    for (; day <= lastDay; day = day.plus({ days: 1 })) {
      const dayNumber = Math.round(day.setZone('UTC', { keepLocalTime: true }).diff(EPOCH_DAY, 'days').days)
      for (const p of this.state.practitioners) {
        if (q.practitionerId && p.id !== q.practitionerId) continue
        if (q.locationId && p.location_id !== q.locationId) continue
        if (!p.days.includes(day.weekday)) continue
        const taken = busy.get(p.id) ?? []
        const midnight = wallMidnight(day)
        for (const typeId of p.typeIds) {
          if (q.appointmentTypeId && typeId !== q.appointmentTypeId) continue
          const typeIndex = this.state.appointmentTypes.findIndex((t) => t.id === typeId)
          const duration = this.state.appointmentTypes[typeIndex]?.duration ?? 10
          for (const minute of this.gridMinutes(duration)) {
            const start = midnight + minute * 60_000
            const end = start + duration * 60_000
            if (start <= from || start >= to) continue
            if (taken.some(([s, e]) => s < end && e > start)) continue
            out.push(
              this.toSlot(
                encodeSlotId(dayNumber, minute, p.index, typeIndex),
                p,
                typeId,
                new Date(start),
                duration,
              ),
            )
          }
        }
      }
    }
    return out.sort((a, b) => a.start_time.localeCompare(b.start_time) || a.id.localeCompare(b.id))
  }

  private gridMinutes(duration: number): number[] {
    const wh = this.state.clinic.workingHours
    const out: number[] = []
    const lunchStart = hm(wh.lunch.start)
    const lunchEnd = hm(wh.lunch.end)
    for (let m = hm(wh.open); m + duration <= lunchStart; m += duration) out.push(m)
    for (let m = lunchEnd; m + duration <= hm(wh.close); m += duration) out.push(m)
    return out
  }

  private busyByPractitioner(now: Date, from: number, to: number): Map<string, [number, number][]> {
    const out = new Map<string, [number, number][]>()
    for (const a of this.state.appointments.values()) {
      if (!a.start_time || !isActive(a, now)) continue
      const s = Date.parse(a.start_time)
      const e = s + a.duration * 60_000
      if (e < from || s > to) continue
      const list = out.get(a.practitioner_id) ?? []
      list.push([s, e])
      out.set(a.practitioner_id, list)
    }
    return out
  }

  private toSlot(id: string, p: HeroPractitioner, typeId: string, start: Date, duration: number): HeroSlot {
    return {
      id,
      practitioner_id: p.id,
      appointment_type_id: typeId,
      location_id: p.location_id,
      start_time: start.toISOString(),
      finish_time: new Date(start.getTime() + duration * 60_000).toISOString(),
    }
  }
}
