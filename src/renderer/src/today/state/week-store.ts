/**
 * One practitioner's week: the seven days' columns of their clinic system (each of them, for a
 * clinician linked across clinic systems), each read as the day book reads a day (the clinic system asked, Frontdesk's copy when it cannot answer), and re-read
 * from the copy on the same events as the day book.
 */
import { create } from 'zustand'
import type { DayColumn } from '../../../../shared/contract'
import { api } from '../../api/client'
import { referenceOf } from '../../state/reference-store'

interface WeekState {
  /** `${connectionIds}|${firstDate}` the days are for; null before the first load. */
  key: string | null
  /** Each day in date order, with its clinic systems' columns. */
  days: { date: string; columns: DayColumn[] }[] | null
  loading: boolean
  error: string | null
  load(connectionIds: string[], dates: string[], opts?: { cacheOnly?: boolean }): Promise<void>
  refresh(): void
  /** The week view closed: stop re-reading on events. */
  clear(): void
}

let timer: ReturnType<typeof setTimeout> | undefined
let last: { connectionIds: string[]; dates: string[] } | null = null

export const weekKey = (connectionIds: string[], dates: string[]) => `${connectionIds.join(',')}|${dates[0]}`

export const useWeek = create<WeekState>((set, get) => ({
  key: null,
  days: null,
  loading: false,
  error: null,
  async load(connectionIds, dates, opts = {}) {
    const key = weekKey(connectionIds, dates)
    last = { connectionIds, dates }
    const same = get().key === key
    set({ key, loading: true, ...(same ? {} : { days: null, error: null }) })
    const answers = await Promise.all(
      dates.map((date) =>
        api.appointments.day({
          date,
          connectionIds,
          ...(opts.cacheOnly ? { cacheOnly: true } : {}),
        }),
      ),
    )
    // Another week or practitioner was chosen meanwhile: drop this answer.
    if (get().key !== key) return
    const failed = answers.find((r) => !r.ok)
    if (failed && !failed.ok) {
      set({ loading: false, error: failed.error.message })
      return
    }
    set({
      loading: false,
      error: null,
      days: dates.map((date, i) => {
        const r = answers[i]!
        return { date, columns: r.ok ? r.value.filter((c) => connectionIds.includes(c.connectionId)) : [] }
      }),
    })
    for (const c of connectionIds) void referenceOf(c)
  },
  refresh() {
    clearTimeout(timer)
    timer = setTimeout(() => {
      if (last && get().key) void get().load(last.connectionIds, last.dates, { cacheOnly: true })
    }, 300)
  },
  clear() {
    clearTimeout(timer)
    last = null
    set({ key: null, days: null, loading: false, error: null })
  },
}))

// The same events as the day book's: a change queued or sent, a connection come or gone, a refresh done.
api.events.queueChanged(() => useWeek.getState().refresh())
api.events.connectivityChanged(() => useWeek.getState().refresh())
api.events.syncProgress((p) => {
  if (p.done === p.total) useWeek.getState().refresh()
})
