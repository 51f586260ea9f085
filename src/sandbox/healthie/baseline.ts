/**
 * The simulator's schema at Healthie's baseline API version (`2024-06-01`, also what a request
 * without a version header gets): the list queries answer plain lists paged by `offset`, `page_size`
 * and `should_paginate`, where 2026-01-01 answers Relay connections (healthie.md §4.1, "Response
 * shapes change with the version header"). Derived from the 2026-01-01 SDL so the two cannot drift
 * apart anywhere else; test/schemas checks these fields against the published baseline schema.
 *
 * Only the list shapes differ here. The baseline's older scalars (dates as String before 2024-07-01)
 * and its `after: Cursor` paging are not served: a document using them is refused as invalid.
 */
import {
  type FieldDefinitionNode,
  type InputValueDefinitionNode,
  Kind,
  parse,
  print,
  type TypeNode,
  visit,
} from 'graphql'

/** Each list query's item type and its paging arguments with the baseline's defaults. */
export const BASELINE_LISTS: Record<string, { item: string; paging: string }> = {
  users: { item: 'User', paging: 'offset: Int = 0, page_size: Int = 10, should_paginate: Boolean = true' },
  organizationMembers: { item: 'User', paging: 'offset: Int = 0, page_size: Int = 10' },
  appointmentTypes: {
    item: 'AppointmentType',
    paging: 'offset: Int = 0, page_size: Int = 1000, should_paginate: Boolean = true',
  },
  appointmentLocations: { item: 'AppointmentLocation', paging: '' },
  appointments: {
    item: 'Appointment',
    paging: 'should_paginate: Boolean = false, offset: Int = 0, page_size: Int',
  },
}

const CONNECTION_ARGS = new Set(['after', 'before', 'first', 'last'])
const isConnectionType = (name: string) => /(Connection|Edge)$/.test(name) || name === 'PageInfo'

function pagingArgs(paging: string): InputValueDefinitionNode[] {
  if (!paging) return []
  const doc = parse(`type T { f(${paging}): Int }`)
  const def = doc.definitions[0]
  if (def?.kind !== Kind.OBJECT_TYPE_DEFINITION) throw new Error('unreachable')
  return [...(def.fields?.[0]?.arguments ?? [])]
}

const listOf = (item: string): TypeNode => ({
  kind: Kind.LIST_TYPE,
  type: { kind: Kind.NON_NULL_TYPE, type: { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: item } } },
})

/** The baseline SDL from the 2026-01-01 one: list queries as plain lists, connection types gone. */
export function baselineSdl(sdl: string): string {
  const doc = visit(parse(sdl), {
    ObjectTypeDefinition(node) {
      if (isConnectionType(node.name.value)) return null
      if (node.name.value !== 'Query') return undefined
      const fields = (node.fields ?? []).map((f): FieldDefinitionNode => {
        const list = BASELINE_LISTS[f.name.value]
        if (!list) return f
        const args = (f.arguments ?? []).filter((a) => !CONNECTION_ARGS.has(a.name.value))
        return { ...f, type: listOf(list.item), arguments: [...args, ...pagingArgs(list.paging)] }
      })
      return { ...node, fields }
    },
  })
  return print(doc)
}
