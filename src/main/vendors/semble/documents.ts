/**
 * Every GraphQL document the Semble adapter sends. test/schemas/adapter-documents.test.ts validates
 * each against Semble's published (partial) schema; none is exempt.
 */

const PATIENT_FIELDS = `
fragment PatientFields on Patient {
  id
  firstName
  lastName
  dob
  email
  phones { phoneType phoneNumber }
  address { postcode }
  numbers { id name value }
  comments
  updatedAt
}`

const BOOKING_FIELDS = `
fragment BookingFields on Booking {
  id
  deleted
  start
  end
  comments
  patientId
  doctor { id }
  location { id name groupName }
  appointment { id title duration }
  bookingJourney { arrived consultation departed dna }
  updatedAt
}`

export const SIGN_IN = `
mutation SignIn($email: String!, $password: String!) {
  signIn(email: $email, password: $password) { token }
}`

export const TEST_CONNECTION = `
query TestConnection {
  patients(pagination: { page: 1, pageSize: 1 }) { data { id } }
}`

export const FIND_PATIENTS = `
query FindPatients($search: String, $pagination: Pagination) {
  patients(search: $search, pagination: $pagination) {
    data { ...PatientFields }
    pageInfo { hasMore }
  }
}
${PATIENT_FIELDS}`

export const GET_PATIENT = `
query GetPatient($id: ID!) {
  patient(id: $id) { ...PatientFields }
}
${PATIENT_FIELDS}`

export const CREATE_PATIENT = `
mutation CreatePatient($patientData: CreatePatientDataInput) {
  createPatient(patientData: $patientData) {
    data { ...PatientFields }
    error
  }
}
${PATIENT_FIELDS}`

export const ADD_PATIENT_NUMBER = `
mutation AddPatientNumber($patientId: ID!, $patientNumber: AddPatientNumberData!) {
  addPatientNumber(patientId: $patientId, patientNumber: $patientNumber) {
    data { ...PatientFields }
    error
  }
}
${PATIENT_FIELDS}`

export const ADD_PATIENT_PHONE_NUMBER = `
mutation AddPatientPhoneNumber($patientId: ID!, $phoneData: AddPhoneData!) {
  addPatientPhoneNumber(patientId: $patientId, phoneData: $phoneData) {
    data { ...PatientFields }
    error
  }
}
${PATIENT_FIELDS}`

export const UPDATE_PATIENT_NUMBER = `
mutation UpdatePatientNumber($patientId: ID!, $patientNumberId: ID!, $value: String) {
  updatePatientNumber(patientId: $patientId, patientNumberId: $patientNumberId, value: $value) {
    data { ...PatientFields }
    error
  }
}
${PATIENT_FIELDS}`

export const LIST_CLINICIANS = `
query ListClinicians($pagination: Pagination, $options: UsersQueryOptions) {
  users(pagination: $pagination, options: $options) {
    data { id title firstName lastName fullName isDoctor deleted qualifications servicesProvided { id } }
    pageInfo { hasMore }
  }
}`

/**
 * Semble publishes no query listing practice locations: they are read off the working-hours
 * settings (`availabilitySettings { location }`, a published query), one per location.
 */
export const LIST_LOCATIONS = `
query ListLocations {
  availabilitySettings { location { id name groupName address { postcode } } }
}`

/** Products (public client code against the live API); the bookable ones are the appointment types. */
export const LIST_PRODUCTS = `
query ListProducts($pagination: Pagination, $search: String) {
  products(pagination: $pagination, search: $search) {
    data { id name isBookable duration }
    pageInfo { hasMore }
  }
}`

export const AVAILABILITIES = `
query Availabilities($dateRange: DateRange!, $locationId: ID!, $doctorId: ID) {
  availabilities(dateRange: $dateRange, locationId: $locationId, doctorId: $doctorId) {
    data { start end doctor { id } }
  }
}`

export const LIST_BOOKINGS = `
query ListBookings($pagination: Pagination, $options: QueryOptions, $dateRange: DateRange) {
  bookings(pagination: $pagination, options: $options, dateRange: $dateRange) {
    data { ...BookingFields }
    pageInfo { hasMore }
  }
}
${BOOKING_FIELDS}`

export const GET_BOOKING = `
query GetBooking($id: ID!) {
  booking(id: $id) { ...BookingFields }
}
${BOOKING_FIELDS}`

export const CREATE_BOOKING = `
mutation CreateBooking($bookingData: BookingDataInput) {
  createBooking(bookingData: $bookingData) {
    data { ...BookingFields }
    error
  }
}
${BOOKING_FIELDS}`

export const UPDATE_BOOKING = `
mutation UpdateBooking($id: ID!, $bookingData: BookingUpdateDataInput) {
  updateBooking(id: $id, bookingData: $bookingData) {
    data { ...BookingFields }
    error
  }
}
${BOOKING_FIELDS}`

export const DELETE_BOOKING = `
mutation DeleteBooking($id: ID!, $sendCancellationMessages: Boolean) {
  deleteBooking(id: $id, sendCancellationMessages: $sendCancellationMessages) {
    data { ...BookingFields }
    error
  }
}
${BOOKING_FIELDS}`

export const UPDATE_BOOKING_JOURNEY = `
mutation UpdateBookingJourney($id: ID!, $bookingJourneyInput: BookingJourneyInput) {
  updateBookingJourney(id: $id, bookingJourneyInput: $bookingJourneyInput) {
    data { ...BookingFields }
    error
  }
}
${BOOKING_FIELDS}`

/** Every document with its operation name, for the schema test. */
export const sembleDocuments = {
  SignIn: SIGN_IN,
  TestConnection: TEST_CONNECTION,
  FindPatients: FIND_PATIENTS,
  GetPatient: GET_PATIENT,
  CreatePatient: CREATE_PATIENT,
  AddPatientNumber: ADD_PATIENT_NUMBER,
  AddPatientPhoneNumber: ADD_PATIENT_PHONE_NUMBER,
  UpdatePatientNumber: UPDATE_PATIENT_NUMBER,
  ListClinicians: LIST_CLINICIANS,
  ListLocations: LIST_LOCATIONS,
  ListProducts: LIST_PRODUCTS,
  Availabilities: AVAILABILITIES,
  ListBookings: LIST_BOOKINGS,
  GetBooking: GET_BOOKING,
  CreateBooking: CREATE_BOOKING,
  UpdateBooking: UPDATE_BOOKING,
  DeleteBooking: DELETE_BOOKING,
  UpdateBookingJourney: UPDATE_BOOKING_JOURNEY,
} as const
