/**
 * The kinds of outbox row and their payloads: one discriminated union, parsed whenever a row is
 * read back from the database, and the shape `queue.list` answers in. A row that no longer parses
 * (written by another version) becomes `unreadable` and goes to needs-attention; it never reaches
 * the executor.
 */
import { z } from 'zod'

/** Entities this row waits for, e.g. the offline-created patient of a booking. */
const deps = z.array(z.string()).optional()
const text = z.string().min(1)
const instant = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'is not a date and time')

const newPatient = z.object({
  givenName: text,
  familyName: text,
  birthDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'is not a date'),
  nhsNumber: z.string().optional(),
  phone: z.string().optional(),
  email: z.string().optional(),
  addressLine: z.string().optional(),
  city: z.string().optional(),
  postcode: z.string().optional(),
})

export const bookPayload = z.object({
  appointmentId: text,
  patientId: text,
  appointmentTypeRef: text,
  practitionerRef: z.string().optional(),
  locationRef: z.string().optional(),
  start: instant,
  end: instant,
  slotToken: z.string().optional(),
  note: z.string().optional(),
  deps,
})
export const reschedulePayload = z.object({
  appointmentId: text,
  start: instant,
  end: instant,
  slotToken: z.string().optional(),
  practitionerRef: z.string().optional(),
  deps,
})
export const cancelPayload = z.object({
  appointmentId: text,
  reason: z.string(),
  /** Cancel and rebook: the new appointment, which must be in the clinic system before this goes. */
  rebookedAs: text.optional(),
  deps,
})
/** The whole new note (empty clears it): sending it twice leaves the note as once. */
export const notePayload = z.object({ appointmentId: text, note: z.string().max(2000), deps })
export const markPayload = z.object({ appointmentId: text, at: instant, deps })
export const createPatientPayload = z.object({ patientId: text, patient: newPatient, deps })
/** The new values only: setting a value twice leaves the record as once, so a resend is harmless. */
export const patientChanges = z
  .object({
    phone: text.optional(),
    email: text.optional(),
    nhsNumber: z
      .string()
      .regex(/^\d{10}$/, 'is not a ten-digit NHS number')
      .optional(),
    address: z.object({ line: text, city: z.string().optional(), postcode: text }).optional(),
  })
  .refine((c) => Object.values(c).some((v) => v !== undefined), 'changes nothing')
export const updatePatientPayload = z.object({ patientId: text, changes: patientChanges, deps })
/**
 * Added by the outbox after a write was sent again (its first answer lost): look for the write
 * twice at the vendor once it has settled, undo the extra where the vendor allows, else ask a person.
 */
export const checkDuplicatePayload = z.discriminatedUnion('write', [
  // `clientRef` is the resent write's (this row has its own, for the cancel it may send).
  z.object({
    write: z.literal('book'),
    of: z.number().int().positive(),
    clientRef: text,
    appointmentId: text,
    /** Where the resent booking was aimed (rows written before this was kept have none). */
    start: instant.optional(),
    practitionerRef: z.string().optional(),
  }),
  z.object({
    write: z.literal('createPatient'),
    of: z.number().int().positive(),
    clientRef: text,
    patientId: text,
  }),
])

export const outboxWrite = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('book'), payload: bookPayload }),
  z.object({ kind: z.literal('reschedule'), payload: reschedulePayload }),
  z.object({ kind: z.literal('cancel'), payload: cancelPayload }),
  z.object({ kind: z.literal('markArrived'), payload: markPayload }),
  z.object({ kind: z.literal('markNoShow'), payload: markPayload }),
  z.object({ kind: z.literal('updateNote'), payload: notePayload }),
  z.object({ kind: z.literal('createPatient'), payload: createPatientPayload }),
  z.object({ kind: z.literal('updatePatient'), payload: updatePatientPayload }),
  z.object({ kind: z.literal('checkDuplicate'), payload: checkDuplicatePayload }),
])

export type OutboxWrite = z.infer<typeof outboxWrite>
/** The kinds a receptionist's action makes (the outbox adds `checkDuplicate` itself). */
export type OutboxKind = Exclude<OutboxWrite['kind'], 'checkDuplicate'>
export type BookPayload = z.infer<typeof bookPayload>
export type ReschedulePayload = z.infer<typeof reschedulePayload>
export type CancelPayload = z.infer<typeof cancelPayload>
export type MarkPayload = z.infer<typeof markPayload>
export type NotePayload = z.infer<typeof notePayload>
export type CreatePatientPayload = z.infer<typeof createPatientPayload>
export type UpdatePatientPayload = z.infer<typeof updatePatientPayload>
export type CheckDuplicatePayload = z.infer<typeof checkDuplicatePayload>

/** A stored row this version cannot read: kept for a person, never sent. */
export interface UnreadableWrite {
  kind: 'unreadable'
  /** The kind as stored. */
  storedKind: string
  payload: unknown
  /** What did not parse, for the log and the needs-attention panel. */
  problem: string
}

/** Parses a stored kind and payload (JSON text) into the union, or says why it cannot. */
export function readWrite(kind: string, payloadJson: string): OutboxWrite | UnreadableWrite {
  let payload: unknown
  try {
    payload = JSON.parse(payloadJson)
  } catch {
    return { kind: 'unreadable', storedKind: kind, payload: null, problem: 'the payload is not JSON' }
  }
  const parsed = outboxWrite.safeParse({ kind, payload })
  if (parsed.success) return parsed.data
  const issue = parsed.error.issues[0]
  const where = issue?.path.join('.') ?? ''
  return {
    kind: 'unreadable',
    storedKind: kind,
    payload,
    problem: `${where ? `${where}: ` : ''}${issue?.message ?? 'does not parse'}`,
  }
}

/** What the queue screen shows of a row, read from Frontdesk's copy so no follow-up call is needed. */
export interface QueueSubject {
  patient?: { givenName: string; familyName: string; birthDate: string; nhsNumber?: string; ref?: string }
  appointment?: {
    start?: string
    end?: string
    practitionerRef?: string
    practitionerName?: string
    appointmentTypeRef?: string
    appointmentTypeName?: string
  }
}

export type QueueState = 'pending' | 'sending' | 'done' | 'needs-attention' | 'discarded'

interface QueueItemBase {
  seq: number
  connectionId: string
  entityKey: string
  state: QueueState
  attempts: number
  createdAt: string
  /** When Frontdesk next tries it (a row in `sending` is in flight until then, or being checked). */
  nextAttemptAt: string
  actor: string
  error: { kind: string; message: string; vendorMessage?: string; alternatives?: unknown[] } | null
  /**
   * A request for it left and what became of it is not known (its answer was lost and no look has
   * settled it): the clinic system may already have it, so Discard takes it back in Frontdesk only.
   */
  mayHaveReached: boolean
  subject: QueueSubject
}

/** One row of `queue.list`: the row's own kind and payload, or `unreadable` (shown as needs-attention). */
export type QueueItem = QueueItemBase &
  (OutboxWrite | { kind: 'unreadable'; storedKind: string; problem: string })
