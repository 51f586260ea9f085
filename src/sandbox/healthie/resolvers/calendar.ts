/** Which appointments hold a provider's time, and what a write may take: shared by reads, slots and writes. */
import { type Interval, overlaps, within, workingIntervals } from '../../graphql/schedule'
import { type HealthieAppointment, type HealthieState, type HealthieUser } from '../state'

/** Statuses after which an appointment no longer holds its slot. */
export const RELEASED = new Set(['Cancelled', 'Re-Scheduled', 'Late Cancellation'])

export function providerWorking(
  state: HealthieState,
  provider: HealthieUser,
  from: number,
  to: number,
): Interval[] {
  return workingIntervals(
    {
      ...state.workingHours,
      timeZone: state.timeZone,
      days: provider.days.filter((d) => state.workingHours.days.includes(d)),
    },
    from,
    to,
  )
}

const span = (a: HealthieAppointment): Interval => ({ start: a.startMs, end: a.startMs + a.length * 60_000 })

export function holdsSlot(a: HealthieAppointment): boolean {
  return a.deleted_at === null && !(a.pm_status !== null && RELEASED.has(a.pm_status))
}

export function conflicts(
  state: HealthieState,
  providerId: string,
  slot: Interval,
  except?: string,
): HealthieAppointment[] {
  const out: HealthieAppointment[] = []
  for (const a of state.appointments.values()) {
    if (a.id !== except && a.providerId === providerId && holdsSlot(a) && overlaps(slot, span(a))) out.push(a)
  }
  return out.sort((x, y) => x.startMs - y.startMs)
}

/** What a write may take: a free time, or any time in the provider's hours when overlaps are allowed. */
export function bookable(
  state: HealthieState,
  provider: HealthieUser,
  slot: Interval,
  except?: string,
): boolean {
  return state.options.allowOverlaps
    ? within(slot, providerWorking(state, provider, slot.start, slot.end))
    : slotAvailable(state, provider, slot, except)
}

/** Free for booking: inside the provider's availability and not taken. */
function slotAvailable(
  state: HealthieState,
  provider: HealthieUser,
  slot: Interval,
  except?: string,
): boolean {
  return (
    within(slot, providerWorking(state, provider, slot.start, slot.end)) &&
    conflicts(state, provider.id, slot, except).length === 0
  )
}
