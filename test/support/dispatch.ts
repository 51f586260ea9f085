import type { Runtime } from '../../src/main/app/runtime'

/** A contract call through the runtime's router, as the page makes it: its value, or an error naming the method and why. */
export async function dispatchOk<T>(
  rt: Pick<Runtime, 'dispatch'>,
  method: string,
  input: unknown,
): Promise<T> {
  const r = await rt.dispatch(method as never, input as never)
  if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`)
  return r.value as T
}
