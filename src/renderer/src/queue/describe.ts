/** Plain words for a queued change: what it does, to whom, when, and where it stands. */
import type { AppointmentView, QueueItem, ReferenceData } from '../../../shared/contract'
import type { Connection, Slot } from '../../../shared/model'
import { formatDateTime, formatTime } from '../lib/format'

export const kindVerb: Record<string, string> = {
  book: 'Book',
  reschedule: 'Move',
  cancel: 'Cancel',
  markArrived: 'Check in',
  markNoShow: 'Mark as no-show',
  createPatient: 'Register new patient',
}

/** "in 40 s", "in 3 min", "now". */
export function untilText(iso: string, now: number): string {
  const secs = Math.round((Date.parse(iso) - now) / 1000)
  if (!(secs > 0)) return 'now'
  if (secs < 90) return `in ${secs} s`
  const mins = Math.round(secs / 60)
  return mins < 90 ? `in ${mins} min` : `in ${Math.round(mins / 60)} h`
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`

/** Where the change stands, in one line. */
export function stateText(item: QueueItem, connection: Connection | undefined, online: boolean, now: number) {
  const label = connection?.label ?? item.connectionId
  // A send interrupted by the outage stays "sending" until Frontdesk can check it: nothing is on its way.
  if (item.state === 'sending' && online) return `Sending to ${label} now…`
  if (item.state === 'needs-attention') return `Needs attention: ${shortReason(item)}`
  const tries = item.attempts > 0 ? ` (${plural(item.attempts, 'try', 'tries')})` : ''
  if (!online) return `Waiting to send${tries} — goes when ${label} is back online`
  return `Waiting to send${tries}, next try ${untilText(item.nextAttemptAt, now)}`
}

/** The short reason a change needs a person ("that time is no longer free"). */
export function shortReason(item: QueueItem): string {
  const e = item.error
  if (!e) return 'the clinic system refused this change'
  if (e.kind === 'conflict') return 'that time is no longer free'
  if (e.kind === 'not-found') return 'the clinic system no longer has that record'
  if (e.kind === 'invalid') return 'the clinic system refused the details'
  if (e.kind === 'internal') return 'Frontdesk could not send it'
  return 'the clinic system refused this change'
}

export interface Detail {
  start?: string | undefined
  end?: string | undefined
  practitionerRef?: string | undefined
  appointmentTypeRef?: string | undefined
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined)

/** The time, practitioner and type a change is about: from its payload, else from the appointment. */
export function detailOf(item: QueueItem, appointment: AppointmentView | undefined): Detail {
  const p = item.payload
  return {
    start: str(p.start) ?? appointment?.start,
    end: str(p.end) ?? appointment?.end,
    practitionerRef: str(p.practitionerRef) ?? appointment?.practitionerRef,
    appointmentTypeRef: str(p.appointmentTypeRef) ?? appointment?.appointmentTypeRef,
  }
}

export function practitionerName(ref: string | undefined, reference: ReferenceData | undefined) {
  if (!ref) return undefined
  return reference?.practitioners.find((x) => x.ref === ref)?.name ?? `practitioner ${ref}`
}

export function typeName(ref: string | undefined, reference: ReferenceData | undefined) {
  if (!ref) return undefined
  return reference?.appointmentTypes.find((x) => x.ref === ref)?.name
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
