/** The points of a send at which the kill-point runs stop a Frontdesk process (kill-point-child.ts). */
export const KILL_POINTS = ['before-request', 'vendor-applied', 'after-answer'] as const
export type KillPoint = (typeof KILL_POINTS)[number]

/** The child's plan argument: stop at `point` of row `seq`'s send. */
export const killPlan = (seq: number, point: KillPoint) => `${seq}:${point}`

export function parseKillPlan(plan: string): { seq: number; point: KillPoint } {
  const [seq, point] = plan.split(':')
  if (!Number.isInteger(Number(seq)) || !KILL_POINTS.includes(point as KillPoint))
    throw new Error(`kill plan "${plan}" is not <seq>:<${KILL_POINTS.join('|')}>`)
  return { seq: Number(seq), point: point as KillPoint }
}
