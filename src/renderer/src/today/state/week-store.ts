/**
 * One practitioner's week: the seven days' columns of their clinic system (each of them, for a
 * clinician linked across clinic systems), each a day query of the day book's (`today-store`):
 * read as the day book reads a day (the clinic system asked, Frontdesk's copy when it cannot
 * answer), and re-read from the copy on the same events.
 */
import { type QueryObserverResult, useQueries } from '@tanstack/react-query'
import { useCallback, useEffect } from 'react'
import type { DayColumn } from '../../../../shared/contract'
import { queryClient } from '../../data/query-client'
import { dayQuery, loadDay } from './today-store'

export interface Week {
  /** Each day in date order, with its clinic systems' columns; null until every day is read. */
  days: { date: string; columns: DayColumn[] }[] | null
  loading: boolean
  error: string | null
  /** Reads the week again, asking the clinic systems. */
  reload(): Promise<void>
}

/** The week of `dates` for `connectionIds` while `on`; choosing it asks the clinic systems. */
export function useWeek(on: boolean, connectionIds: string[], dates: string[]): Week {
  const active = on && connectionIds.length > 0
  const loadWeek = useCallback(
    () => Promise.all(dates.map((d) => loadDay(d, connectionIds))).then(() => undefined),
    [connectionIds, dates],
  )
  useEffect(() => {
    if (active) void loadWeek()
  }, [active, loadWeek])
  // One function while the week and practitioner stay: the cache then hands back the same week
  // object until a day's answer changes, and the lanes are not laid out again for nothing.
  const combine = useCallback(
    (results: QueryObserverResult<DayColumn[]>[]): Week => {
      const failed = results.find((r) => r.error)
      const complete = active && results.every((r) => r.data)
      return {
        days: complete
          ? dates.map((date, i) => ({
              date,
              columns: results[i]!.data!.filter((c) => connectionIds.includes(c.connectionId)),
            }))
          : null,
        loading: results.some((r) => r.isFetching),
        error: failed?.error ? failed.error.message : null,
        reload: loadWeek,
      }
    },
    [active, connectionIds, dates, loadWeek],
  )
  return useQueries(
    { queries: dates.map((date) => ({ ...dayQuery(date, connectionIds), enabled: active })), combine },
    queryClient,
  )
}
