import { describe, expect, it } from 'vitest'
import { silentLogger } from '../../../src/main/log/logger'
import {
  classifyTransport,
  kindForBusinessMessage,
  kindForGraphqlError,
  kindForStatus,
  VendorError,
} from '../../../src/main/vendors/errors'
import { readJson, type HttpResponse } from '../../../src/main/vendors/http/client'
import { interpretGraphql } from '../../../src/main/vendors/http/graphql'

const netError = (code: string, message = code) => Object.assign(new Error(message), { code })

const response = (status: number, body: unknown, headers: Record<string, string> = {}): HttpResponse => {
  const text = typeof body === 'string' ? body : JSON.stringify(body)
  const res: HttpResponse = { status, headers, text, json: undefined }
  try {
    res.json = JSON.parse(text)
  } catch (err) {
    res.jsonError = (err as Error).message
  }
  if (headers['retry-after']) res.retryAfterMs = Number(headers['retry-after']) * 1000
  return res
}

function thrown(fn: () => unknown): VendorError {
  try {
    fn()
  } catch (err) {
    if (err instanceof VendorError) return err
    throw err
  }
  throw new Error('did not throw')
}

const read = { vendor: 'semble' as const, operation: 'ListBookings', write: false }
const write = { vendor: 'semble' as const, operation: 'CreateBooking', write: true }

describe('transport failures', () => {
  it('cannot connect → offline, for reads and writes alike (nothing was sent)', () => {
    for (const code of [
      'ECONNREFUSED',
      'ENOTFOUND',
      'EAI_AGAIN',
      'EHOSTUNREACH',
      'UND_ERR_CONNECT_TIMEOUT',
    ]) {
      expect(classifyTransport(netError(code), { ...write, requestSent: false }).kind).toBe('offline')
      expect(classifyTransport(netError(code), { ...read, requestSent: false }).kind).toBe('offline')
    }
  })

  it('a write that failed after its body left is ambiguous', () => {
    for (const code of ['ECONNRESET', 'UND_ERR_SOCKET', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']) {
      expect(classifyTransport(netError(code), { ...write, requestSent: true }).kind).toBe('ambiguous')
    }
  })

  it('a read that timed out is a timeout; a dropped read is unavailable', () => {
    expect(classifyTransport(netError('UND_ERR_HEADERS_TIMEOUT'), { ...read, requestSent: true }).kind).toBe(
      'timeout',
    )
    expect(
      classifyTransport(netError('UND_ERR_SOCKET', 'other side closed'), { ...read, requestSent: true }).kind,
    ).toBe('unavailable')
  })

  it('a reset before the request was out is offline, even for a write', () => {
    expect(classifyTransport(netError('ECONNRESET'), { ...write, requestSent: false }).kind).toBe('offline')
  })

  it('finds the code through a cause chain', () => {
    const wrapped = new Error('fetch failed', { cause: netError('ECONNREFUSED') })
    expect(classifyTransport(wrapped, { ...read, requestSent: false }).kind).toBe('offline')
  })
})

describe('HTTP status', () => {
  it.each([
    [400, 'invalid'],
    [401, 'auth'],
    [403, 'auth'],
    [404, 'not-found'],
    [409, 'conflict'],
    [422, 'invalid'],
    [429, 'rate-limited'],
    [500, 'unavailable'],
    [502, 'unavailable'],
    [503, 'unavailable'],
    [504, 'timeout'],
  ] as const)('%i → %s', (status, kind) => {
    expect(kindForStatus(status)).toBe(kind)
  })

  it('a success answer that is not JSON: protocol for a read, ambiguous for a write', () => {
    const truncated = response(200, '{"data":{"createBooking":{"data":{"id":"6')
    expect(thrown(() => readJson(truncated, read)).kind).toBe('protocol')
    expect(thrown(() => readJson(truncated, write)).kind).toBe('ambiguous')
  })

  it('an error answer that is not JSON is classified by its status', () => {
    const e = thrown(() => readJson(response(503, '<html>Service Unavailable</html>'), read))
    expect(e.kind).toBe('unavailable')
    expect(e.status).toBe(503)
  })
})

describe('GraphQL answers (Semble shapes, semble.md §1.1, §1.3)', () => {
  it('Missing token with 401 → auth, with the vendor code kept', () => {
    const e = thrown(() =>
      interpretGraphql(
        response(401, { errors: [{ message: 'Missing token.', extensions: { code: 'UNAUTHENTICATED' } }] }),
        read,
        silentLogger,
      ),
    )
    expect(e.kind).toBe('auth')
    expect(e.vendorCode).toBe('UNAUTHENTICATED')
    expect(e.vendorMessage).toBe('Missing token.')
  })

  it('FORBIDDEN for role scope → auth', () => {
    expect(kindForGraphqlError({ message: 'Forbidden', extensions: { code: 'FORBIDDEN' } }, 200)).toBe('auth')
  })

  it('a field-level permission error with the rest of the data → the data, not a failure', () => {
    const data = interpretGraphql(
      response(200, {
        data: { booking: { id: 'b1', doctor: null } },
        errors: [
          {
            message: 'requires settingsSeeUsers',
            path: ['booking', 'doctor'],
            extensions: { code: 'PERMISSION_DENIED' },
          },
        ],
      }),
      read,
      silentLogger,
    )
    expect(data).toEqual({ booking: { id: 'b1', doctor: null } })
  })

  it('429 with Retry-After → rate-limited, and everyone on the connection backs off', () => {
    let backedOff = 0
    const e = thrown(() =>
      interpretGraphql(
        response(
          429,
          { errors: [{ message: 'Too many requests', extensions: { code: 'RATE_LIMITED' } }] },
          { 'retry-after': '7' },
        ),
        read,
        silentLogger,
        (ms) => (backedOff = ms),
      ),
    )
    expect(e.kind).toBe('rate-limited')
    expect(e.retryAfterMs).toBe(7_000)
    expect(backedOff).toBe(7_000)
  })

  it('5xx with an INTERNAL_SERVER_ERROR envelope → unavailable', () => {
    const e = thrown(() =>
      interpretGraphql(
        response(503, {
          errors: [{ message: 'Service Unavailable', extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
        }),
        write,
        silentLogger,
      ),
    )
    expect(e.kind).toBe('unavailable')
  })

  it('our document not matching the schema → protocol', () => {
    expect(
      kindForGraphqlError(
        {
          message: 'Cannot query field "bookingTypes" on type "Query".',
          extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
        },
        400,
      ),
    ).toBe('protocol')
    expect(kindForGraphqlError({ message: 'Cannot query field "bookingTypes" on type "Query".' }, 400)).toBe(
      'protocol',
    )
  })

  it('a mutation payload error is read from its wording', () => {
    expect(kindForBusinessMessage('The doctor already has a booking at this time')).toBe('conflict')
    expect(kindForBusinessMessage('Booking not found')).toBe('not-found')
    expect(kindForBusinessMessage('First name is required')).toBe('invalid')
    expect(kindForBusinessMessage('Invalid NHS number')).toBe('invalid')
  })
})

describe('GraphQL answers (Healthie shapes, healthie.md §4.3)', () => {
  const healthie = { vendor: 'healthie' as const, operation: 'ListAppointments', write: false }

  it('TOO_MANY_REQUESTS inside a 200 → rate-limited, backing off a second when no Retry-After', () => {
    let backedOff = 0
    const e = thrown(() =>
      interpretGraphql(
        response(200, {
          errors: [
            {
              message: 'Too many requests. Please try again later.',
              extensions: { code: 'TOO_MANY_REQUESTS' },
            },
          ],
        }),
        healthie,
        silentLogger,
        (ms) => (backedOff = ms),
      ),
    )
    expect(e.kind).toBe('rate-limited')
    expect(backedOff).toBe(1_000)
  })

  it('complexity and depth limits → protocol (our query is too big)', () => {
    expect(
      kindForGraphqlError(
        { message: 'Query has complexity of 2274, which exceeds max complexity of 2000' },
        200,
      ),
    ).toBe('protocol')
    expect(
      kindForGraphqlError({ message: 'Query has depth of 30, which exceeds max depth of 25' }, 200),
    ).toBe('protocol')
  })

  it('UNSUPPORTED_API_VERSION → protocol', () => {
    expect(
      kindForGraphqlError(
        {
          message: 'Unsupported API version',
          extensions: { code: 'UNSUPPORTED_API_VERSION', requested_version: '2024-06-01' },
        },
        400,
      ),
    ).toBe('protocol')
  })

  it('a 404 that does not follow the GraphQL envelope → not-found', () => {
    expect(thrown(() => interpretGraphql(response(404, 'Not Found'), healthie, silentLogger)).kind).toBe(
      'not-found',
    )
    expect(thrown(() => interpretGraphql(response(404, ['Not Found']), healthie, silentLogger)).kind).toBe(
      'not-found',
    )
  })

  it('warnings are not failures', () => {
    const data = interpretGraphql(
      response(200, {
        data: { currentUser: { id: '1' } },
        extensions: { warnings: [{ code: 'API_VERSION_SUNSET_WARNING', sunset_date: '2027-01-31' }] },
      }),
      healthie,
      silentLogger,
    )
    expect(data).toEqual({ currentUser: { id: '1' } })
  })

  it('a write answered with neither data nor errors is ambiguous', () => {
    expect(
      thrown(() => interpretGraphql(response(200, {}), { ...healthie, write: true }, silentLogger)).kind,
    ).toBe('ambiguous')
  })
})

describe('VendorError', () => {
  it('says which kinds are worth retrying as they are', () => {
    expect(new VendorError('offline', 'x').retryable).toBe(true)
    expect(new VendorError('rate-limited', 'x').retryable).toBe(true)
    expect(new VendorError('ambiguous', 'x').retryable).toBe(false)
    expect(new VendorError('invalid', 'x').retryable).toBe(false)
  })
})

describe('vendor warnings', () => {
  it('are logged once however often the vendor repeats them, and every answer still reports them', () => {
    const lines: { msg: string }[] = []
    const log = { ...silentLogger, warn: (msg: string) => void lines.push({ msg }) }
    const seen: unknown[] = []
    const warning = { code: 'API_VERSION_SUNSET_WARNING', message: `sunset ${Math.random()}` }
    for (let i = 0; i < 5; i++)
      interpretGraphql(
        response(200, { data: { ok: true }, extensions: { warnings: [warning] } }),
        { vendor: 'healthie', operation: `Op${i}`, write: false },
        log,
        () => {},
        (w) => seen.push(w),
      )
    expect(lines.filter((l) => l.msg === 'vendor warnings')).toHaveLength(1)
    expect(seen).toHaveLength(5)
  })
})
