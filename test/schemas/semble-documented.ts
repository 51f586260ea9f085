import { buildSchema, extendSchema, parse, type GraphQLSchema } from 'graphql'

/**
 * Fields Semble's own object reference publishes that the hand-assembled semble-partial.graphql
 * leaves out, each with its page. Only fields a doc page shows belong here (semble.md tags them
 * [C]); anything seen nowhere stays out, so a guess still fails the check.
 */
export const SEMBLE_DOCUMENTED_EXTRAS = `
# docs.semble.io objects/user: "servicesProvided: [Product]" (semble.md, Practitioners, [C, S1 objects/user])
extend type User { servicesProvided: [Product] }
`

/** The partial schema with the documented fields it omits. */
export const sembleSchema = (partialSdl: string): GraphQLSchema =>
  extendSchema(buildSchema(partialSdl), parse(SEMBLE_DOCUMENTED_EXTRAS))
