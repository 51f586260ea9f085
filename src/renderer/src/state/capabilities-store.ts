import { useEffect } from 'react'
import { create } from 'zustand'
import type { ReferenceData } from '../../../shared/contract'
import { api } from '../api/client'

type Capabilities = ReferenceData['capabilities']

/** Each connection's capabilities, asked once per session: they change only with the vendor. */
const useStore = create<{ byConnection: Record<string, Capabilities> }>(() => ({ byConnection: {} }))
const asked = new Set<string>()

/** What a connection can do through its API (undefined until known); screens disable the rest, saying why. */
export function useCapabilities(connectionId: string): Capabilities | undefined {
  const caps = useStore((s) => s.byConnection[connectionId])
  useEffect(() => {
    if (asked.has(connectionId)) return
    asked.add(connectionId)
    void api.reference.get({ connectionId }).then((r) => {
      if (r.ok)
        useStore.setState((s) => ({
          byConnection: { ...s.byConnection, [connectionId]: r.value.capabilities },
        }))
      else asked.delete(connectionId)
    })
  }, [connectionId])
  return caps
}
