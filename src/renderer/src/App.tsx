import { useCallback, useEffect } from 'react'
import { ErrorBoundary } from './components/ErrorBoundary'
import { OfflineBanner } from './components/OfflineBanner'
import { Toasts } from './components/Toasts'
import { LockScreen } from './desk/LockScreen'
import { reportActivity, useDesk } from './desk/desk-store'
import { GlobalSearch } from './search/GlobalSearch'
import { useAppStore } from './state/app-store'
import { useUi, type ViewId } from './state/ui-store'
import { views } from './views/registry'
import { useShallow } from 'zustand/react/shallow'

/** The shell: header with the search box, navigation, the offline banner, the chosen screen. */
export function App() {
  const { info, error, load, status } = useAppStore(
    useShallow((s) => ({ info: s.info, error: s.error, load: s.load, status: s.status })),
  )
  const { view, go, showToday, setSearchOpen } = useUi(
    useShallow((u) => ({ view: u.view, go: u.go, showToday: u.showToday, setSearchOpen: u.setSearchOpen })),
  )
  const {
    desk,
    load: loadDesk,
    lock,
  } = useDesk(useShallow((s) => ({ desk: s.desk, load: s.load, lock: s.lock })))
  // Today always means the clinic's today, whichever day the day book showed last.
  const open = useCallback((id: ViewId) => (id === 'today' ? showToday() : go(id)), [go, showToday])

  useEffect(() => {
    void load()
    void loadDesk()
  }, [load, loadDesk])

  // A key or a click is someone using the app: the idle lock waits (reported at most every 15 s).
  useEffect(() => {
    window.addEventListener('keydown', reportActivity, true)
    window.addEventListener('pointerdown', reportActivity, true)
    return () => {
      window.removeEventListener('keydown', reportActivity, true)
      window.removeEventListener('pointerdown', reportActivity, true)
    }
  }, [])

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const typing =
        e.target instanceof HTMLElement && e.target.closest('input, textarea, select, [contenteditable]')
      if ((e.key === '/' && !typing) || (e.key.toLowerCase() === 'k' && (e.ctrlKey || e.metaKey))) {
        e.preventDefault()
        setSearchOpen(true)
        document.getElementById('global-search-input')?.focus()
      } else if (e.altKey && !e.ctrlKey) {
        const target = views.find((v) => v.key === e.key && !v.hidden)
        if (target) {
          e.preventDefault()
          open(target.id)
        }
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [open, setSearchOpen])

  const current = views.find((v) => v.id === view) ?? views[0]!
  const Current = current.component
  const waiting = status.reduce((n, s) => n + s.pending + s.needsAttention, 0)

  const locked = !!desk?.locked

  return (
    <>
      {/* Locked, the app stays mounted (nothing half typed is lost) but hidden and out of reach. */}
      <div
        className="shell"
        inert={locked}
        aria-hidden={locked || undefined}
        data-locked={locked || undefined}
      >
        <header className="topbar">
          <h1>Frontdesk</h1>
          {info && (
            <span className="version" data-testid="app-version">
              Version {info.version}
              {info.demo ? ' · Demo clinic' : ''}
            </span>
          )}
          <GlobalSearch />
          {desk?.current && (
            <span className="desk-person" data-testid="desk-person">
              <span className="muted">At the desk:</span> <strong>{desk.current.name}</strong>{' '}
              <button type="button" className="link-button" onClick={() => void lock()}>
                Switch person
              </button>
            </span>
          )}
        </header>
        <nav className="nav" aria-label="Main">
          {views
            .filter((v) => !v.hidden)
            .map((v) => (
              <button
                key={v.id}
                type="button"
                className="nav-item"
                aria-current={v.id === current.id ? 'page' : undefined}
                onClick={() => open(v.id)}
                title={v.key ? `Alt+${v.key}` : undefined}
              >
                {v.label}
                {v.id === 'queue' && waiting > 0 ? <span className="badge">{waiting}</span> : null}
              </button>
            ))}
        </nav>
        <OfflineBanner />
        <main className="content" id="main">
          {error && (
            <p role="alert" className="error">
              {error.message}
            </p>
          )}
          <ErrorBoundary
            key={current.id}
            what={`the ${current.label} screen`}
            leave={
              current.id === 'today'
                ? { label: 'Back to today', onClick: () => useUi.getState().showToday() }
                : { label: 'Go to Today', onClick: () => useUi.getState().showToday() }
            }
          >
            <Current />
          </ErrorBoundary>
        </main>
        <Toasts />
      </div>
      {locked && desk && <LockScreen desk={desk} />}
    </>
  )
}
