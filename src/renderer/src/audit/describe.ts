/** Plain words for audit entries: the action, a one-line summary of the change, the outcome. */
import type { AuditEntry } from '../../../shared/contract'
import type { Connection } from '../../../shared/model'
import { formatBirthDate } from '../lib/format'
import { whenText } from '../queue/describe'

/**
 * The entry as the contract declares it. The main process currently answers with the table's
 * snake_case columns (connection_id, entity_id); accept both until it maps them.
 */
export function normalise(e: AuditEntry): AuditEntry {
  const raw = e as AuditEntry & { connection_id?: string | null; entity_id?: string | null }
  return {
    ...e,
    connectionId: e.connectionId ?? raw.connection_id ?? null,
    entityId: e.entityId ?? raw.entity_id ?? null,
  }
}

const actions: Record<string, string> = {
  book: 'Booked appointment',
  reschedule: 'Moved appointment',
  cancel: 'Cancelled appointment',
  markArrived: 'Checked in',
  markNoShow: 'Marked as no-show',
  createPatient: 'Registered patient',
  updatePatient: "Changed patient's details",
  updateNote: 'Changed appointment note',
  sendNow: 'Send now, whole queue',
  setCredentials: 'Saved credentials',
  deleteCredentials: 'Deleted credentials',
  saveConnection: 'Saved clinic system settings',
  removeConnection: 'Removed a clinic system',
  setPractitionerLinks: 'Changed linked practitioners',
  setTypeColour: 'Changed an appointment type colour',
  setProxyPassword: 'Saved a proxy password',
  setStaffName: 'Changed the name at the desk',
  unlock: 'Unlocked the desk',
  lock: 'Locked the desk',
  setIdleLock: 'Changed the idle lock',
  addStaff: 'Added a person to the staff list',
  removeStaff: 'Removed a person from the staff list',
}

export function actionWords(e: AuditEntry): string {
  return actions[e.action] ?? [e.action, e.entity].filter(Boolean).join(' ')
}

const outcomes: Record<string, string> = {
  queued: 'Saved, waiting to send',
  sent: 'Sent to the clinic system',
  'needs-attention': 'Refused: needs attention',
  discarded: 'Discarded, rolled back',
  retried: 'Tried again',
  'send-now': 'Sent now',
  done: 'Done',
  refused: 'Refused',
}

export function outcomeWords(outcome: string): string {
  return outcomes[outcome] ?? outcome
}

/** Local time of this computer, en-GB, with seconds: the log is about order. */
export function whenWords(iso: string, _c?: Connection): string {
  return new Intl.DateTimeFormat('en-GB', {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).format(new Date(iso))
}

const DETAIL_WORDS: Record<string, string> = {
  phone: 'phone',
  email: 'email',
  nhsNumber: 'NHS number',
  postcode: 'postcode',
}

type Json = Record<string, unknown>
const obj = (v: unknown): Json | null => (typeof v === 'object' && v !== null ? (v as Json) : null)
const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined)

/** One line from the stored change: times, a status change and its reason, a new patient's name. */
export function summarise(e: AuditEntry, c?: Connection, names: Record<string, string> = {}): string {
  if (!e.change) return ''
  let change: Json | null
  try {
    change = obj(JSON.parse(e.change))
  } catch {
    return e.change
  }
  if (!change) return ''
  const parts: string[] = []
  const patientId = str(change.patientId)
  if (patientId && names[patientId]) parts.push(names[patientId])
  // The name as it was when the change was made (check-in, no-show, cancel, move), else the
  // clinic system's id of a patient Frontdesk does not know.
  else if (str(change.patientName)) parts.push(str(change.patientName)!)
  // Known then by the clinic system's id only; the copy has them now.
  else if (str(change.patientRef) && e.patientName) parts.push(e.patientName)
  else if (str(change.patientRef)) parts.push(`patient ${str(change.patientRef)!} (not in Frontdesk)`)
  if (str(change.givenName) || str(change.familyName)) {
    parts.push(
      `${str(change.givenName) ?? ''} ${(str(change.familyName) ?? '').toUpperCase()}`.trim() +
        (str(change.birthDate) ? `, born ${formatBirthDate(str(change.birthDate)!)}` : ''),
    )
  }
  const from = obj(change.from)
  const to = obj(change.to)
  if (from && to && str(to.start)) {
    parts.push(
      `from ${whenText(str(from.start), str(from.end), c) ?? '—'} to ${whenText(str(to.start), str(to.end), c)}`,
    )
  } else if (str(change.start)) {
    parts.push(whenText(str(change.start), str(change.end), c)!)
  }
  if (str(change.from) && str(change.to)) parts.push(`${str(change.from)} → ${str(change.to)}`)
  if (str(change.reason)) parts.push(`reason: ${str(change.reason)}`)
  // An appointment's note: what it said before and after (empty is none).
  if (typeof change.note === 'string') {
    const before = str(change.noteBefore)
    const after = str(change.note)
    parts.push(after ? `note ${before ? `“${before}” → ` : ''}“${after}”` : `note “${before ?? ''}” removed`)
  }
  // A patient's corrected details: each field from what it was to what it became.
  const changes = obj(change.changes)
  for (const [field, words] of Object.entries(DETAIL_WORDS)) {
    const c = obj(changes?.[field])
    if (c && str(c.to)) parts.push(`${words} ${str(c.from) ?? '(none)'} → ${str(c.to)!}`)
  }
  return parts.join(' · ')
}
