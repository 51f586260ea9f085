/**
 * Healthie's published query limits (healthie.md §4.3–4.4, from its rate-limits and error-handling
 * pages): depth at most 25, complexity at most 2000, where a connection field costs its `first` or
 * `last` (100 when neither is given) times what is selected under it. Refused with Healthie's own
 * words: "Query has complexity of 2274, which exceeds max complexity of 2000".
 */
import {
  getNamedType,
  isInterfaceType,
  isObjectType,
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql'

export const HEALTHIE_MAX_DEPTH = 25
export const HEALTHIE_MAX_COMPLEXITY = 2000
/** The page size Healthie's complexity maths assumes when a connection is asked without one. */
const DEFAULT_PAGE = 100

export function measureQuery(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
): { depth: number; complexity: number } {
  const fragments = new Map<string, FragmentDefinitionNode>()
  for (const d of document.definitions)
    if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d)

  const pageOf = (args: readonly { name: { value: string }; value: { kind: string } }[]): number => {
    for (const a of args) {
      if (a.name.value !== 'first' && a.name.value !== 'last') continue
      const v = a.value as { kind: string; value?: string; name?: { value: string } }
      const n =
        v.kind === Kind.INT
          ? Number(v.value)
          : v.kind === Kind.VARIABLE
            ? Number(variables[v.name!.value])
            : NaN
      if (Number.isFinite(n) && n > 0) return n
    }
    return DEFAULT_PAGE
  }

  const walk = (set: SelectionSetNode, type: GraphQLNamedType | undefined, level: number) => {
    let cost = 0
    let depth = level
    const fields = type && (isObjectType(type) || isInterfaceType(type)) ? type.getFields() : {}
    for (const sel of set.selections) {
      if (sel.kind === Kind.FIELD) {
        if (sel.name.value.startsWith('__')) continue
        const def = fields[sel.name.value]
        const named = def ? getNamedType(def.type) : undefined
        const inner = sel.selectionSet
          ? walk(sel.selectionSet, named, level + 1)
          : { cost: 0, depth: level + 1 }
        const times = named?.name.endsWith('Connection') ? pageOf(sel.arguments ?? []) : 1
        cost += 1 + times * inner.cost
        depth = Math.max(depth, inner.depth)
      } else {
        const fragment = sel.kind === Kind.FRAGMENT_SPREAD ? fragments.get(sel.name.value) : sel
        if (!fragment) continue
        const on = fragment.typeCondition ? schema.getType(fragment.typeCondition.name.value) : type
        const inner = walk(fragment.selectionSet, on ?? type, level)
        cost += inner.cost
        depth = Math.max(depth, inner.depth)
      }
    }
    return { cost, depth }
  }

  const root = operation.operation === 'mutation' ? schema.getMutationType() : schema.getQueryType()
  const { cost, depth } = walk(operation.selectionSet, root ?? undefined, 0)
  return { complexity: cost, depth }
}

/** Healthie's refusal, or undefined when the query is within both limits. */
export function limitProblem(m: { depth: number; complexity: number }): string | undefined {
  if (m.depth > HEALTHIE_MAX_DEPTH)
    return `Query has depth of ${m.depth}, which exceeds max depth of ${HEALTHIE_MAX_DEPTH}`
  if (m.complexity > HEALTHIE_MAX_COMPLEXITY)
    return `Query has complexity of ${m.complexity}, which exceeds max complexity of ${HEALTHIE_MAX_COMPLEXITY}`
  return undefined
}
