/**
 * Healthie behaviours no published source confirms (docs/vendors/healthie.md lists what is
 * confirmed). The adapter reads these only through `healthieChoices`.
 */
import { choose, type Register } from '../assumptions'

export const healthieAssumptions = {
  nhsNumberField: {
    behaviour:
      'UK clinics keep the NHS number in the client’s record_identifier; "none" sends it nowhere (it stays in Frontdesk).',
    assumed: 'record_identifier',
    alternatives: ['none'],
    option: 'nhsNumberField',
    status: 'inferred',
    basis: 'Healthie has no NHS number field; record_identifier is its free record number (healthie.md).',
  },
  metadataShape: {
    behaviour:
      'metadata is sent as a JSON string and read back as a string or an object; our client reference sits under frontdeskRef.',
    assumed: 'string',
    alternatives: ['object'],
    option: null,
    status: 'inferred',
    basis:
      'Documented as "a serialized JSON string" on input; reads have shown both. The mapper accepts either.',
  },
} as const satisfies Register

export const healthieChoices = (options: Record<string, string>) =>
  choose('healthie', healthieAssumptions, options)
