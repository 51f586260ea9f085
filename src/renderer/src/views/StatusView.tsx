import { vendorNames } from '../../../shared/model'
import { useAppStore } from '../state/app-store'
import { useShallow } from 'zustand/react/shallow'

function StatusItem({ label, ok, detail }: { label: string; ok: boolean; detail: string }) {
  return (
    <li
      className={`status-item ${ok ? 'is-ok' : 'is-warn'}`}
      aria-label={`${label}: ${ok ? 'working' : 'needs attention'}`}
    >
      <span className="status-dot" aria-hidden="true" />
      <strong>{label}</strong>
      <span>{detail}</span>
    </li>
  )
}

/** This computer and each connection: is the store encrypted, the keychain there, each vendor answering? */
export function StatusView() {
  const { health, connections, checks } = useAppStore(
    useShallow((s) => ({ health: s.health, connections: s.connections, checks: s.checks })),
  )
  return (
    <div className="view-grid">
      <section aria-labelledby="status-heading" className="panel">
        <h2 id="status-heading">This computer</h2>
        {health ? (
          <ul className="status-list" data-testid="health">
            <StatusItem label="Local database" ok={health.store.ok} detail={health.store.detail} />
            <StatusItem label="Keychain" ok={health.keychain.ok} detail={health.keychain.detail} />
          </ul>
        ) : (
          <p>Checking…</p>
        )}
      </section>
      <section aria-labelledby="connections-heading" className="panel">
        <h2 id="connections-heading">Connections</h2>
        {connections.length === 0 ? (
          <p>No clinic systems are connected yet.</p>
        ) : (
          <ul className="status-list" data-testid="connections">
            {connections.map((c) => {
              const check = checks[c.id]
              return (
                <StatusItem
                  key={c.id}
                  label={`${c.label} (${vendorNames[c.vendor]})`}
                  ok={check?.ok ?? false}
                  detail={check ? check.detail : 'Checking…'}
                />
              )
            })}
          </ul>
        )}
      </section>
    </div>
  )
}
