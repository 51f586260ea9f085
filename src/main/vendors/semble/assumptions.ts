/**
 * Semble behaviours no published source confirms (docs/vendors/semble.md lists what is confirmed).
 * The adapter reads these only through `sembleChoices`; the simulator can run each alternative, and
 * test/integration/vendors/assumptions.test.ts runs the adapter against each.
 */
import { choose, type Register } from '../assumptions'

export const sembleAssumptions = {
  appointmentTypesFrom: {
    behaviour:
      'Appointment types are the bookable products: products(pagination, search) { data { id name isBookable duration } pageInfo { hasMore } }, isBookable true. "settings" reads them from the connection option bookingTypes (JSON [{ id, title, duration }]).',
    assumed: 'products',
    alternatives: ['settings'],
    option: 'appointmentTypesFrom',
    status: 'inferred',
    basis:
      'Product, isBookable and duration are on Semble’s object reference; the products root query and its ProductData container are from public client code run against the live API (semble-partial.graphql, # INFERRED).',
    inferredShapes: ['Product', 'ProductData'],
  },
  locationsFrom: {
    behaviour:
      'Practice locations are those named by availabilitySettings { location } (a published query); "settings" reads them from the connection option locations (JSON [{ id, name }]).',
    assumed: 'availabilitySettings',
    alternatives: ['settings'],
    option: 'locationsFrom',
    status: 'inferred',
    basis:
      'Semble publishes PracticeLocation but no query that lists locations; a location without working hours set up would be missing.',
  },
  refusesOverlap: {
    behaviour:
      'Whether Semble refuses a booking that overlaps another for the same clinician. Assumed not (its web app allows overlaps): before booking or moving, the adapter reads that clinician’s bookings for the time and treats a clash as a conflict. "yes" leaves the refusal to Semble.',
    assumed: 'no',
    alternatives: ['yes'],
    option: 'refusesOverlap',
    status: 'inferred',
    basis:
      'semble.md §1.2: whether overlapping bookings are rejected is not documented; Semble’s UI allows double-booking.',
  },
  bookingLocation: {
    behaviour:
      'createBooking’s bookingData.location takes the id of a practice location as availabilitySettings and availabilities(locationId) name it; Semble records the booking in one of that location’s rooms (BookingLocation: name the room, groupName the location), and a booking read back is matched to its location by groupName.',
    assumed: 'practice-location',
    alternatives: [],
    option: null,
    status: 'inferred',
    basis:
      'BookingDataInput.location is an ID and availabilities(locationId: ID!) names a PracticeLocation (semble.md, book); that the same id books it, and how a room is chosen, are not stated. No published query lists rooms, so there is nothing else to send.',
  },
  refusalWording: {
    behaviour:
      'Semble gives a refusal as text without a code, so its wording sorts it (src/main/vendors/errors.ts, kindForBusinessMessage): words such as "not available", "already booked" or "overlap" make it a taken time, for which the nearest free times are offered; "not found" an unknown record; anything else is shown in Semble’s own words. Every refusal is final: nothing is sent again, and the change waits for a person.',
    assumed: 'taken-time-words',
    alternatives: ['other-words'],
    option: null,
    status: 'unknown',
    basis:
      'Semble documents no refusal codes or wording for a taken time. With other words, a taken time is shown as Semble’s own refusal, without alternatives offered: a weaker message, never a lost or repeated change.',
  },
  repeatDeleteAnswer: {
    behaviour:
      'Deleting a booking that is already deleted answers a payload error; the adapter reads the booking back and keeps it if deleted (no wording is matched).',
    assumed: 'error',
    alternatives: ['ok'],
    option: null,
    status: 'unknown',
    basis:
      'deleteBooking is documented; a second delete is not. Either answer ends with the booking cancelled.',
  },
  availabilityShape: {
    behaviour:
      'availabilities answers { data: [{ start, end, doctor { id } }] } as fixed-length free slots; whole free intervals are cut into slots the same way.',
    assumed: 'slots',
    alternatives: ['intervals'],
    option: null,
    status: 'unknown',
    basis: 'The Availability type’s fields are not on any page (semble-partial.graphql, # INFERRED).',
    inferredShapes: ['Availability'],
  },
  providerLink: {
    behaviour:
      'Which appointment types a clinician provides is their servicesProvided (users { servicesProvided { id } }), whose product ids are the types’ ids: "any practitioner" offers only clinicians who provide the type. A clinician with no services provides no type, unless no clinician at the practice has any (the practice does not use the link): then everyone is offered, as before. "none" ignores the link.',
    assumed: 'servicesProvided',
    alternatives: ['none'],
    option: 'providerLink',
    status: 'inferred',
    basis:
      'User.servicesProvided: [Product] is on Semble’s object reference (objects/user) and UserServiceProvidedInput { productId, enabled } on its inputs (semble.md); that its products are the bookingType ids, and what an empty list means, are not stated.',
  },
  updateBookingFields: {
    behaviour:
      'updateBooking changes only the fields sent in bookingData and keeps the rest: a move sends start and end (and doctor), a note sends comments. "all" first reads the booking and sends every field it has (doctor, practice location, type, start, end, comments), for a Semble that clears or refuses what is left out.',
    assumed: 'sent',
    alternatives: ['all'],
    option: 'updateBookingFields',
    status: 'inferred',
    basis:
      'updateBooking(id, bookingData: BookingUpdateDataInput) is documented, with the same fields as BookingDataInput, none required (semble.md, reschedule / edit); what a field left out does is not stated.',
  },
  phonesOrder: {
    behaviour:
      'A patient’s phones are listed in the order they were added, so the last is the newest: Frontdesk shows it, and a changed phone is added with addPatientPhoneNumber (Semble publishes no way to change or remove one; the old number stays in Semble).',
    assumed: 'oldest-first',
    alternatives: ['unordered'],
    option: null,
    status: 'unknown',
    basis:
      'Phone { phoneId, phoneType, phoneNumber } has no date and the order of Patient.phones is not documented; addPatientPhoneNumber is the only published phone write.',
  },
  schemaShapes: {
    behaviour:
      'The containers around what Semble returns: lists answer { data, pageInfo { hasMore } } (UserData for users(pagination, options: UsersQueryOptions)); patient and booking mutations answer { data, error } (PatientResponsePayload, BookingResponsePayload); signIn answers { token } (SignInPayload); a booking’s patient messages are SendPatientMessagesInput { confirmation, reminder, followup }. The adapter validates every answer, so a different container is a clear error naming the field, never a silent empty list.',
    assumed: 'documented-convention',
    alternatives: [],
    option: null,
    status: 'inferred',
    basis:
      'The {data, error} convention is documented for LocationResponsePayload and the {data, pageInfo} shape for the documented lists; these names and the users argument list follow it (semble-partial.graphql, # INFERRED). The n8n Semble nodes read the same fields against the live API.',
    inferredShapes: [
      'PageInfo',
      'PatientResponsePayload',
      'UserData',
      'Query.users',
      'BookingResponsePayload',
      'SendPatientMessagesInput',
      'SignInPayload',
    ],
  },
} as const satisfies Register

export const sembleChoices = (options: Record<string, string>) => choose('semble', sembleAssumptions, options)
export type SembleChoices = ReturnType<typeof sembleChoices>
