import { DateTime } from 'luxon'

/**
 * `Retry-After` is either delta-seconds or an HTTP-date (RFC 9110 §10.2.3). Returns milliseconds
 * from `now`, never negative; undefined when absent or unreadable.
 */
export function parseRetryAfter(
  value: string | null | undefined,
  now: Date = new Date(),
): number | undefined {
  if (value == null) return undefined
  const text = value.trim()
  if (!text) return undefined
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000)
  const at = DateTime.fromHTTP(text, { zone: 'utc' })
  if (!at.isValid) return undefined
  return Math.max(0, at.toMillis() - now.getTime())
}
