import { useUi } from '../state/ui-store'

/** What just happened, in plain words; announced to screen readers as it appears. */
export function Toasts() {
  const { toasts, dismiss } = useUi()
  return (
    <div className="toasts" role="status" aria-live="polite" data-testid="toasts">
      {toasts.map((t) => (
        <div key={t.id} className={`toast toast-${t.tone}`}>
          <span>{t.text}</span>
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
