import { describe, expect, it } from 'vitest'
import {
  checkRequest,
  checkSource,
  isAllowedHost,
  isAllowedOrigin,
  isJsonContentType,
  parseTarget,
  safeDecode,
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
  })

  it('checks Host, then Origin, then the site, then the token from the header', () => {
    const good = { host: '127.0.0.1:4321', tokenHeader: token }
    expect(checkRequest(good, port, token)).toBeNull()
    expect(checkRequest({ ...good, host: 'rebind.example:4321' }, port, token)?.reason).toBe(
      'foreign Host header',
    )
    expect(checkRequest({ ...good, origin: 'https://evil.example' }, port, token)?.reason).toBe(
      'foreign Origin',
    )
    expect(checkRequest({ ...good, fetchSite: 'cross-site' }, port, token)?.reason).toBe('cross-site request')
    expect(checkRequest({ host: good.host }, port, token)?.reason).toBe('missing or wrong session token')
    expect(checkRequest({ host: good.host, tokenHeader: 'wrong' }, port, token)?.status).toBe(403)
    expect(checkSource({ host: good.host }, port)).toBeNull()
    expect(checkSource({ host: good.host, fetchSite: 'same-site' }, port)?.reason).toBe('cross-site request')
  })

  it('parses request targets without throwing, keeping `//` as a path', () => {
    expect(parseTarget('//')).toEqual({ pathname: '//', search: '' })
    expect(parseTarget('///')).toEqual({ pathname: '///', search: '' })
    expect(parseTarget('//evil.example/x')?.pathname).toBe('//evil.example/x')
    expect(parseTarget('/a?token=x')).toEqual({ pathname: '/a', search: '?token=x' })
    for (const bad of ['', '*', 'http://127.0.0.1/', 'evil.example:443', undefined])
      expect(parseTarget(bad), String(bad)).toBeNull()
  })

  it('decodes percent-escapes, answering null for broken ones', () => {
    expect(safeDecode('app.info')).toBe('app.info')
    expect(safeDecode('%E0%A4%A8')).toBe('न')
    expect(safeDecode('%E0%A4%A')).toBeNull()
    expect(safeDecode('%')).toBeNull()
  })

  it('accepts application/json only as the content type', () => {
    expect(isJsonContentType('application/json')).toBe(true)
    expect(isJsonContentType('Application/JSON; charset=utf-8')).toBe(true)
    for (const ct of [
      undefined,
      '',
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data',
      'application/jsonp',
    ])
      expect(isJsonContentType(ct), String(ct)).toBe(false)
  })
})
