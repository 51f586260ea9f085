/**
 * A patient card's data through the query cache: the patient, their appointments, and their
 * clinic system's unsent changes (for corrections not yet sent). Read afresh each time a card
 * opens (what the copy held shows meanwhile), and again when the queue moves or a booking
 * changes their appointments.
 */
import { useQuery } from '@tanstack/react-query'
import { useEffect, useMemo } from 'react'
import type { AppointmentView } from '../../../shared/contract'
import type { Patient } from '../../../shared/model'
import type { AppError } from '../../../shared/result'
import { api } from '../api/client'
import { answerOf, changed, contractKey, FailedAnswer, queryClient, setAnswered } from '../data/query-client'
import { nowMs } from '../lib/clock'
import { connectionQueueQuery } from '../queue/queue-store'
import { usePatients } from './patients-store'
import { unsentEdits, type UnsentEdits } from './unsent-edits'

export interface PatientCard {
  patientId: string
  patient: Patient | null
  appointments: AppointmentView[]
  error: AppError | null
  /** When the appointments were read: upcoming and past are split at this moment. */
  at: number
  /** Corrections shown on the card that the clinic system does not have yet. */
  unsent: UnsentEdits | null
}

const PATIENT = 'patients.get'
const APPOINTMENTS = 'patients.appointments'

const errorOf = (e: Error | null): AppError | null =>
  e instanceof FailedAnswer
    ? e.result.error
    : e
      ? { code: 'internal', message: e.message, retryable: true }
      : null

/** Reads every open card again (a booking or a queue change may have changed what it shows). */
function refreshCards(): void {
  changed([PATIENT])
  changed([APPOINTMENTS])
}

/** The card for `patientId`: null while it is first read (or with no patient chosen). */
export function usePatientCard(patientId: string | null): PatientCard | null {
  const input = { patientId: patientId ?? '' }
  const enabled = !!patientId
  const patient = useQuery(
    {
      queryKey: contractKey(PATIENT, input),
      queryFn: answerOf(() => api.patients.get(input)),
      enabled,
    },
    queryClient,
  )
  const appointments = useQuery(
    {
      queryKey: contractKey(APPOINTMENTS, input),
      queryFn: answerOf(() => api.patients.appointments(input)),
      enabled,
    },
    queryClient,
  )
  const connectionId = patient.data?.connectionId
  const queue = useQuery(
    { ...connectionQueueQuery(connectionId ?? ''), enabled: !!connectionId },
    queryClient,
  )
  useEffect(() => {
    if (patientId) refreshCards()
  }, [patientId])
  const at = useMemo(() => (appointments.data ? nowMs() : 0), [appointments.data])

  const read = !patient.isPending && !appointments.isPending && (!connectionId || !queue.isPending)
  if (!patientId || !read) return null
  return {
    patientId,
    patient: patient.data ?? null,
    appointments: appointments.data ?? [],
    error: errorOf(patient.error) ?? errorOf(appointments.error),
    at,
    unsent: queue.data ? unsentEdits(queue.data, patientId) : null,
  }
}

/** A saved correction on the card at once, from the service's answer; the next read agrees. */
export function showSavedPatient(patientId: string, saved: Patient): void {
  // A read of the card under way was answered before the save: setAnswered lets it go.
  setAnswered<Patient>(contractKey(PATIENT, { patientId }), () => ({ ...saved, id: patientId }), {
    exact: true,
  })
}

// Sync badges follow the queue (queued → sent, or needs attention); a booking bumps `changes`.
api.events.queueChanged(refreshCards)
// A refresh that has ended may have changed the patient's details, or found them gone from the
// clinic system's list.
api.events.syncProgress((p) => {
  if (p.phase === 'done') refreshCards()
})
usePatients.subscribe((s, before) => {
  if (s.changes !== before.changes) refreshCards()
})
