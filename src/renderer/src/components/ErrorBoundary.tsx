/**
 * One screen's failure stays in that screen: the header, navigation, search and the other screens
 * keep working, the receptionist reads what went wrong and has a way back (try again, or Today).
 */
import { Component, type ErrorInfo, type ReactNode } from 'react'

interface Props {
  /** What failed, in words: "the Today screen", "the booking dialog". */
  what: string
  children: ReactNode
  /** A way out besides trying again, e.g. closing the dialog or going to Today. */
  leave?: { label: string; onClick(): void }
}

interface State {
  error: Error | null
}

export class ErrorBoundary extends Component<Props, State> {
  override state: State = { error: null }

  static getDerivedStateFromError(error: unknown): State {
    return { error: error instanceof Error ? error : new Error(String(error)) }
  }

  override componentDidCatch(error: unknown, info: ErrorInfo) {
    // Kept for whoever looks at the console; the screen itself says what happened.
    console.warn(`Frontdesk: ${this.props.what} failed`, error, info.componentStack)
  }

  override render() {
    const { error } = this.state
    if (!error) return this.props.children
    const { what, leave } = this.props
    return (
      <section className="screen-error" role="alert" data-testid="screen-error">
        <h2>Something went wrong in {what}</h2>
        <p>
          Nothing you saved is lost: every change is kept on this computer and in the queue. The rest of
          Frontdesk still works.
        </p>
        <p className="screen-error-detail">
          What happened: <code>{error.message || error.name}</code>
        </p>
        <div className="screen-error-actions">
          <button type="button" className="primary" onClick={() => this.setState({ error: null })}>
            Try again
          </button>
          {leave ? (
            <button
              type="button"
              className="secondary"
              onClick={() => {
                leave.onClick()
                this.setState({ error: null })
              }}
            >
              {leave.label}
            </button>
          ) : null}
        </div>
      </section>
    )
  }
}
