/**
 * Every GraphQL document the Healthie adapter sends, written for API version 2026-01-01 (list
 * queries return Relay connections). test/schemas/adapter-documents.test.ts validates each against
 * Healthie's published 2026-01-01 schema.
 */

/** What Healthie would warn staff about before booking a time ("Event Conflicts", "Credit Deficits"). */
export const BOOKING_WARNINGS = `
query BookingWarnings(
  $provider_id: ID
  $date: ISO8601DateTime
  $time: String
  $timezone: String
  $appointment_type_id: ID
  $current_appt_id: String
) {
  appointmentBookingWarnings(
    provider_id: $provider_id
    date: $date
    time: $time
    timezone: $timezone
    appointment_type_id: $appointment_type_id
    current_appt_id: $current_appt_id
  ) {
    category
    subtitle
    potential_issues
  }
}`

const USER_FIELDS = `
fragment PatientFields on User {
  id
  first_name
  last_name
  dob
  email
  phone_number
  record_identifier
  location { id line1 city zip }
  metadata
  updated_at
}`

const APPOINTMENT_FIELDS = `
fragment AppointmentFields on Appointment {
  id
  date
  start
  end
  length
  pm_status
  appointment_type_id
  appointment_type { id }
  appointment_location_id
  other_party_id
  user_id
  provider { id }
  user { id }
  notes
  metadata
  deleted_at
  updated_at
}`

const PAGE_INFO = 'page_info { has_next_page end_cursor }'

export const CURRENT_USER = `
query CurrentUser {
  currentUser { id first_name last_name }
}`

export const FIND_PATIENTS = `
query FindPatients($keywords: String, $first: Int) {
  users(keywords: $keywords, first: $first) {
    nodes { ...PatientFields }
  }
}
${USER_FIELDS}`

/** Every patient, a page at a time, for the local search copy. */
export const LIST_PATIENTS = `
query ListPatients($first: Int, $after: String) {
  users(first: $first, after: $after) {
    nodes { ...PatientFields }
    ${PAGE_INFO}
  }
}
${USER_FIELDS}`

export const GET_PATIENT = `
query GetPatient($id: ID) {
  user(id: $id) { ...PatientFields }
}
${USER_FIELDS}`

export const CREATE_CLIENT = `
mutation CreateClient($input: createClientInput) {
  createClient(input: $input) {
    user { ...PatientFields }
    messages { field message }
  }
}
${USER_FIELDS}`

/** Sets only the fields in `input` (phone_number, email, record_identifier, location) on one client. */
export const UPDATE_CLIENT = `
mutation UpdateClient($input: updateClientInput!) {
  updateClient(input: $input) {
    user { ...PatientFields }
    messages { field message }
  }
}
${USER_FIELDS}`

export const ORGANIZATION_MEMBERS = `
query OrganizationMembers($first: Int, $after: String) {
  organizationMembers(first: $first, after: $after) {
    nodes { id first_name last_name full_name qualifications appointment_types { id } }
    ${PAGE_INFO}
  }
}`

export const APPOINTMENT_TYPES = `
query AppointmentTypes($first: Int, $after: String) {
  appointmentTypes(first: $first, after: $after) {
    nodes { id name length available_contact_types }
    ${PAGE_INFO}
  }
}`

export const APPOINTMENT_LOCATIONS = `
query AppointmentLocations($first: Int, $after: String) {
  appointmentLocations(first: $first, after: $after) {
    nodes { id location }
    ${PAGE_INFO}
  }
}`

export const AVAILABLE_SLOTS = `
query AvailableSlots(
  $provider_id: ID!
  $start_date: ISO8601DateTime
  $end_date: ISO8601DateTime
  $appt_type_id: ID
  $appt_loc_id: ID
  $timezone: String
) {
  availableSlotsForRange(
    provider_id: $provider_id
    start_date: $start_date
    end_date: $end_date
    appt_type_id: $appt_type_id
    appt_loc_id: $appt_loc_id
    timezone: $timezone
  ) {
    date
    length
    user_id
    is_fully_booked
    appointment_type { id }
  }
}`

export const LIST_APPOINTMENTS = `
query ListAppointments(
  $startDate: ISO8601DateTime
  $endDate: ISO8601DateTime
  $provider_id: ID
  $user_id: ID
  $first: Int
  $after: String
) {
  appointments(
    is_org: true
    startDate: $startDate
    endDate: $endDate
    provider_id: $provider_id
    user_id: $user_id
    with_all_statuses: true
    filter: "all"
    first: $first
    after: $after
  ) {
    nodes { ...AppointmentFields }
    ${PAGE_INFO}
  }
}
${APPOINTMENT_FIELDS}`

export const GET_APPOINTMENT = `
query GetAppointment($id: ID) {
  appointment(id: $id, include_deleted: true) { ...AppointmentFields }
}
${APPOINTMENT_FIELDS}`

export const CREATE_APPOINTMENT = `
mutation CreateAppointment($input: createAppointmentInput!) {
  createAppointment(input: $input) {
    appointment { ...AppointmentFields }
    messages { field message }
  }
}
${APPOINTMENT_FIELDS}`

export const UPDATE_APPOINTMENT = `
mutation UpdateAppointment($input: updateAppointmentInput!) {
  updateAppointment(input: $input) {
    appointment { ...AppointmentFields }
    messages { field message }
  }
}
${APPOINTMENT_FIELDS}`

/** A provider's appointment settings: whether "Checked-In" is turned on (the guide: an id or a provider_id is required). */
export const APPOINTMENT_SETTING = `
query AppointmentSetting($provider_id: ID) {
  appointmentSetting(provider_id: $provider_id) { id enable_checked_in_status pm_statuses }
}`

export const healthieDocuments = {
  CurrentUser: CURRENT_USER,
  AppointmentSetting: APPOINTMENT_SETTING,
  FindPatients: FIND_PATIENTS,
  ListPatients: LIST_PATIENTS,
  GetPatient: GET_PATIENT,
  CreateClient: CREATE_CLIENT,
  UpdateClient: UPDATE_CLIENT,
  OrganizationMembers: ORGANIZATION_MEMBERS,
  AppointmentTypes: APPOINTMENT_TYPES,
  AppointmentLocations: APPOINTMENT_LOCATIONS,
  AvailableSlots: AVAILABLE_SLOTS,
  ListAppointments: LIST_APPOINTMENTS,
  GetAppointment: GET_APPOINTMENT,
  CreateAppointment: CREATE_APPOINTMENT,
  UpdateAppointment: UPDATE_APPOINTMENT,
  BookingWarnings: BOOKING_WARNINGS,
} as const
