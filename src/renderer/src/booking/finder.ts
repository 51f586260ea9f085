/** The booking dialog's free-time finder: what it asks for and what it says about the answer. */
import type { MethodInput, SlotView } from '../../../shared/contract'
import { ANY, type BookingState } from './booking-state'
import { groupByDay, zonedToUtc, type SlotDay } from './slots'
import type { SlotsAnswer } from './useSlots'

/** Days of free times asked for at a time. */
export const DAYS = 14

type Query = Omit<MethodInput<'slots.find'>, 'requestId'>

/** Every input of the finder's question: a new key asks again. */
export const finderKey = (s: Pick<BookingState, 'typeRef' | 'who' | 'where' | 'from' | 'retry'>) =>
  `${s.typeRef}|${s.who}|${s.where}|${s.from}|${s.retry}`

/** The finder's question, or null until a type is chosen. From today it starts now, not at midnight. */
export function slotsQuery(
  s: Pick<BookingState, 'typeRef' | 'who' | 'where' | 'from'>,
  at: { connectionId: string; patientId: string; today: string; zone: string; now: string },
): Query | null {
  if (!s.typeRef) return null
  return {
    connectionId: at.connectionId,
    appointmentTypeRef: s.typeRef,
    patientId: at.patientId,
    from: s.from <= at.today ? at.now : zonedToUtc(s.from, '00:00', at.zone)!,
    days: DAYS,
    limit: 80,
    ...(s.who !== ANY ? { practitionerRef: s.who } : {}),
    ...(s.where !== ANY ? { locationRef: s.where } : {}),
  }
}

export interface FinderView {
  /** The answer on screen is for an older question (or none has come yet). */
  loading: boolean
  slots: SlotView[]
  /** The clinic system's refusal, once the current question has it. */
  failed: Extract<SlotsAnswer, { error: string }> | null
  /** Slots from Frontdesk's copy while the clinic system is unreachable. */
  fromCopy: boolean
  days: SlotDay[]
}

/** What the finder shows for `answer`; the last answer's slots stay on screen until the next. */
export function readAnswer(
  answer: SlotsAnswer | null,
  key: string,
  typeRef: string,
  zone: string,
): FinderView {
  const loading = !!typeRef && answer?.key !== key
  const slots = answer && 'slots' in answer ? answer.slots : []
  const failed = answer && 'error' in answer && !loading ? answer : null
  const fromCopy = !loading && slots.some((s) => s.fromCopy)
  return { loading, slots, failed, fromCopy, days: groupByDay(slots, zone) }
}

/** The finder's spoken status line. */
export function finderStatus(typeRef: string, v: FinderView): string {
  if (!typeRef) return 'Choose the appointment type to see free times.'
  if (v.loading) return 'Finding free times…'
  if (v.failed) return ''
  const n = v.slots.length
  if (n === 0)
    return `No free times in the ${DAYS} days from ${v.days[0]?.label ?? 'the chosen date'}. Try another practitioner or a later date.`
  return `${n} free time${n === 1 ? '' : 's'} over ${v.days.length} day${v.days.length === 1 ? '' : 's'}.`
}

/** Whether the clinic system has confirmed the times shown from the copy. */
export function checkLine(answer: Extract<SlotsAnswer, { slots: SlotView[] }>, label: string): string {
  if (answer.state === 'checking') return `Checking with ${label}…`
  if (answer.state === 'confirmed') return `Checked with ${label}${answer.note ? `: ${answer.note}` : ''}.`
  return `Not yet checked with ${label}: booking checks the time.`
}

/** The calendar day after a YYYY-MM-DD date. */
export function dayAfter(date: string): string {
  const [y, m, d] = date.split('-').map(Number)
  return new Date(Date.UTC(y!, m! - 1, d! + 1)).toISOString().slice(0, 10)
}
