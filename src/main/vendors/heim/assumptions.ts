/**
 * Heim behaviours no published source confirms (docs/vendors/heim.md lists what is confirmed).
 * The adapter reads these only through `heimChoices`; the simulator can run each alternative, and
 * test/integration/vendors/assumptions.test.ts runs the adapter against each.
 */
import { choose, type Register } from '../assumptions'

export const heimAssumptions = {
  availabilityPath: {
    behaviour: 'The Availability API that returns windows (win_…) is GET <path>.',
    assumed: '/v1/availability',
    alternatives: ['/v1/windows'],
    option: 'availabilityPath',
    status: 'unknown',
    basis: 'Heim documents windows and the Availability API, not its path (heim.md §3.3).',
    free: true,
  },
  tasksPath: {
    behaviour:
      'The organisation’s clinical care tasks (tsk_…, Frontdesk’s appointment types) are listed by GET <path>, paged like patients.',
    assumed: '/v1/tasks',
    alternatives: ['/v1/care-tasks'],
    option: 'tasksPath',
    status: 'unknown',
    basis:
      'Heim documents tasks (tsk_…) as what a visit is booked for, not an endpoint that lists them (heim.md §3.3). Any path is accepted.',
    free: true,
  },
  availabilityQuery: {
    behaviour:
      'Its query parameters: "camel" taskId, postcode, from, to (local dates); "snake" task_id, postcode, start_date, end_date. The answer is { data: [{ id, taskId, start, end }] }.',
    assumed: 'camel',
    alternatives: ['snake'],
    option: 'availabilityQuery',
    status: 'unknown',
    basis: 'Parameter names and response shape are not documented; Heim’s other fields are camelCase.',
  },
  appointmentTimeField: {
    behaviour:
      'The filter field for a visit’s time, used to list a day: filter=<field>>="…"&filter=<field><"…".',
    assumed: 'start',
    alternatives: ['window.start'],
    option: 'appointmentTimeField',
    status: 'unknown',
    basis:
      'The filters guide shows createdAt only; the time fields of an appointment are not listed as filterable.',
  },
  repeatCancelStatus: {
    behaviour:
      'A second cancel is refused with this HTTP status; the adapter then reads the visit back and keeps the first cancellation if its reason matches.',
    assumed: '409',
    alternatives: ['400', '422'],
    option: 'repeatCancelStatus',
    status: 'inferred',
    basis:
      'Heim documents that an appointment can be cancelled once through the API, not the status of a second try.',
  },
  referenceFilterField: {
    behaviour: 'The filter field for our client reference on patients and appointments.',
    assumed: 'auto',
    alternatives: ['externalReference', 'externalRef'],
    option: 'referenceFilterField',
    status: 'inferred',
    basis:
      'Documented both as externalReference and externalRef (heim.md §3.5); "auto" tries the first, then the second, and remembers.',
  },
  nameFilterField: {
    behaviour: 'The filter field for a patient’s name (contains, ~).',
    assumed: 'auto',
    alternatives: ['name', 'patient.name'],
    option: 'nameFilterField',
    status: 'inferred',
    basis:
      'The filters guide names patient.name on appointments; the patient list’s own field is not shown. "auto" tries name first.',
  },
  paging: {
    behaviour:
      'Lists (patients, appointments, tasks) take `limit` (at most 100) and an opaque `cursor`, and answer { data, hasMore, nextCursor }; "page" takes `limit` and `page` counted from 1, and answers { data, hasMore }.',
    assumed: 'cursor',
    alternatives: ['page'],
    option: 'paging',
    status: 'unknown',
    basis:
      'heim.md §3.2: "Combining multiple filters, sorting syntax, paging params [U]"; no stored page shows a list answer beyond `data`.',
  },
  filterCombine: {
    behaviour:
      'Several filters (a day’s start and end) are sent as repeated `filter` parameters, which Heim ANDs; "comma" joins them in one `filter`, separated by commas. The adapter also checks each visit’s time itself, so a filter Heim ignores costs a longer answer, never a wrong day.',
    assumed: 'repeat',
    alternatives: ['comma'],
    option: 'filterCombine',
    status: 'unknown',
    basis:
      'The filters guide shows one filter per request; how several combine is not stated (heim.md §3.2).',
  },
  patientPaths: {
    behaviour:
      'A patient is read at GET /v1/patients/{id} (for the phone and address a booking carries) and created at POST /v1/patients, with the reference’s fields under camelCase keys (firstName, lastName, dateOfBirth, phone, email, nhsNumber, externalReference, address). Every answer is validated, so another path or key is a clear error naming it, never a silent gap.',
    assumed: 'rest-camel-case',
    alternatives: [],
    option: null,
    status: 'inferred',
    basis:
      'heim.md §3.2: the list URL /v1/patients is confirmed by the filters guide; the by-id and create paths follow REST convention, and the keys the appointment endpoint’s camelCase style (the stored excerpt shows the fields’ descriptions, not their keys).',
  },
  cancelReasonCode: {
    behaviour:
      'The reasonCode a cancellation sends (with causingEntity "patient" and cancellingEntity "organisation"): a code Heim accepts for a cancellation the patient asked for.',
    assumed: 'patient_request',
    alternatives: [],
    option: 'cancelReasonCode',
    status: 'unknown',
    basis:
      'heim.md §3.2 quotes one code, patient_not_present (the page’s example), which Frontdesk reads as a no-show and sends only for one; the list of codes is [U]. Any other code is accepted.',
    free: true,
  },
  addressKeys: {
    behaviour:
      'A patient’s address (the one object of `address`) has the keys line1, line2, city, postcode and country; a booking carries it as the visit’s `location`, and needs its postcode.',
    assumed: 'line1-postcode',
    alternatives: [],
    option: null,
    status: 'inferred',
    basis:
      'heim.md §3.2: a patient’s `address` is "an array with at most one address object", and the create-appointment page’s `location` is an "address object"; neither shows the object’s keys.',
  },
  taskFields: {
    behaviour:
      'A task (tsk_…) in the list carries `name` and `durationMinutes`; Frontdesk shows the name and takes the length from it. Every answer is validated, so other keys are a clear error naming the request.',
    assumed: 'name-durationMinutes',
    alternatives: [],
    option: null,
    status: 'inferred',
    basis: 'heim.md §3.3 documents tasks as what a visit is booked for, not their fields.',
  },
  rateLimit: {
    behaviour:
      'Heim accepts this many requests a minute per API key; more are refused with 429 and Retry-After, which the adapter waits out.',
    assumed: '60',
    alternatives: ['30'],
    option: 'rateLimitPerMinute',
    status: 'unknown',
    basis:
      'Heim publishes no rate limit (heim.md §3.4); a conservative default until Heim says. Any number is accepted.',
    free: true,
  },
} as const satisfies Register

export const heimChoices = (options: Record<string, string>) => choose('heim', heimAssumptions, options)
export type HeimChoices = ReturnType<typeof heimChoices>
