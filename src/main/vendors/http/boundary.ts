/**
 * Vendor answers are checked with zod where they enter the app: a shape we did not expect becomes a
 * `protocol` error naming the field, instead of an `undefined` somewhere in the UI.
 */
import type { z } from 'zod'
import type { Vendor } from '../../../shared/model'
import { defaultMessages, VendorError } from '../errors'

export function parseVendor<T extends z.ZodType>(
  schema: T,
  value: unknown,
  facts: { vendor: Vendor; operation: string; write?: boolean },
): z.output<T> {
  const result = schema.safeParse(value)
  if (result.success) return result.data
  const issue = result.error.issues[0]
  const where = issue?.path.length ? issue.path.join('.') : '(root)'
  const vendorMessage = `unexpected ${facts.operation} answer at ${where}: ${issue?.message ?? 'invalid'}`
  // A write that was answered with success but a shape we cannot read was most likely applied.
  const kind = facts.write ? 'ambiguous' : 'protocol'
  throw new VendorError(kind, defaultMessages[kind], {
    vendor: facts.vendor,
    operation: facts.operation,
    vendorMessage,
  })
}
