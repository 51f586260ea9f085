/**
 * The renderer's one data layer: answers from the main process cached by TanStack Query, keyed by
 * contract method and input (`['reference.get', { connectionId }]`), kept until an event from the
 * main process says they changed. Nothing here polls: what changes is pushed.
 *
 * Contract calls answer a `Result`; a failed one is thrown as `FailedAnswer` so the cache never keeps
 * it (the next screen to need the data asks afresh), and callers get the `Result` back unchanged.
 */
import { QueryClient, type QueryKey } from '@tanstack/react-query'
import type { AppError, Result } from '../../../shared/result'

export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // Fresh until an event invalidates it; kept while the app runs (a session's worth of data).
      staleTime: Infinity,
      gcTime: Infinity,
      // The main process already retries what is worth retrying; a failure is shown, not repeated.
      retry: false,
      refetchOnWindowFocus: false,
      refetchOnReconnect: false,
    },
  },
})

/** Queries (by hash) a change arrived for while they were being read: read again once that read ends. */
const readAgain = new Set<string>()
queryClient.getQueryCache().subscribe((event) => {
  if (event.type !== 'updated' || (event.action.type !== 'success' && event.action.type !== 'error')) return
  if (readAgain.delete(event.query.queryHash))
    void queryClient.invalidateQueries({ queryKey: event.query.queryKey, exact: true })
})

/**
 * Says that what these queries hold has changed, without cancelling a read under way: one that is
 * being read is read again when that read ends, the rest at once (if on screen). A stream of
 * changes then never starves a slow read, and the last change is always read.
 */
export function changed(queryKey: QueryKey): void {
  for (const query of queryClient.getQueryCache().findAll({ queryKey })) {
    if (query.state.fetchStatus === 'fetching') readAgain.add(query.queryHash)
    else void queryClient.invalidateQueries({ queryKey: query.queryKey, exact: true })
  }
}

/**
 * Puts what the main process has just answered (an action's result, a saved correction) into the
 * queries at once. A read of them under way was answered before the action, so when it ended it
 * would put the old value back until the next read: it is let go first (cancelling puts its query
 * back as it was before that read began, at once). A change that arrived during that read is still
 * read: setting the data ends the query's fetch state, which `readAgain` above answers.
 * `exact` sets that one query even if nothing holds it yet.
 */
export function setAnswered<T>(
  queryKey: QueryKey,
  update: (held: T | undefined) => T | undefined,
  { exact = false }: { exact?: boolean } = {},
): void {
  void queryClient.cancelQueries({ queryKey, exact })
  if (exact) queryClient.setQueryData<T>(queryKey, update)
  else queryClient.setQueriesData<T>({ queryKey, exact }, update)
}

/** A contract call's key: the method's name and its input. */
export const contractKey = <I>(method: string, input: I) => [method, input] as const

/** A failed answer, carried through the cache so the caller can have its `Result` back. */
export class FailedAnswer extends Error {
  constructor(readonly result: { ok: false; error: AppError }) {
    super(result.error.message)
  }
}

/** A query function from a contract call: the value on success, `FailedAnswer` otherwise. */
export function answerOf<T>(call: () => Promise<Result<T>>): () => Promise<T> {
  return async () => {
    const r = await call()
    if (!r.ok) throw new FailedAnswer(r)
    return r.value
  }
}

/** Reads through the cache as a `Result`: cached data, or one call however many callers ask at once. */
export async function fetchResult<T>(queryKey: QueryKey, call: () => Promise<Result<T>>): Promise<Result<T>> {
  try {
    return { ok: true, value: await queryClient.fetchQuery({ queryKey, queryFn: answerOf(call) }) }
  } catch (e) {
    if (e instanceof FailedAnswer) return e.result
    throw e
  }
}
