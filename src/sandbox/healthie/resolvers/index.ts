import { type ResolverMap } from '../../graphql/graphql-http'
import { appointmentResolvers } from './appointments'
import { availabilityResolvers } from './availability'
import { referenceResolvers } from './reference'
import { type HealthieContext } from './shared'
import { userResolvers } from './users'

export { type HealthieContext } from './shared'

/**
 * Every module's resolvers in one map. Two modules may both add to `Query` or `Mutation`, but never
 * the same field: a second one would silently replace the first, so it fails at start-up instead.
 */
export function healthieResolvers(): ResolverMap<HealthieContext> {
  const merged: ResolverMap<HealthieContext> = {}
  const parts = [userResolvers(), referenceResolvers(), availabilityResolvers(), appointmentResolvers()]
  for (const part of parts) {
    for (const [typeName, fields] of Object.entries(part)) {
      const into = (merged[typeName] ??= {})
      for (const [fieldName, resolve] of Object.entries(fields)) {
        if (fieldName in into) throw new Error(`Healthie resolver ${typeName}.${fieldName} is defined twice`)
        into[fieldName] = resolve
      }
    }
  }
  return merged
}
