/**
 * Healthie's published query limits, enforced by its simulator: complexity at most 2000 (a
 * connection costs its `first` times what is selected under it, 100 when unpaged) and depth at most
 * 25, refused in Healthie's own words. The adapter pages every connection (50 at most), so its own
 * queries stay within them: the conformance suite runs it against this same simulator.
 */
import { buildSchema, Kind, parse, type OperationDefinitionNode } from 'graphql'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedClinic } from '../../../src/sandbox'
import { startHealthieSimulator, HEALTHIE_API_VERSION } from '../../../src/sandbox/healthie'
import { limitProblem, measureQuery } from '../../../src/sandbox/healthie/limits'
import { testClock } from '../../support/clock'

const clock = testClock()
let sim: Awaited<ReturnType<typeof startHealthieSimulator>>
beforeAll(async () => {
  sim = await startHealthieSimulator(
    seedClinic({ patients: 20, today: clock.now(), timeZone: 'Europe/London' }),
    {
      clock,
    },
  )
})
afterAll(() => sim.close())

async function ask(query: string, variables: Record<string, unknown> = {}) {
  const res = await fetch(`${sim.url}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Basic ${sim.credentials.apiKey}`,
      authorizationsource: 'API',
      'healthie-graphql-api-version': HEALTHIE_API_VERSION,
    },
    body: JSON.stringify({ query, variables }),
  })
  return (await res.json()) as { data?: unknown; errors?: { message: string }[] }
}

/** Four aliased patient pages of `page` each, four fields a patient. */
const fourPages = (page: string) => `query Pages($page: Int) {
  ${['a', 'b', 'c', 'd'].map((k) => `${k}: users(first: ${page}) { nodes { id first_name last_name dob } }`).join('\n  ')}
}`

describe('Healthie simulator query limits', () => {
  it('refuses a query over complexity 2000 with Healthie’s words', async () => {
    // 4 × (1 + 100 × (1 + 4)) = 2004
    const big = await ask(fourPages('$page'), { page: 100 })
    expect(big.data ?? null).toBeNull()
    expect(big.errors?.[0]?.message).toBe(
      'Query has complexity of 2004, which exceeds max complexity of 2000',
    )
  })

  it('counts an unpaged connection as 100, and answers a paged one', async () => {
    expect((await ask(fourPages('$page'))).errors?.[0]?.message).toMatch(/complexity of 2004/)
    const small = await ask(fourPages('$page'), { page: 10 })
    expect(small.errors).toBeUndefined()
    expect((small.data as { a: { nodes: unknown[] } }).a.nodes).toHaveLength(10)
  })

  it('measures depth through fragments and refuses past 25', () => {
    // The simulator's schema has no cycle deep enough to ask over HTTP, so the rule is shown on one that has.
    const schema = buildSchema('type Node { id: ID, next: Node } type Query { node: Node }')
    const nested = (n: number) => `${'next { '.repeat(n)}id${' }'.repeat(n)}`
    const depthOf = (source: string) => {
      const doc = parse(source)
      const op = doc.definitions.find(
        (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
      )!
      return measureQuery(schema, doc, op, {})
    }
    expect(depthOf(`{ node { ${nested(23)} } }`).depth).toBe(25)
    expect(limitProblem(depthOf(`{ node { ${nested(23)} } }`))).toBeUndefined()
    const deep = depthOf(`query { node { ...F } } fragment F on Node { ${nested(28)} }`)
    expect(deep.depth).toBe(30)
    expect(limitProblem(deep)).toBe('Query has depth of 30, which exceeds max depth of 25')
  })
})
