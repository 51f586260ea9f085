/**
 * The queue panel's data: every unfinished change per connection, each with what it is about (the
 * patient, the appointment's time, practitioner and type) as `queue.list` answers it, so a row is
 * read in plain words with no further call. Held in the query cache and asked again when the queue
 * or connectivity events say it changed (the outbox sends one on every change of a row's state).
 */
import { useQuery } from '@tanstack/react-query'
import { useEffect } from 'react'
import type { QueueItem } from '../../../shared/contract'
import { api } from '../api/client'
import { answerOf, changed, contractKey, queryClient } from '../data/query-client'

const METHOD = 'queue.list'
const EVERY_CONNECTION = contractKey(METHOD, {})

/** One connection's unfinished changes (a patient card's unsent corrections), kept as the whole queue is. */
export const connectionQueueQuery = (connectionId: string) => ({
  queryKey: contractKey(METHOD, { connectionId }),
  queryFn: answerOf(() => api.queue.list({ connectionId })),
})

/** Every unfinished change, whether it has loaded yet, and why it could not be read if so. */
export function useQueue(): { items: QueueItem[]; loaded: boolean; error: string | null } {
  const q = useQuery({ queryKey: EVERY_CONNECTION, queryFn: answerOf(() => api.queue.list({})) }, queryClient)
  // Opening the queue reads it afresh too, after any read already under way (which may have begun
  // before the latest change): the one screen where a stale row could mislead.
  useEffect(() => void reloadQueue(), [])
  return { items: q.data ?? [], loaded: !q.isPending, error: q.error ? q.error.message : null }
}

/** Reads the queue again now, cancelling a read under way (after an action whose answer changes it). */
export function reloadQueue(): Promise<void> {
  return queryClient.invalidateQueries({ queryKey: [METHOD] })
}

// The outbox reports every change of a row's state (sending included), and a connection coming
// back changes what "waiting" means: no polling.
api.events.queueChanged(() => changed([METHOD]))
api.events.connectivityChanged(() => changed([METHOD]))
