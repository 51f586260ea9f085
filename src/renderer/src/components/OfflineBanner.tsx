import { useAppStore } from '../state/app-store'
import { ago } from '../lib/format'

/** Nothing hidden: a connection that is offline says so, since when, and what is waiting. */
export function OfflineBanner() {
  const { connections, status } = useAppStore()
  const offline = status.filter((s) => !s.online)
  if (offline.length === 0) return null
  return (
    <div className="offline-banner" role="status" aria-live="polite">
      {offline.map((s) => {
        const c = connections.find((x) => x.id === s.connectionId)
        return (
          <p key={s.connectionId}>
            <strong>{c?.label ?? s.connectionId} is offline</strong> since {ago(s.since)} · last synced{' '}
            {ago(s.lastSuccessAt)} · {s.pending} change{s.pending === 1 ? '' : 's'} waiting to be sent
          </p>
        )
      })}
    </div>
  )
}
