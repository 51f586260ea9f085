/** The audit log: who did what, when, on which clinic system, and how it ended; newest first. */
import { useQuery } from '@tanstack/react-query'
import { useMemo, useState } from 'react'
import type { AuditEntry } from '../../../shared/contract'
import { foldText } from '../../../shared/fold-text'
import type { Connection } from '../../../shared/model'
import { api } from '../api/client'
import { answerOf, changed, contractKey, queryClient } from '../data/query-client'
import { useAppStore } from '../state/app-store'
import { actionWords, normalise, outcomeWords, summarise, whenWords } from './describe'

const AUDIT_KEY = contractKey('audit.list', { limit: 1000 })
const normaliseAll = (entries: AuditEntry[]) => entries.map(normalise)
// Every queued change, and every answer to one, writes the log: read it again then.
api.events.queueChanged(() => changed(['audit.list']))

export function AuditView() {
  const connections = useAppStore((s) => s.connections)
  const [filter, setFilter] = useState('')
  // One call: each entry comes with the patient it was for, named as Frontdesk's copy has them.
  const audit = useQuery(
    { queryKey: AUDIT_KEY, queryFn: answerOf(() => api.audit.list({ limit: 1000 })), select: normaliseAll },
    queryClient,
  )
  const entries = audit.data ?? null
  const error = audit.error ? audit.error.message : null

  const names = useMemo(() => {
    const known: Record<string, string> = {}
    for (const e of entries ?? []) if (e.patientId && e.patientName) known[e.patientId] = e.patientName
    return known
  }, [entries])
  const byId = useMemo(() => new Map<string, Connection>(connections.map((c) => [c.id, c])), [connections])
  const rows = useMemo(() => {
    // "Sent" and "refused" entries carry no change of their own: borrow the one it was queued with.
    const changeOf = new Map<string, string>()
    for (const e of [...(entries ?? [])].reverse())
      if (e.entityId && e.change && !changeOf.has(e.entityId)) changeOf.set(e.entityId, e.change)
    return (entries ?? [])
      .map((e) => (e.change || !e.entityId ? e : { ...e, change: changeOf.get(e.entityId) ?? null }))
      .map((e) => {
        const c = e.connectionId ? byId.get(e.connectionId) : undefined
        const summary = summarise(e, c, names)
        const row = {
          entry: e,
          when: whenWords(e.at, c),
          who: e.actor,
          connection: c?.label ?? e.connectionId ?? '—',
          what: `${actionWords(e)}${summary ? ` — ${summary}` : ''}`,
          outcome: outcomeWords(e.outcome),
          detail: e.detail ?? '',
        }
        const text = [row.when, row.who, row.connection, row.what, row.outcome, row.detail].join(' ')
        // Folded as the filter is, so "Yilmaz" finds YILMAZ and YILMAZ finds Yılmaz.
        return { ...row, text: foldText(text) }
      })
  }, [entries, byId, names])
  const words = foldText(filter).trim().split(/\s+/).filter(Boolean)
  const shown = words.length ? rows.filter((r) => words.every((w) => r.text.includes(w))) : rows

  return (
    <div className="audit-view" data-testid="audit-view">
      <h2>Audit log</h2>
      <div className="audit-filter">
        <label htmlFor="audit-filter">Filter</label>
        <input
          id="audit-filter"
          type="search"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
          placeholder="Name, action, clinic, outcome…"
          aria-describedby="audit-count"
          autoComplete="off"
        />
        <span id="audit-count" className="muted" role="status">
          {entries === null
            ? 'Loading…'
            : `${shown.length} of ${rows.length} entr${rows.length === 1 ? 'y' : 'ies'}, newest first`}
        </span>
      </div>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <div className="audit-table-wrap">
        <table className="audit-table" data-testid="audit-table">
          <caption className="visually-hidden">Audit log, newest first</caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Who</th>
              <th scope="col">Clinic system</th>
              <th scope="col">What</th>
              <th scope="col">Outcome</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((r) => (
              <tr key={r.entry.id} data-testid="audit-row" className={`outcome-${r.entry.outcome}`}>
                <td className="audit-when">{r.when}</td>
                <td>{r.who}</td>
                <td>{r.connection}</td>
                <td>{r.what}</td>
                <td>
                  <span className="audit-outcome">{r.outcome}</span>
                  {r.detail ? <div className="muted audit-detail">{r.detail}</div> : null}
                </td>
              </tr>
            ))}
            {entries !== null && shown.length === 0 && (
              <tr>
                <td colSpan={5}>
                  {rows.length === 0 ? 'Nothing has been recorded yet.' : 'No entries match the filter.'}
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </div>
  )
}
