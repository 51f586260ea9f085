/**
 * Every REST path an adapter can call is in that vendor's table in `docs/vendors/`, where each row
 * says whether a published source confirms it or which assumption entry covers it. A path added to
 * an adapter without a row fails here, so no undocumented guess reaches a clinic unnoticed.
 * (The GraphQL vendors' documents are checked field by field against the published schemas by
 * `npm run test:schemas`.)
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const root = join(__dirname, '../../..')

/** The paths in an adapter's source: quoted literals and templates, ids written `{id}`. */
function pathsIn(source: string): string[] {
  const found = new Set<string>()
  for (const m of source.matchAll(/(['`])(\/v1\/[^'`\s]*)\1/g)) {
    found.add(
      m[2]!
        // A value the adapter fills in: an id, or a segment an assumption entry chooses.
        .replace(/\$\{this\.assume\.(\w+)\}/g, '{$1}')
        .replace(/\$\{[^}]*\}/g, '{id}'),
    )
  }
  return [...found].sort()
}

/** Whether the vendor's table names the path (a segment chosen by an assumption matches any). */
function documented(doc: string, path: string): boolean {
  const assumed = /\{(?!id\})(\w+)\}/.exec(path)?.[1]
  if (!assumed) return doc.includes(`${path}\``) || doc.includes(`${path} `) || doc.includes(`${path}?`)
  const pattern = new RegExp(
    path
      .split(`{${assumed}}`)
      .map((part) => part.replace(/[.*+?^$()|[\]\\{}]/g, '\\$&'))
      .join('\\w+'),
  )
  return pattern.test(doc) && doc.includes(assumed)
}

describe.each([['hero'], ['heim']])('the %s adapter', (vendor) => {
  const source = readFileSync(join(root, `src/main/vendors/${vendor}/adapter.ts`), 'utf8')
  const doc = readFileSync(join(root, `docs/vendors/${vendor}.md`), 'utf8')

  it('calls only paths its vendor table lists as confirmed or as an assumption', () => {
    const paths = pathsIn(source)
    // An empty scan would pass vacuously.
    expect(paths.length).toBeGreaterThan(4)
    expect(paths.filter((p) => !documented(doc, p))).toEqual([])
  })
})

describe('the path scan', () => {
  it('finds literal and template paths, and a missing row is reported', () => {
    const paths = pathsIn(
      "call('GET', '/v1/things') ; call('POST', `/v1/things/${encodeURIComponent(ref)}/${this.assume.verb}`)",
    )
    expect(paths).toEqual(['/v1/things', '/v1/things/{id}/{verb}'])
    expect(documented('| `GET /v1/things` | confirmed |', '/v1/things')).toBe(true)
    expect(documented('| `GET /v1/thingsx` | confirmed |', '/v1/things')).toBe(false)
    expect(documented('| `PATCH /v1/things/{id}/go` | `verb` |', '/v1/things/{id}/{verb}')).toBe(true)
    expect(documented('| `PATCH /v1/things/{id}/go` | other |', '/v1/things/{id}/{verb}')).toBe(false)
  })
})
