/**
 * Hero Health behaviours no published source confirms (docs/vendors/hero.md lists what is
 * confirmed). The adapter reads these only through `heroChoices`; the simulator can run each
 * alternative, and test/integration/vendors/assumptions.test.ts runs the adapter against each.
 */
import { choose, type Register } from '../assumptions'

export const heroAssumptions = {
  dateParameters: {
    behaviour:
      '`start_date` and `end_date` (slots, and the appointment list) are sent as ISO 8601 instants in UTC (2026-03-30T08:00:00.000Z), not plain dates.',
    assumed: 'instant',
    alternatives: [],
    option: null,
    status: 'inferred',
    basis:
      'hero-health.md §2.2: the parameter names are confirmed ("Use start_date and end_date query parameters to narrow the date window"); their format is not shown.',
  },
  locationsAnswer: {
    behaviour:
      'GET /v1/locations answers { data: [{ id, name, postcode }], count }, as GET /v1/appointment_types does. Every answer is validated, so another shape is a clear error naming the request, never an empty list.',
    assumed: 'data-list',
    alternatives: [],
    option: null,
    status: 'inferred',
    basis:
      'hero-health.md §2.2: the path is confirmed (R1) but its "response fields [U]"; the shape follows the appointment types’ documented { data, count }.',
  },
  reserveBody: {
    behaviour:
      'A reservation (POST /v1/appointments) names the chosen slot as { slot_id, patient_id }; "explicit" sends practitioner_id, appointment_type_id, location_id, start_time, duration, patient_id instead.',
    assumed: 'slot',
    alternatives: ['explicit'],
    option: 'reserveBody',
    status: 'unknown',
    basis: 'The create path is in a code sample (hero-health.md §2.2); its body is not in the stored pages.',
  },
  confirmAction: {
    behaviour:
      'A reservation is confirmed with PATCH /v1/appointments/{id}/<action> and body { patient_id }.',
    assumed: 'book',
    alternatives: ['confirm'],
    option: 'bookAction',
    status: 'unknown',
    basis:
      'The reference has a "Book an Appointment" operation (booking/bookappointment) but its method, path and body are not in the stored pages (hero-health.md §2.2).',
    free: true,
  },
  appointmentList: {
    behaviour:
      'GET /v1/appointments?start_date&end_date&practitioner_id&patient_id lists appointments as { data, count }; used for the day list and to find our own reservation after a lost answer.',
    assumed: 'available',
    alternatives: ['none'],
    option: 'appointmentList',
    status: 'unknown',
    basis:
      'No list endpoint appears in any source (hero-health.md, "List appointments for a day"). With "none" the day list is not offered and an interrupted booking is resent.',
  },
  pageIndexBase: {
    behaviour:
      'page_index counts pages from 0 (the adapter learns it from the first paged answer unless set).',
    assumed: 'auto',
    alternatives: ['0', '1'],
    option: 'pageIndexBase',
    status: 'unknown',
    basis: 'page_index/page_size are documented for admin lists; the first index is not stated.',
  },
  repeatCancelStatus: {
    behaviour:
      'Cancelling an appointment that is already cancelled is refused with this HTTP status; the adapter then reads the appointment back (no wording is matched).',
    assumed: '409',
    alternatives: ['410', '400'],
    option: 'repeatCancelStatus',
    status: 'unknown',
    basis: 'Cancel documents 400/401/404/500 only; a second cancel is not described.',
  },
  repeatConfirmStatus: {
    behaviour:
      'Confirming an appointment that is already confirmed is refused with this HTTP status; the adapter then reads it back and keeps it if booking_confirmed_at is set.',
    assumed: '409',
    alternatives: ['400'],
    option: 'repeatConfirmStatus',
    status: 'unknown',
    basis: 'The confirm operation is not in the stored pages.',
  },
  cancelledRead: {
    behaviour:
      'Reading a cancelled appointment (GET /v1/appointments/{id}) answers 410 Gone; "cancelled_at" answers it as usual with a cancelled_at time set. Either way the adapter reports it cancelled; no other answer is taken to mean cancelled.',
    assumed: '410',
    alternatives: ['cancelled_at'],
    option: 'cancelledRead',
    status: 'unknown',
    basis:
      'The appointment object (hero-health.md §2.2, getappointment) has no status or cancelled field, and the reference does not say what a cancelled one reads as; webhooks name appointment.cancelled only.',
  },
  rateLimit: {
    behaviour:
      'Hero accepts this many requests a minute per API key; more are refused with 429 and Retry-After, which the adapter waits out.',
    assumed: '120',
    alternatives: ['30'],
    option: 'rateLimitPerMinute',
    status: 'unknown',
    basis:
      'Limits are in the Partner Agreement, not published (hero-health.md §2.4); a conservative default until the agreement says. Any number is accepted.',
    free: true,
  },
} as const satisfies Register

export const heroChoices = (options: Record<string, string>) => choose('hero', heroAssumptions, options)
export type HeroChoices = ReturnType<typeof heroChoices>
