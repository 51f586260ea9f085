/**
 * A patient's corrections that the clinic system does not have yet, read from the queue: the card
 * shows its new values at once, so it must also say which of them are only in Frontdesk so far.
 */
import type { QueueItem } from '../../../shared/contract'
import { patientChangeFields, type PatientChangeField } from '../../../shared/model'

const fieldWords: Record<PatientChangeField, string> = {
  phone: 'phone',
  email: 'email',
  nhsNumber: 'NHS number',
  address: 'address',
}

export interface UnsentEdits {
  /** The details changed here and not yet sent, in the form's order. */
  fields: PatientChangeField[]
  /** The clinic system refused one of them: a person looks in the queue. */
  refused: boolean
}

export function unsentEdits(items: QueueItem[], patientId: string): UnsentEdits | null {
  const mine = items.filter((q) => q.kind === 'updatePatient' && q.entityKey === `patient:${patientId}`)
  if (!mine.length) return null
  const changed = new Set(
    mine.flatMap((q) => (q.kind === 'updatePatient' ? Object.keys(q.payload.changes) : [])),
  )
  return {
    fields: patientChangeFields.filter((f) => changed.has(f)),
    refused: mine.some((q) => q.state === 'needs-attention'),
  }
}

/** "Changed here, not yet in Riverside Clinic: phone and NHS number — waiting to send." */
export function unsentEditsSentence(u: UnsentEdits, clinicLabel: string): string {
  const words = u.fields.map((f) => fieldWords[f])
  const list =
    words.length > 1 ? `${words.slice(0, -1).join(', ')} and ${words.at(-1)}` : (words[0] ?? 'details')
  return `Changed here, not yet in ${clinicLabel}: ${list} — ${
    u.refused ? `${clinicLabel} did not accept it: see the queue.` : 'waiting to send.'
  }`
}
