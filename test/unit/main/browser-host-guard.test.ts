import { describe, expect, it } from 'vitest'
import {
  checkRequest,
  isAllowedHost,
  isAllowedOrigin,
  readCookie,
  SESSION_COOKIE,
  tokensEqual,
} from '../../../src/main/browser-host/guard'

const port = 4321
const token = 'abc123-session'

describe('browser host guard', () => {
  it('accepts loopback names with our port only', () => {
    expect(isAllowedHost('127.0.0.1:4321', port)).toBe(true)
    expect(isAllowedHost('localhost:4321', port)).toBe(true)
    expect(isAllowedHost('evil.example:4321', port)).toBe(false)
    expect(isAllowedHost('127.0.0.1:80', port)).toBe(false)
    expect(isAllowedHost('127.0.0.1', port)).toBe(false)
    expect(isAllowedHost(undefined, port)).toBe(false)
  })

  it('accepts no Origin or our own, and nothing else', () => {
    expect(isAllowedOrigin(undefined, port)).toBe(true)
    expect(isAllowedOrigin('http://127.0.0.1:4321', port)).toBe(true)
    expect(isAllowedOrigin('http://evil.example', port)).toBe(false)
    expect(isAllowedOrigin('null', port)).toBe(false)
    expect(isAllowedOrigin('https://127.0.0.1:4321', port)).toBe(false)
  })

  it('compares tokens exactly', () => {
    expect(tokensEqual(token, token)).toBe(true)
    expect(tokensEqual('abc123-sessioN', token)).toBe(false)
    expect(tokensEqual('abc', token)).toBe(false)
    expect(tokensEqual(undefined, token)).toBe(false)
    expect(readCookie(`a=1; ${SESSION_COOKIE}=${token}; b=2`, SESSION_COOKIE)).toBe(token)
  })

  it('checks Host, then Origin, then the site, then the token', () => {
    const good = { host: '127.0.0.1:4321', cookie: `${SESSION_COOKIE}=${token}` }
    expect(checkRequest(good, port, token)).toBeNull()
    expect(checkRequest({ ...good, host: 'rebind.example:4321' }, port, token)?.reason).toBe(
      'foreign Host header',
    )
    expect(checkRequest({ ...good, origin: 'https://evil.example' }, port, token)?.reason).toBe(
      'foreign Origin',
    )
    expect(checkRequest({ ...good, fetchSite: 'cross-site' }, port, token)?.reason).toBe('cross-site request')
    expect(checkRequest({ host: good.host }, port, token)?.reason).toBe('missing or wrong session token')
    expect(checkRequest({ host: good.host, tokenQuery: token }, port, token)).toBeNull()
    expect(checkRequest({ host: good.host, tokenHeader: 'wrong' }, port, token)?.status).toBe(403)
  })
})
