/**
 * The transport used under the browser host: HTTP POST per method, server-sent events for events.
 * The session cookie set by the host authenticates both; nothing here holds a secret.
 */
import { buildClient, eventSchemas, type EventName, type FrontdeskApi } from '../../../shared/contract'
import type { Result } from '../../../shared/result'

export function createBrowserClient(base = ''): FrontdeskApi {
  let source: EventSource | null = null
  const listeners = new Map<EventName, Set<(p: unknown) => void>>()

  const ensureSource = () => {
    if (source) return
    source = new EventSource(`${base}/api/events`)
    for (const name of Object.keys(eventSchemas) as EventName[]) {
      source.addEventListener(name, (e) => {
        const payload = JSON.parse((e as MessageEvent<string>).data) as unknown
        for (const l of listeners.get(name) ?? []) l(payload)
      })
    }
  }

  return buildClient(
    async (name, input) => {
      try {
        const res = await fetch(`${base}/api/call/${encodeURIComponent(name)}`, {
          method: 'POST',
          credentials: 'same-origin',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(input ?? {}),
        })
        if (res.status === 403) {
          return {
            ok: false,
            error: {
              code: 'auth',
              message: 'This page has lost its session. Open the link the host printed again.',
              retryable: false,
            },
          }
        }
        return (await res.json()) as Result<unknown>
      } catch {
        return {
          ok: false,
          error: {
            code: 'offline',
            message: 'Frontdesk is not answering. Is the host still running?',
            retryable: true,
          },
        }
      }
    },
    (name, listener) => {
      ensureSource()
      const set = listeners.get(name) ?? new Set()
      set.add(listener)
      listeners.set(name, set)
      return () => set.delete(listener)
    },
  )
}
