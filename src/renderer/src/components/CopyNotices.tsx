/**
 * What a day screen says about where its data came from: a load error, and each clinic system
 * whose column is Frontdesk's copy (offline or slow), with its age and why. Shared by the day book
 * and the waiting room so both say it the same way.
 */
import type { DayColumn } from '../../../shared/contract'
import { ago } from '../lib/format'

export function CopyNotices({ error, columns }: { error: string | null; columns: DayColumn[] | null }) {
  return (
    <>
      {error ? (
        <p role="alert" className="error">
          {error}
        </p>
      ) : null}
      {(columns ?? [])
        .filter((c) => c.fromCache)
        .map((c) => (
          <p key={c.connectionId} className="cache-notice" data-testid="cache-notice">
            <strong>{c.label}: showing Frontdesk’s copy</strong> from {ago(c.asOf)}. {c.problem}
          </p>
        ))}
    </>
  )
}
