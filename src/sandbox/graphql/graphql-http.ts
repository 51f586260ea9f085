import {
  type DocumentNode,
  execute,
  type ExecutionResult,
  type GraphQLError,
  type GraphQLFieldResolver,
  type GraphQLSchema,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  parse,
  validate,
} from 'graphql'

/** The body of a GraphQL-over-HTTP POST. */
export interface GraphqlBody {
  query: string
  variables?: Record<string, unknown>
  operationName?: string
}

export function readGraphqlBody(body: unknown): GraphqlBody | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined
  const b = body as Record<string, unknown>
  if (typeof b.query !== 'string' || b.query.trim() === '') return undefined
  const variables = b.variables
  if (
    variables !== undefined &&
    variables !== null &&
    (typeof variables !== 'object' || Array.isArray(variables))
  )
    return undefined
  const out: GraphqlBody = { query: b.query }
  if (variables) out.variables = variables as Record<string, unknown>
  if (typeof b.operationName === 'string' && b.operationName !== '') out.operationName = b.operationName
  return out
}

export interface PreparedOperation {
  document: DocumentNode
  operation: OperationDefinitionNode
  kind: 'query' | 'mutation' | 'subscription'
  /** Root field names, in document order (aliases resolved to field names). */
  rootFields: string[]
}

export type Prepared =
  { ok: true; op: PreparedOperation } | { ok: false; errors: readonly GraphQLError[] | string }

/** Parses (and caches) documents and picks the operation to run, as a GraphQL server does before executing. */
export class DocumentCache {
  private parsed = new Map<string, DocumentNode | readonly GraphQLError[]>()
  private validated = new Map<string, readonly GraphQLError[]>()

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly max = 500,
  ) {}

  prepare(body: GraphqlBody): Prepared {
    const doc = this.parse(body.query)
    if (!('kind' in doc)) return { ok: false, errors: doc }
    const operations = doc.definitions.filter(
      (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
    )
    let operation: OperationDefinitionNode | undefined
    if (body.operationName) operation = operations.find((o) => o.name?.value === body.operationName)
    else if (operations.length === 1) operation = operations[0]
    if (!operation) {
      return {
        ok: false,
        errors: body.operationName
          ? `Unknown operation named "${body.operationName}".`
          : 'Must provide operation name if query contains multiple operations.',
      }
    }
    const rootFields: string[] = []
    for (const sel of operation.selectionSet.selections)
      if (sel.kind === Kind.FIELD) rootFields.push(sel.name.value)
    return { ok: true, op: { document: doc, operation, kind: operation.operation, rootFields } }
  }

  /** Validation errors against the simulator's schema (empty when the document is valid). */
  validate(query: string, doc: DocumentNode): readonly GraphQLError[] {
    let errors = this.validated.get(query)
    if (!errors) {
      errors = validate(this.schema, doc)
      this.remember(this.validated, query, errors)
    }
    return errors
  }

  private parse(query: string): DocumentNode | readonly GraphQLError[] {
    let doc = this.parsed.get(query)
    if (!doc) {
      try {
        doc = parse(query)
      } catch (err) {
        doc = [err as GraphQLError]
      }
      this.remember(this.parsed, query, doc)
    }
    return doc
  }

  private remember<V>(map: Map<string, V>, key: string, value: V): void {
    if (map.size >= this.max) map.delete(map.keys().next().value as string)
    map.set(key, value)
  }
}

/** Operation type and first root field of a request body, without throwing (for the core's write detection). */
export function peekOperation(
  cache: DocumentCache,
  body: unknown,
): { kind: string; field: string } | undefined {
  const b = readGraphqlBody(body)
  if (!b) return undefined
  const prepared = cache.prepare(b)
  if (!prepared.ok) return undefined
  return { kind: prepared.op.kind, field: prepared.op.rootFields[0] ?? '' }
}

export function run(
  schema: GraphQLSchema,
  op: PreparedOperation,
  body: GraphqlBody,
  contextValue: unknown,
): Promise<ExecutionResult> {
  return Promise.resolve(
    execute({
      schema,
      document: op.document,
      variableValues: body.variables ?? null,
      operationName: op.operation.name?.value ?? null,
      contextValue,
    }),
  )
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Resolver<C> = GraphQLFieldResolver<any, C, any>
export type ResolverMap<C> = Record<string, Record<string, Resolver<C>>>

/** Sets field resolvers on a schema built from SDL; every name must exist, so a typo fails at start-up. */
export function attachResolvers<C>(schema: GraphQLSchema, resolvers: ResolverMap<C>): void {
  for (const [typeName, fields] of Object.entries(resolvers)) {
    const type = schema.getType(typeName)
    if (!type || !isObjectType(type)) throw new Error(`No object type ${typeName} in the simulator schema`)
    const defined = type.getFields()
    for (const [fieldName, resolve] of Object.entries(fields)) {
      const field = defined[fieldName]
      if (!field) throw new Error(`No field ${typeName}.${fieldName} in the simulator schema`)
      field.resolve = resolve
    }
  }
}

/** Errors as JSON, the way graphql-js formats them. */
export const formatErrors = (errors: readonly GraphQLError[] | string) =>
  typeof errors === 'string' ? [{ message: errors }] : errors.map((e) => e.toJSON())
