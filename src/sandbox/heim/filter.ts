/**
 * Heim's `?filter=<field><operator><value>` syntax (docs.heim.health/docs/filters): operators `:` `>` `<` `>=`
 * `<=` `~` (contains, strings only); ids, strings and dates quoted, numbers bare. Several `filter=` parameters
 * are ANDed [U].
 */
export type FilterOp = ':' | '>' | '<' | '>=' | '<=' | '~'

export interface FilterClause {
  field: string
  op: FilterOp
  value: string | number
}

export class FilterError extends Error {}

const OPS: FilterOp[] = ['>=', '<=', ':', '>', '<', '~']

export function parseFilter(input: string): FilterClause {
  const m = /^([A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z][A-Za-z0-9_]*)*)(.*)$/s.exec(input.trim())
  if (!m)
    throw new FilterError(
      `Invalid filter "${input}": expected <field><operator><value>, e.g. createdAt>"2024-08-29"`,
    )
  const field = m[1] as string
  const rest = m[2] as string
  const op = OPS.find((o) => rest.startsWith(o))
  if (!op) throw new FilterError(`Invalid filter "${input}": expected one of : > < >= <= ~ after "${field}"`)
  const raw = rest.slice(op.length)
  if (raw.length === 0)
    throw new FilterError(`Invalid filter "${input}": missing value after "${field}${op}"`)
  let value: string | number
  if (raw.startsWith('"')) {
    const q = /^"((?:[^"\\]|\\.)*)"$/s.exec(raw)
    if (!q)
      throw new FilterError(`Invalid filter "${input}": unterminated or trailing text after quoted value`)
    value = (q[1] as string).replace(/\\(.)/gs, '$1')
  } else if (/^-?\d+(\.\d+)?$/.test(raw)) {
    value = Number(raw)
  } else {
    throw new FilterError(
      `Invalid filter "${input}": strings, ids and dates must be quoted, e.g. ${field}${op}"${raw}"`,
    )
  }
  if (op === '~' && typeof value !== 'string')
    throw new FilterError(`Invalid filter "${input}": ~ (contains) takes a quoted string`)
  return { field, op, value }
}

export type FieldKind = 'string' | 'instant' | 'number'

export interface FieldSpec<T> {
  kind: FieldKind
  get(item: T): string | number | null | undefined
}

const dateOnly = /^\d{4}-\d{2}-\d{2}$/

function compareInstant(actual: string, op: FilterOp, value: string): boolean {
  const a = Date.parse(actual)
  // A plain date stands for that whole UTC day [U]: `:` matches within it, `>` means after it, `>=` from its start.
  if (dateOnly.test(value)) {
    const start = Date.parse(`${value}T00:00:00Z`)
    const end = start + 86_400_000
    switch (op) {
      case ':':
        return a >= start && a < end
      case '>':
        return a >= end
      case '>=':
        return a >= start
      case '<':
        return a < start
      case '<=':
        return a < end
      default:
        return false
    }
  }
  const v = Date.parse(value)
  switch (op) {
    case ':':
      return a === v
    case '>':
      return a > v
    case '>=':
      return a >= v
    case '<':
      return a < v
    case '<=':
      return a <= v
    default:
      return false
  }
}

function compare<T extends string | number>(a: T, op: FilterOp, v: T): boolean {
  switch (op) {
    case ':':
      return a === v
    case '>':
      return a > v
    case '>=':
      return a >= v
    case '<':
      return a < v
    case '<=':
      return a <= v
    default:
      return false
  }
}

/** Checks the clauses against the fields an endpoint supports and returns a predicate; throws FilterError. */
export function compileFilters<T>(raw: string[], fields: Record<string, FieldSpec<T>>): (item: T) => boolean {
  const clauses = raw.map(parseFilter)
  const checks = clauses.map((c) => {
    const spec = fields[c.field]
    if (!spec)
      throw new FilterError(
        `Unknown filter field "${c.field}". Supported fields: ${Object.keys(fields).join(', ')}`,
      )
    if (c.op === '~' && spec.kind !== 'string')
      throw new FilterError(`Filter field "${c.field}" does not support ~ (contains is for strings)`)
    if (spec.kind === 'instant') {
      if (
        typeof c.value !== 'string' ||
        Number.isNaN(Date.parse(dateOnly.test(c.value) ? `${c.value}T00:00:00Z` : c.value))
      )
        throw new FilterError(
          `Filter field "${c.field}" takes a quoted date or date-time, e.g. ${c.field}>"2024-08-29"`,
        )
      const value = c.value
      return (item: T) => {
        const a = spec.get(item)
        return typeof a === 'string' && compareInstant(a, c.op, value)
      }
    }
    if (spec.kind === 'number') {
      if (typeof c.value !== 'number') throw new FilterError(`Filter field "${c.field}" takes a bare number`)
      const value = c.value
      return (item: T) => {
        const a = spec.get(item)
        return typeof a === 'number' && compare(a, c.op, value)
      }
    }
    const value = String(c.value)
    const needle = value.toLocaleLowerCase('en-GB')
    return (item: T) => {
      const a = spec.get(item)
      if (a === null || a === undefined) return false
      const s = String(a)
      return c.op === '~' ? s.toLocaleLowerCase('en-GB').includes(needle) : compare(s, c.op, value)
    }
  })
  return (item) => checks.every((check) => check(item))
}
