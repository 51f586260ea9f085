import { describe, expect, it } from 'vitest'
import { diagnose } from '../../../src/main/network/diagnose'

const target = new URL('https://api.vendor.example/v1')
const err = (code: string, message = code) => Object.assign(new Error(message), { code })
const issuer = async () => 'Trust Inspection CA (NHS Trust)'

describe('network failures in plain words', () => {
  it('an expired certificate points at the clock first', async () => {
    const e = await diagnose(err('CERT_HAS_EXPIRED'), { target, operation: 'test' }, issuer)
    expect(e?.kind).toBe('offline')
    expect(e?.message).toBe(
      'The certificate presented for api.vendor.example is expired or not yet valid (issued by “Trust Inspection CA (NHS Trust)”). Check this computer’s date and time; if they are right, ask IT to check the certificate of api.vendor.example or of the network’s inspecting proxy.',
    )
  })

  it('a certificate for another name suggests an intercepting filter', async () => {
    const e = await diagnose(
      err('ERR_TLS_CERT_ALTNAME_INVALID'),
      { target, operation: 'test', proxy: 'http://proxy.trust.nhs.uk:8080' },
      async () => undefined,
    )
    expect(e?.message).toMatch(
      /^The certificate presented for api\.vendor\.example through the proxy proxy\.trust\.nhs\.uk:8080 is for a different name \(issuer unknown\)\. Ask IT whether a proxy or web filter/,
    )
  })

  it('a proxy asking for sign-in says Basic only, NTLM and Kerberos not supported', async () => {
    const e = await diagnose(
      err('UND_ERR_ABORTED', 'Proxy response (407) !== 200 when HTTP Tunneling'),
      { target, operation: 'test', proxy: 'http://p.example:3128' },
      issuer,
    )
    expect(e?.status).toBe(407)
    expect(e?.message).toContain('NTLM and Kerberos (Windows sign-in) are not supported')
  })

  it('leaves ordinary failures to the generic rules', async () => {
    expect(await diagnose(err('ECONNREFUSED'), { target, operation: 'test' }, issuer)).toBeUndefined()
    expect(
      await diagnose(err('ECONNRESET'), { target, operation: 'test', proxy: 'http://p:1' }, issuer),
    ).toBeUndefined()
  })
})
