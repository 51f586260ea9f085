/**
 * The queue panel's data: every unfinished change per connection, each with what it is about (the
 * patient, the appointment's time, practitioner and type) as `queue.list` answers it, so a row is
 * read in plain words with no further call. Kept current by the queue and connectivity events,
 * which the outbox sends on every change of a row's state.
 */
import { create } from 'zustand'
import type { QueueItem } from '../../../shared/contract'
import { api } from '../api/client'

interface QueueState {
  items: QueueItem[]
  loaded: boolean
  error: string | null
  load(): Promise<void>
}

let loading: Promise<void> | null = null
let again = false

export const useQueueStore = create<QueueState>((set) => ({
  items: [],
  loaded: false,
  error: null,
  async load() {
    // One load at a time; a burst of events while it runs becomes one more load.
    if (loading) {
      again = true
      return loading
    }
    loading = (async () => {
      do {
        again = false
        const r = await api.queue.list({})
        if (!r.ok) set({ error: r.error.message, loaded: true })
        else set({ items: r.value, loaded: true, error: null })
      } while (again)
    })().finally(() => {
      loading = null
    })
    return loading
  },
}))
