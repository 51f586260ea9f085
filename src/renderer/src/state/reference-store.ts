import { useEffect } from 'react'
import { create } from 'zustand'
import type { ReferenceData } from '../../../shared/contract'
import type { Result } from '../../../shared/result'
import { api } from '../api/client'

/**
 * Each connection's reference data (types, practitioners, locations, capabilities), asked of the
 * main process once per session and shared by every screen. It changes only when the background
 * refresh re-reads it from the clinic system, so the end of that phase asks again. A failed answer
 * is not kept: the next screen to need it asks afresh.
 */
const useStore = create<{ byConnection: Record<string, ReferenceData> }>(() => ({ byConnection: {} }))
const asked = new Map<string, Promise<Result<ReferenceData>>>()

/** The connection's reference data: from this session's copy, or asked once however many screens want it. */
export function referenceOf(connectionId: string): Promise<Result<ReferenceData>> {
  const known = asked.get(connectionId)
  if (known) return known
  const answer = api.reference.get({ connectionId }).then((r) => {
    if (r.ok) useStore.setState((s) => ({ byConnection: { ...s.byConnection, [connectionId]: r.value } }))
    else if (asked.get(connectionId) === answer) asked.delete(connectionId)
    return r
  })
  asked.set(connectionId, answer)
  return answer
}

/** The connection's reference data for a screen (undefined until known, or with no connection). */
export function useReference(connectionId: string | undefined): ReferenceData | undefined {
  const reference = useStore((s) => (connectionId ? s.byConnection[connectionId] : undefined))
  useEffect(() => {
    if (connectionId) void referenceOf(connectionId)
  }, [connectionId])
  return reference
}

/** Every connection's reference data known so far, by connection id (the day book's lanes). */
export function useReferences(): Record<string, ReferenceData> {
  return useStore((s) => s.byConnection)
}

/** What a connection can do through its API (undefined until known); screens disable the rest, saying why. */
export function useCapabilities(connectionId: string): ReferenceData['capabilities'] | undefined {
  return useReference(connectionId)?.capabilities
}

// The background refresh has re-read this connection's reference data: ask for the new copy (the
// screens showing the old one update when it arrives).
api.events.syncProgress((p) => {
  if (p.phase !== 'reference' || p.done !== p.total) return
  asked.delete(p.connectionId)
  if (useStore.getState().byConnection[p.connectionId]) void referenceOf(p.connectionId)
})
