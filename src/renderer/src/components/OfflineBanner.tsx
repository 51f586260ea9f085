import type { ConnectionStatus } from '../../../shared/contract'
import type { Connection } from '../../../shared/model'
import { formatDateTime, formatTime, todayIn } from '../lib/format'
import { useAppStore } from '../state/app-store'
import { useUi } from '../state/ui-store'
import { useShallow } from 'zustand/react/shallow'

/** A clock time today, or the day and time otherwise, in the clinic's zone. */
function at(iso: string | null, c: Connection | undefined): string {
  if (!iso) return 'never'
  const zone = c?.timeZone ?? 'Europe/London'
  const locale = c?.locale ?? 'en-GB'
  return todayIn(zone, new Date(iso)) === todayIn(zone)
    ? formatTime(iso, zone, locale)
    : formatDateTime(iso, zone, locale)
}

const changes = (n: number) => `${n} change${n === 1 ? '' : 's'}`

/**
 * Nothing hidden: a connection that is offline says so, since when, when it last synced, and what
 * is waiting; changes a clinic system refused are counted too. The strip is always there (one line
 * when all is well) so screen readers hear changes politely and the screen does not jump.
 */
export function OfflineBanner() {
  const { connections, status } = useAppStore(
    useShallow((s) => ({ connections: s.connections, status: s.status })),
  )
  const go = useUi((s) => s.go)
  const offline = status.filter((s) => !s.online)
  const attentionOnline = status.filter((s) => s.online && s.needsAttention > 0)
  const label = (s: ConnectionStatus) =>
    connections.find((x) => x.id === s.connectionId)?.label ?? s.connectionId
  const conn = (s: ConnectionStatus) => connections.find((x) => x.id === s.connectionId)
  const quiet = offline.length === 0 && attentionOnline.length === 0
  const pendingOnline = status.filter((s) => s.online).reduce((n, s) => n + s.pending, 0)

  return (
    <div
      className={`connection-strip${quiet ? ' is-quiet' : ' is-alert'}`}
      role="status"
      aria-live="polite"
      data-testid="connection-strip"
    >
      <div className="strip-lines">
        {status.length === 0 ? (
          <p className="strip-line">Checking the clinic systems…</p>
        ) : quiet ? (
          <p className="strip-line">
            All clinic systems online
            {pendingOnline > 0 ? ` · ${changes(pendingOnline)} waiting to be sent` : ' · everything sent'}
          </p>
        ) : null}
        {offline.map((s) => (
          <p key={s.connectionId} className="strip-line offline-banner-line" data-testid="offline-banner">
            <strong>{label(s)} is offline</strong> since {at(s.since, conn(s))} · last synced{' '}
            {at(s.lastSuccessAt, conn(s))} · {changes(s.pending)} waiting to be sent
            {s.needsAttention > 0
              ? ` · ${s.needsAttention} need${s.needsAttention === 1 ? 's' : ''} attention`
              : ''}
          </p>
        ))}
        {attentionOnline.map((s) => (
          <p key={s.connectionId} className="strip-line attention-line" data-testid="attention-banner">
            <strong>
              {changes(s.needsAttention)} for {label(s)} need{s.needsAttention === 1 ? 's' : ''} attention
            </strong>
            {s.pending > 0 ? ` · ${changes(s.pending)} waiting to be sent` : ''}
          </p>
        ))}
      </div>
      {!quiet && (
        <button type="button" className="secondary strip-button" onClick={() => go('queue')}>
          Open the queue
        </button>
      )}
    </div>
  )
}
