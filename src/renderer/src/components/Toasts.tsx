import { useUi } from '../state/ui-store'
import { useShallow } from 'zustand/react/shallow'

/** What just happened, in plain words; announced to screen readers as it appears. */
export function Toasts() {
  const { toasts, dismiss } = useUi(useShallow((u) => ({ toasts: u.toasts, dismiss: u.dismiss })))
  // The appointment drawer sits at the right: messages move to the left so they never hide its buttons.
  const drawerOpen = useUi((s) => s.view === 'today' && !!s.appointmentId)
  return (
    <div
      className={`toasts${drawerOpen ? ' toasts-beside-drawer' : ''}`}
      role="status"
      aria-live="polite"
      data-testid="toasts"
    >
      {toasts.map((t) => (
        <div key={t.id} className={`toast toast-${t.tone}`}>
          <span>{t.text}</span>
          {t.action ? (
            <button type="button" className="secondary toast-action" onClick={t.action.run}>
              {t.action.label}
            </button>
          ) : null}
          <button
            type="button"
            className="link-button"
            onClick={() => dismiss(t.id)}
            aria-label="Dismiss message"
          >
            ×
          </button>
        </div>
      ))}
    </div>
  )
}
