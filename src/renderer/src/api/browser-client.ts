/**
 * The transport used under the browser host: HTTP POST per method, a streamed GET for events.
 * The session token arrives once in the page's own address (`?token=`); it is moved into this
 * tab's sessionStorage (scoped to this origin, port included, unlike a cookie) and removed from the
 * address bar, then sent in the `x-frontdesk-token` header on every call.
 */
import { buildClient, eventSchemas, type EventName, type FrontdeskApi } from '../../../shared/contract'
import type { Result } from '../../../shared/result'

const TOKEN_HEADER = 'x-frontdesk-token'
const TOKEN_KEY = 'frontdesk.session'

/** Take the token from the address once, keep it for this tab, and clean the address. */
export function takeSessionToken(): string | null {
  const url = new URL(window.location.href)
  const fromUrl = url.searchParams.get('token')
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl)
    url.searchParams.delete('token')
    window.history.replaceState(window.history.state, '', url.pathname + url.search + url.hash)
    return fromUrl
  }
  return sessionStorage.getItem(TOKEN_KEY)
}

const lostSession = {
  ok: false as const,
  error: {
    code: 'auth' as const,
    message: 'This page has lost its session. Open the link the host printed again.',
    retryable: false,
  },
}

export function createBrowserClient(base = '', token: string | null = takeSessionToken()): FrontdeskApi {
  let streaming = false
  const listeners = new Map<EventName, Set<(p: unknown) => void>>()
  const known = new Set<string>(Object.keys(eventSchemas))

  const deliver = (name: string, data: string) => {
    if (!known.has(name)) return
    const payload = JSON.parse(data) as unknown
    for (const l of listeners.get(name as EventName) ?? []) l(payload)
  }

  /** Server-sent events over fetch (EventSource cannot send a header); reconnects after a drop. */
  const stream = async () => {
    for (let delay = 1000; ; delay = Math.min(delay * 2, 15_000)) {
      try {
        const res = await fetch(`${base}/api/events`, { headers: { [TOKEN_HEADER]: token ?? '' } })
        if (res.status === 403 || !res.body) return
        delay = 1000
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader()
        let buffer = ''
        for (;;) {
          const { value, done } = await reader.read()
          if (done) break
          buffer += value
          let end: number
          while ((end = buffer.indexOf('\n\n')) !== -1) {
            const frame = buffer.slice(0, end)
            buffer = buffer.slice(end + 2)
            let name = 'message'
            const data: string[] = []
            for (const line of frame.split('\n')) {
              if (line.startsWith('event: ')) name = line.slice(7)
              else if (line.startsWith('data: ')) data.push(line.slice(6))
            }
            if (data.length) deliver(name, data.join('\n'))
          }
        }
      } catch {
        // The host went away; try again after the delay.
      }
      await new Promise((r) => setTimeout(r, delay))
    }
  }

  return buildClient(
    async (name, input) => {
      if (!token) return lostSession
      try {
        const res = await fetch(`${base}/api/call/${encodeURIComponent(name)}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', [TOKEN_HEADER]: token },
          body: JSON.stringify(input ?? {}),
        })
        if (res.status === 403) return lostSession
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
      if (!streaming && token) {
        streaming = true
        void stream()
      }
      const set = listeners.get(name) ?? new Set()
      set.add(listener)
      listeners.set(name, set)
      return () => set.delete(listener)
    },
  )
}
