/** Plain words for a queued change: what it does, to whom, when, and where it stands. */
import type { QueueItem } from '../../../shared/contract'
import type { Connection, Slot } from '../../../shared/model'
import { formatDateTime, formatTime } from '../lib/format'

export const kindVerb: Record<string, string> = {
  book: 'Book',
  reschedule: 'Move',
  cancel: 'Cancel',
  markArrived: 'Check in',
  markNoShow: 'Mark as no-show',
  createPatient: 'Register new patient',
  updatePatient: 'Change the details of',
  updateNote: 'Change the note on',
  checkDuplicate: 'Check for a duplicate of',
  unreadable: 'Unreadable change for',
}

/**
 * The order rule, as the README states it: said on the queue screen exactly so.
 */
export const ORDER_RULE =
  'Changes are sent in the order they were made. A change that needs attention holds back only later changes to the same appointment or patient; everything else goes on.'

/** "in 40 s", "in 3 min", "now". */
export function untilText(iso: string, now: number): string {
  const secs = Math.round((Date.parse(iso) - now) / 1000)
  if (!(secs > 0)) return 'now'
  if (secs < 90) return `in ${secs} s`
  const mins = Math.round(secs / 60)
  return mins < 90 ? `in ${mins} min` : `in ${Math.round(mins / 60)} h`
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`

/** "2 attempts" (or nothing before the first). */
export const attemptsText = (item: QueueItem) =>
  item.attempts > 0 ? plural(item.attempts, 'attempt') : 'not tried yet'

/** Where the change stands, in one line: attempts so far and when the next try is. */
export function stateText(item: QueueItem, connection: Connection | undefined, online: boolean, now: number) {
  const label = connection?.label ?? item.connectionId
  if (item.state === 'needs-attention') return `Needs attention: ${shortReason(item)} (${attemptsText(item)})`
  if (item.kind === 'checkDuplicate')
    return `Sent; Frontdesk looks ${untilText(item.nextAttemptAt, now)} whether ${label} made it twice`
  const due = Date.parse(item.nextAttemptAt) <= now
  if (item.state === 'sending') {
    // A send whose answer was lost stays "sending" until Frontdesk can check it; any other is
    // a request finding the clinic system away.
    const unsure = !!item.error && !['offline', 'auth', 'rate-limited'].includes(item.error.kind)
    if (!online)
      return unsure
        ? `Waiting to check with ${label} (${attemptsText(item)}) — when it is back online`
        : `Waiting to send (${attemptsText(item)}) — goes when ${label} is back online`
    return due || item.error === null
      ? `Sending to ${label} now… (${attemptsText(item)})`
      : `Checking with ${label} whether it arrived (${attemptsText(item)}), next try ${untilText(item.nextAttemptAt, now)}`
  }
  if (!online) return `Waiting to send (${attemptsText(item)}) — goes when ${label} is back online`
  // Cancel and rebook: held by the outbox until the new booking is in the clinic system.
  if (item.kind === 'cancel' && item.payload.rebookedAs && item.attempts === 0)
    return `Waiting for the new booking to reach ${label}; then it is sent`
  return `Waiting to send (${attemptsText(item)}), next try ${untilText(item.nextAttemptAt, now)}`
}

/** The short reason a change needs a person ("that time is no longer free"). */
export function shortReason(item: QueueItem): string {
  const e = item.error
  if (!e) return 'the clinic system refused this change'
  if (item.kind === 'checkDuplicate') return 'the clinic system has it twice'
  if (item.kind === 'cancel' && item.payload.rebookedAs && e.kind === 'invalid')
    return 'the new booking did not go through, so this appointment was kept'
  if (e.kind === 'conflict') return 'that time is no longer free'
  if (e.kind === 'not-found') return 'the clinic system no longer has that record'
  if (e.kind === 'invalid') return 'the clinic system refused the details'
  if (e.kind === 'internal') return 'Frontdesk could not send it'
  if (e.kind === 'unreadable') return 'Frontdesk cannot read this change'
  if (e.kind === 'unconfirmed') return 'Frontdesk could not confirm it arrived'
  return 'the clinic system refused this change'
}

/**
 * What Discard says it does, before and after: "nothing was sent" only when nothing may have
 * reached the clinic system. A change whose answer was lost may be there already, and a person has
 * to look.
 */
export function discardWords(
  item: QueueItem,
  label: string,
  rollback: string,
): { before: string; after: string } {
  if (!item.mayHaveReached) return { before: rollback, after: `Nothing was sent to ${label}.` }
  const there = `${label} may already have it (its answer never came): look for it there, and put it right there if it is.`
  return {
    before: `It is rolled back in Frontdesk only. ${there}`,
    after: `Rolled back in Frontdesk only: ${there}`,
  }
}

export interface Detail {
  start?: string | undefined
  end?: string | undefined
  practitionerRef?: string | undefined
  appointmentTypeRef?: string | undefined
}

/** The time, practitioner and type a change is about: its own (a booking or move), else the appointment's. */
export function detailOf(item: QueueItem): Detail {
  const a = item.subject.appointment
  const own = item.kind === 'book' || item.kind === 'reschedule' ? item.payload : undefined
  return {
    start: own?.start ?? a?.start,
    end: own?.end ?? a?.end,
    practitionerRef: own?.practitionerRef ?? a?.practitionerRef,
    appointmentTypeRef: a?.appointmentTypeRef,
  }
}

/** A practitioner's name as the copy has it, else their reference. */
export function practitionerName(ref: string | undefined, item: QueueItem) {
  if (!ref) return undefined
  const a = item.subject.appointment
  return a?.practitionerRef === ref && a.practitionerName ? a.practitionerName : `practitioner ${ref}`
}

/** "Thu 12 Mar, 09:30–10:00" in the clinic's zone and locale. */
export function whenText(start: string | undefined, end: string | undefined, connection?: Connection) {
  if (!start) return undefined
  const zone = connection?.timeZone ?? 'Europe/London'
  const locale = connection?.locale ?? 'en-GB'
  return `${formatDateTime(start, zone, locale)}${end ? `–${formatTime(end, zone, locale)}` : ''}`
}

/** The free slots a conflict came back with, as slots (the contract carries them untyped). */
export function alternativesOf(item: QueueItem): Slot[] {
  const raw = item.error?.alternatives ?? []
  return raw.filter(
    (s): s is Slot =>
      typeof s === 'object' &&
      s !== null &&
      typeof (s as Slot).start === 'string' &&
      typeof (s as Slot).end === 'string',
  )
}
