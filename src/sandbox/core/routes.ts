import { type HandlerContext, type SimRequest, type SimResponse } from './server'

/** A small path router for the REST vendors: `/v1/appointments/:id/cancel` style patterns. */
export type RouteHandler = (
  req: SimRequest,
  params: Record<string, string>,
  ctx: HandlerContext,
) => SimResponse | Promise<SimResponse>

export interface Route {
  method: string
  pattern: string
  handler: RouteHandler
}

export function matchRoute(
  routes: readonly Route[],
  method: string,
  path: string,
): { route: Route; params: Record<string, string> } | { route: undefined; methodMismatch: boolean } {
  const parts = path.replace(/\/+$/, '').split('/')
  let methodMismatch = false
  for (const route of routes) {
    const pattern = route.pattern.split('/')
    if (pattern.length !== parts.length) continue
    const params: Record<string, string> = {}
    let ok = true
    for (let i = 0; i < pattern.length && ok; i++) {
      const p = pattern[i] as string
      const v = parts[i] as string
      if (p.startsWith(':')) {
        if (v.length === 0) ok = false
        else params[p.slice(1)] = decodeURIComponent(v)
      } else if (p !== v) ok = false
    }
    if (!ok) continue
    if (route.method !== method) {
      methodMismatch = true
      continue
    }
    return { route, params }
  }
  return { route: undefined, methodMismatch }
}
