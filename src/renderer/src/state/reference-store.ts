import { useQuery } from '@tanstack/react-query'
import { useSyncExternalStore } from 'react'
import type { ReferenceData } from '../../../shared/contract'
import type { Result } from '../../../shared/result'
import { api } from '../api/client'
import { answerOf, contractKey, fetchResult, queryClient } from '../data/query-client'

/**
 * Each connection's reference data (types, practitioners, locations, capabilities), asked of the
 * main process once per session and shared by every screen through the query cache. It changes
 * only when the background refresh re-reads it from the clinic system, so the end of that phase
 * asks again. A failed answer is not kept: the next screen to need it asks afresh.
 */
const METHOD = 'reference.get'
const keyOf = (connectionId: string) => contractKey(METHOD, { connectionId })
const ask = (connectionId: string) => () => api.reference.get({ connectionId })

/** The connection's reference data: from this session's copy, or asked once however many screens want it. */
export function referenceOf(connectionId: string): Promise<Result<ReferenceData>> {
  return fetchResult(keyOf(connectionId), ask(connectionId))
}

/** The connection's reference data for a screen (undefined until known, or with no connection). */
export function useReference(connectionId: string | undefined): ReferenceData | undefined {
  return useQuery(
    {
      queryKey: keyOf(connectionId ?? ''),
      queryFn: answerOf(ask(connectionId ?? '')),
      enabled: !!connectionId,
    },
    queryClient,
  ).data
}

/** Every connection's reference data known so far, by connection id (the day book's lanes). */
export function useReferences(): Record<string, ReferenceData> {
  return useSyncExternalStore(subscribeReferences, knownReferences)
}

/** What a connection can do through its API (undefined until known); screens disable the rest, saying why. */
export function useCapabilities(connectionId: string): ReferenceData['capabilities'] | undefined {
  return useReference(connectionId)?.capabilities
}

// One snapshot object until a reference answer changes, so screens render again only then; kept
// by one subscription to the cache for every screen that listens.
let known: Record<string, ReferenceData> = {}
const listeners = new Set<() => void>()
queryClient.getQueryCache().subscribe((event) => {
  if (event.query.queryKey[0] !== METHOD || event.type !== 'updated') return
  const next: Record<string, ReferenceData> = {}
  for (const [key, data] of queryClient.getQueriesData<ReferenceData>({ queryKey: [METHOD] }))
    if (data) next[(key[1] as { connectionId: string }).connectionId] = data
  const changed =
    Object.keys(next).length !== Object.keys(known).length ||
    Object.entries(next).some(([id, data]) => known[id] !== data)
  if (!changed) return
  known = next
  for (const l of listeners) l()
})
function knownReferences(): Record<string, ReferenceData> {
  return known
}
function subscribeReferences(onChange: () => void): () => void {
  listeners.add(onChange)
  return () => listeners.delete(onChange)
}

// The background refresh has re-read this connection's reference data: ask for the new copy if it
// was ever asked for (the screens showing the old one update when it arrives).
api.events.syncProgress((p) => {
  if (p.phase !== 'reference' || p.done !== p.total) return
  void queryClient.invalidateQueries({ queryKey: keyOf(p.connectionId), refetchType: 'all' })
})
