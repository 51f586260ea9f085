/**
 * Vendors' answers parsed by the JSON worker (src/main/vendors/http/json-bodies.ts): the values
 * are JSON.parse's own, unreadable bodies get JSON.parse's own message, and no answer is lost when
 * the worker is closed or dies.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { JsonBodies, OFF_THREAD_FROM_BYTES } from '../../../src/main/vendors/http/json-bodies'

const opened: JsonBodies[] = []
function bodies(opts: ConstructorParameters<typeof JsonBodies>[0] = {}) {
  const b = new JsonBodies(opts)
  opened.push(b)
  return b
}
afterEach(async () => {
  await Promise.all(opened.splice(0).map((b) => b.close()))
})

/** The awkward corners of JSON, padded with patients past the size the worker takes. */
function awkwardText(n = 300): string {
  const corners =
    '{"__proto__":{"polluted":true},"dup":1,"dup":2,"10":"ten","2":"two","name":"Zoë Ó Briain 李 👩‍⚕️",' +
    '"lone":"\\ud800","escapes":"a\\n\\"b\\"\\\\c\\u0000\\t","zero":-0,"big":12345678901234567890,' +
    '"tiny":5e-324,"max":1.7976931348623157e308,"tenth":0.1,"none":null,"yes":true,"no":false,' +
    '"empty":{},"list":[],"nested":[[[{"deep":[1,[2,[3]]]}]]]}'
  const patients = Array.from(
    { length: n },
    (_, i) =>
      `{"id":"p_${i}","dob":"19${String(i % 100).padStart(2, '0')}-0${(i % 9) + 1}-1${i % 10}","given":"Ana${i}","postcode":"SW1A ${i % 10}AA"}`,
  )
  return `{"corners":${corners},"patients":[${patients.join(',')}]}`
}

describe('vendor answers parsed by the JSON worker', () => {
  it('gives a big body the same values JSON.parse gives, own __proto__ key and -0 included', async () => {
    const text = awkwardText()
    expect(Buffer.byteLength(text)).toBeGreaterThanOrEqual(OFF_THREAD_FROM_BYTES)
    const b = bodies()
    const parsed = await b.parse(Buffer.from(text))
    expect(b.offThread).toBe(1)
    if (!('json' in parsed)) throw new Error(parsed.error)
    const expected = JSON.parse(text) as { corners: Record<string, unknown> }
    expect(parsed.json).toStrictEqual(expected)
    const corners = (parsed.json as typeof expected).corners
    // A key called __proto__ stays data, never the object's prototype.
    expect(Object.getPrototypeOf(corners)).toBe(Object.prototype)
    expect(Object.getOwnPropertyNames(corners)).toEqual(Object.getOwnPropertyNames(expected.corners))
    expect(Object.is(corners.zero, -0)).toBe(true)
    expect((corners as { polluted?: unknown }).polluted).toBeUndefined()
  })

  it('answers an unreadable big body with the message JSON.parse gives it', async () => {
    const b = bodies()
    for (const text of [
      awkwardText().slice(0, -1),
      `${awkwardText()}x`,
      `[${'1,'.repeat(OFF_THREAD_FROM_BYTES)}]`,
    ]) {
      let message = ''
      try {
        JSON.parse(text)
      } catch (err) {
        message = (err as Error).message
      }
      expect(message).not.toBe('')
      expect(await b.parse(Buffer.from(text))).toEqual({ error: message })
    }
    expect(b.offThread).toBe(3)
  })

  it('parses small bodies in place, and a body that is a slice of a bigger buffer as that slice', async () => {
    const b = bodies()
    expect(await b.parse(Buffer.from('{"token":"abc"}'))).toEqual({ json: { token: 'abc' } })
    expect(b.offThread).toBe(0)
    const text = awkwardText()
    const inside = Buffer.from(`garbage${text}garbage`).subarray(7, 7 + Buffer.byteLength(text))
    expect(await b.parse(inside)).toEqual({ json: JSON.parse(text) })
    expect(b.offThread).toBe(1)
  })

  it('gives each of many bodies in flight its own answer', async () => {
    const b = bodies()
    const texts = Array.from({ length: 40 }, (_, i) => awkwardText(250 + i))
    const answers = await Promise.all(texts.map((t) => b.parse(Buffer.from(t))))
    answers.forEach((a, i) => expect(a).toEqual({ json: JSON.parse(texts[i]!) }))
    expect(b.offThread).toBe(40)
  })

  it('parses in place what the worker had not answered when it is closed, and everything after', async () => {
    const b = bodies()
    const texts = Array.from({ length: 30 }, (_, i) => awkwardText(400 + i))
    const answers = Promise.all(texts.map((t) => b.parse(Buffer.from(t))))
    await b.close()
    ;(await answers).forEach((a, i) => expect(a).toEqual({ json: JSON.parse(texts[i]!) }))
    const after = awkwardText(300)
    expect(await b.parse(Buffer.from(after))).toEqual({ json: JSON.parse(after) })
  })

  it('loses no answer when the worker dies: what it held is parsed in place, and so is everything after', async () => {
    // A worker whose heap is too small for this body runs out of memory and ends.
    const b = bodies({ workerHeapMb: 1 })
    const huge = awkwardText(60_000)
    const answers = await Promise.all([b.parse(Buffer.from(huge)), b.parse(Buffer.from(awkwardText(500)))])
    expect(answers[0]).toEqual({ json: JSON.parse(huge) })
    expect(answers[1]).toEqual({ json: JSON.parse(awkwardText(500)) })
    expect(b.offThread).toBe(0)
    const after = awkwardText(300)
    expect(await b.parse(Buffer.from(after))).toEqual({ json: JSON.parse(after) })
    expect(b.offThread).toBe(0)
    // An answer left waiting shows as this test's time running out: ten seconds, not the suite's thirty.
  }, 10_000)
})
