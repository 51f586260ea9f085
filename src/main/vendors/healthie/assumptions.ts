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
  providerLink: {
    behaviour:
      'Which appointment types a provider offers is their appointment_types (organizationMembers { appointment_types { id } }): "any practitioner" asks free times only of the providers of the type. A provider with none offers no type, unless no provider has any (the link is not set up): then everyone is asked, as before. "none" ignores the link.',
    assumed: 'appointment_types',
    alternatives: ['none'],
    option: 'providerLink',
    status: 'inferred',
    basis:
      'User.appointment_types is "All available appointment types for the provider" in the 2026-01-01 and baseline references; AppointmentType.provider_appt_type_connections / require_specific_providers describe the same link from the type’s side. Whether availableSlotsForRange already leaves out a provider who does not offer the type is not stated.',
  },
  refusalWording: {
    behaviour:
      'Healthie gives a refusal as text without a code, so its wording sorts it (src/main/vendors/errors.ts, kindForBusinessMessage): words such as "not available", "already booked" or "overlap" make it a taken time, for which the nearest free times are offered; "not found" an unknown record; anything else is shown in Healthie’s own words. Every refusal is final: nothing is sent again, and the change waits for a person.',
    assumed: 'taken-time-words',
    alternatives: ['other-words'],
    option: null,
    status: 'unknown',
    basis:
      'Healthie documents no refusal codes or wording for a taken time. With other words, a taken time is shown as Healthie’s own refusal, without alternatives offered: a weaker message, never a lost or repeated change.',
  },
  clientLocation: {
    behaviour:
      'A patient’s address is their User.location, changed with updateClient(input: { id, location: { id, line1, line2, city, zip } }): with the id of the location they already have it is changed in place; without one (no address yet) it becomes their address. The address is sent as a whole (line2 emptied, the town emptied when none is given); state and country are not sent, so Healthie keeps what it has. The postcode is read back from location.zip.',
    assumed: 'id-updates-in-place',
    alternatives: ['always-new'],
    option: null,
    status: 'inferred',
    basis:
      'The 2026-01-01 SDL documents updateClientInput.location: ClientLocationInput { _destroy, city, country, id, line1, line2, name, state, zip } and User.location "The address of this user" with zip "The zip/postal code of the address"; it does not say what a location without an id does to an existing one. The adapter reads the current location first and sends its id, so either way a resend leaves one address with the same values.',
  },
} as const satisfies Register

export const healthieChoices = (options: Record<string, string>) =>
  choose('healthie', healthieAssumptions, options)
