/**
 * The queue panel: every change that has not reached a clinic system yet, per connection, in plain
 * words, with what the clinic system said and what a receptionist can do about it.
 */
import { useRef, useState } from 'react'
import { vendorNames } from '../../../shared/model'
import { api } from '../api/client'
import { formatDateTime } from '../lib/format'
import { useAppStore } from '../state/app-store'
import { ORDER_RULE } from './describe'
import { useQueue } from './queue-store'
import { QueueRow } from './QueueRow'
import { useNow } from './useNow'
import { useShallow } from 'zustand/react/shallow'

export function QueueView() {
  const { items, loaded, error } = useQueue()
  const { connections, status } = useAppStore(
    useShallow((s) => ({ connections: s.connections, status: s.status })),
  )
  const now = useNow(1000)
  const headingRef = useRef<HTMLHeadingElement>(null)
  const [sendProblem, setSendProblem] = useState<string | null>(null)

  async function sendAll(connectionId: string) {
    const r = await api.queue.sendNow({ connectionId })
    setSendProblem(r.ok ? null : r.error.message)
  }

  const byConnection = connections
    .map((c) => ({ connection: c, rows: items.filter((i) => i.connectionId === c.id) }))
    .filter((g) => g.rows.length > 0)
  const clear = connections.filter((c) => !items.some((i) => i.connectionId === c.id))
  const attention = items.filter((i) => i.state === 'needs-attention').length
  const waiting = items.length - attention

  return (
    <div className="queue-view" data-testid="queue-view">
      <h2 id="queue-heading" ref={headingRef} tabIndex={-1}>
        Changes waiting to reach the clinic systems
      </h2>
      <p className="queue-summary" data-testid="queue-summary">
        {!loaded
          ? 'Loading the queue…'
          : items.length === 0
            ? 'Nothing is waiting: every change has reached its clinic system.'
            : `${waiting} waiting to send · ${attention} need${attention === 1 ? 's' : ''} attention`}
      </p>
      <p className="queue-order" data-testid="queue-order">
        {ORDER_RULE}
      </p>
      {(error ?? sendProblem) && (
        <p role="alert" className="error">
          {error ?? sendProblem}
        </p>
      )}
      {byConnection.map(({ connection, rows }) => {
        const s = status.find((x) => x.connectionId === connection.id)
        const online = s?.online ?? true
        return (
          <section
            key={connection.id}
            className="panel queue-group"
            aria-labelledby={`queue-conn-${connection.id}`}
            data-testid={`queue-group-${connection.id}`}
          >
            <h3 id={`queue-conn-${connection.id}`}>
              {connection.label} <span className="queue-vendor">({vendorNames[connection.vendor]})</span>
            </h3>
            <p className={`queue-conn-state ${online ? 'is-online' : 'is-offline'}`}>
              {online
                ? 'Online'
                : `Offline since ${s ? formatDateTime(s.since, connection.timeZone, connection.locale) : '—'}`}
              {' · last synced '}
              {s?.lastSuccessAt
                ? formatDateTime(s.lastSuccessAt, connection.timeZone, connection.locale)
                : 'not yet'}
            </p>
            {online && rows.some((r) => r.state === 'pending' && r.kind !== 'checkDuplicate') && (
              <button type="button" className="secondary" onClick={() => void sendAll(connection.id)}>
                Send all now
              </button>
            )}
            <ul className="queue-list" aria-label={`Changes for ${connection.label}`}>
              {rows.map((item) => (
                <QueueRow
                  key={item.seq}
                  item={item}
                  connection={connection}
                  online={online}
                  now={now}
                  // A duplicate check is discarded alone (it follows a write already done).
                  later={
                    item.kind === 'checkDuplicate'
                      ? 0
                      : rows.filter((r) => r.entityKey === item.entityKey && r.seq > item.seq).length
                  }
                  onDone={() => headingRef.current?.focus()}
                />
              ))}
            </ul>
          </section>
        )
      })}
      {loaded && clear.length > 0 && items.length > 0 && (
        <p className="queue-clear">All sent: {clear.map((c) => c.label).join(', ')}.</p>
      )}
    </div>
  )
}
