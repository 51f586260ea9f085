/** What every Healthie resolver module shares: the request context, input reading, connections and payloads. */
import { GraphQLError } from 'graphql'
import { DateTime } from 'luxon'
import { type Clock } from '../../core'
import { type HealthieState, type HealthieUser } from '../state'

export interface HealthieContext {
  state: HealthieState
  clock: Clock
  recordWrite(operation: string, input: unknown, outcome: 'applied' | 'rejected', result?: unknown): void
  /**
   * How list queries answer for the request's API version: Relay connections (2026-01-01), or plain
   * lists paged by `offset`, `page_size` and `should_paginate` (the 2024-06-01 baseline).
   */
  lists: 'connection' | 'plain'
}

export type Args = Record<string, unknown>
export interface FieldError {
  field: string | null
  message: string
}

export const str = (v: unknown): string | undefined =>
  typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined
export const obj = (v: unknown): Args => (typeof v === 'object' && v !== null ? (v as Args) : {})
export const idOf = (v: unknown): string | undefined =>
  v === undefined || v === null || v === '' ? undefined : String(v)
export const bad = (message: string) => new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } })

// ---------- connections ----------

const encodeCursor = (offset: number) => Buffer.from(String(offset)).toString('base64')
function decodeCursor(cursor: string): number {
  const n = Number(Buffer.from(cursor, 'base64').toString('utf8'))
  if (!Number.isInteger(n) || n < 1) throw bad(`Invalid cursor: ${cursor}`)
  return n
}

/** Relay connection over an already filtered and sorted list; cursors are 1-based offsets, base64-encoded. */
export function connection<T>(items: T[], args: Args, state: HealthieState) {
  let from = 0
  let to = items.length
  if (typeof args.after === 'string') from = Math.min(decodeCursor(args.after), items.length)
  if (typeof args.before === 'string')
    to = Math.max(from, Math.min(decodeCursor(args.before) - 1, items.length))
  const limit = (v: unknown) => {
    if (typeof v !== 'number') return undefined
    if (v < 0) throw bad('first and last must not be negative')
    return Math.min(v, state.options.maxPageSize)
  }
  const first = limit(args.first)
  const last = limit(args.last)
  if (first !== undefined) to = Math.min(to, from + first)
  else if (last === undefined) to = Math.min(to, from + state.options.defaultPageSize)
  if (last !== undefined) from = Math.max(from, to - last)
  const edges = items.slice(from, to).map((node, i) => ({ node, cursor: encodeCursor(from + i + 1) }))
  return {
    edges,
    nodes: edges.map((e) => e.node),
    page_info: {
      has_next_page: to < items.length,
      has_previous_page: from > 0,
      start_cursor: edges[0]?.cursor ?? null,
      end_cursor: edges[edges.length - 1]?.cursor ?? null,
    },
    total_count: items.length,
  }
}

/**
 * A list query's answer in the request's version's shape (see `HealthieContext.lists`). A plain list
 * is the whole list unless `should_paginate` (or an `offset`) asks for one page of `page_size`; the
 * baseline schema's argument defaults decide which queries page unasked (baseline.ts).
 */
export function listAnswer<T>(items: T[], args: Args, ctx: HealthieContext) {
  if (ctx.lists === 'connection') return connection(items, args, ctx.state)
  const offset = typeof args.offset === 'number' ? args.offset : 0
  if (offset < 0) throw bad('offset must not be negative')
  // Where a query has no should_paginate (organizationMembers), a page_size means pages.
  const paged =
    args.should_paginate === true ||
    (args.should_paginate === undefined && typeof args.page_size === 'number') ||
    offset > 0
  if (!paged) return items
  const size = typeof args.page_size === 'number' ? args.page_size : ctx.state.options.defaultPageSize
  if (size < 0) throw bad('page_size must not be negative')
  return items.slice(offset, offset + Math.min(size, ctx.state.options.maxPageSize))
}

// ---------- time ----------

export const iso = (ms: number, zone: string) =>
  DateTime.fromMillis(ms, { zone }).toISO({ suppressMilliseconds: true }) ?? new Date(ms).toISOString()

export function parseTimeOfDay(value: string): { hour: number; minute: number } | undefined {
  const m = /^(\d{1,2})[:\s](\d{2})(?::\d{2})?\s*([AaPp][Mm])?$/.exec(value.trim())
  if (!m) return undefined
  let hour = Number(m[1])
  const minute = Number(m[2])
  const half = m[3]?.toLowerCase()
  if (half === 'pm' && hour < 12) hour += 12
  if (half === 'am' && hour === 12) hour = 0
  return hour < 24 && minute < 60 ? { hour, minute } : undefined
}

/** A calendar day from "2024-05-23", an ISO instant, or the docs' "May 23, 2024". */
export function parseDay(value: string, zone: string): DateTime | undefined {
  const s = value.trim()
  const candidates = [
    DateTime.fromISO(s, { zone }),
    DateTime.fromFormat(s, 'MMMM d, yyyy', { zone, locale: 'en-US' }),
    DateTime.fromFormat(s, 'MMM d, yyyy', { zone, locale: 'en-US' }),
  ]
  const day = candidates.find((d) => d.isValid)
  return day?.startOf('day')
}

export function zoneOf(v: unknown, state: HealthieState): string {
  const z = str(v)
  return z && DateTime.local().setZone(z).isValid ? z : state.timeZone
}

// ---------- people ----------

export const fullName = (u: HealthieUser) => `${u.first_name} ${u.last_name}`.trim()

// ---------- writes ----------

type Payload<K extends string, T> = { [key in K]: T | null } & { messages: FieldError[] | null }

/** A mutation's payload: the record, or null with the field messages; every write is recorded either way. */
export function record<K extends string, T>(
  ctx: HealthieContext,
  operation: string,
  args: Args,
  key: K,
  value: T | null,
  messages: FieldError[],
): Payload<K, T> {
  const payload = {
    [key]: messages.length > 0 ? null : value,
    messages: messages.length > 0 ? messages : null,
  } as Payload<K, T>
  ctx.recordWrite(operation, args, messages.length > 0 ? 'rejected' : 'applied', payload)
  return payload
}

/** Healthie keeps `metadata` as a string; an object given is stored as its JSON. */
export const metadataString = (v: unknown): string | null | undefined =>
  v === undefined ? undefined : v === null ? null : typeof v === 'string' ? v : JSON.stringify(v)
