import { type Vendor } from '../shared/model'
import { startAdminServer } from './admin/server'
import { type Clock, type SimulatorHandle } from './core'
import { startHealthieSimulator } from './healthie'
import { type HeimState, startHeimSimulator } from './heim'
import { type HeroState, startHeroSimulator } from './hero'
import { type SeedClinic, seedClinic } from './seed'
import { startSembleSimulator } from './semble'

export {
  ManualClock,
  systemClock,
  type Clock,
  type Fault,
  type SimulatorHandle,
  type RecordedWrite,
} from './core'
export { seedClinic, type SeedClinic } from './seed'
export { startHeroSimulator, type HeroOptions, type HeroState } from './hero'
export { startHeimSimulator, type HeimOptions, type HeimState } from './heim'
export { startAdminServer, type AdminServer } from './admin/server'

export interface SandboxOptions {
  /** Default 2000. */
  patients?: number
  seed?: number
  clock?: Clock
  /** Default Europe/London. */
  timeZone?: string
  /** Default 120, the design value. */
  sembleRateLimitPerMinute?: number
  ports?: Partial<Record<Vendor | 'admin', number>>
}

type StateOf<T> = T extends (...args: never[]) => Promise<SimulatorHandle<infer S>> ? S : never

export interface Sandbox {
  semble: SimulatorHandle<StateOf<typeof startSembleSimulator>>
  healthie: SimulatorHandle<StateOf<typeof startHealthieSimulator>>
  hero: SimulatorHandle<HeroState>
  heim: SimulatorHandle<HeimState>
  admin: { url: string; token: string }
  /** Each vendor's own seeded clinic. */
  clinics: Record<Vendor, SeedClinic>
  /** The Semble clinic (the first), for callers that need one. */
  clinic: SeedClinic
  close(): Promise<void>
}

/** All four vendor simulators, each on its own seeded clinic, plus the admin server that controls them. */
export async function startSandbox(opts: SandboxOptions = {}): Promise<Sandbox> {
  const clock = opts.clock
  // Four different clinics, one per vendor: their own patients, practitioners and diaries. The
  // seeds' NHS-number sequences lie ~69,000 places apart, so populations never share a number.
  const base = opts.seed ?? 1
  const seeded = (offset: number) =>
    seedClinic({
      patients: opts.patients ?? 2000,
      seed: base + offset,
      timeZone: opts.timeZone ?? 'Europe/London',
      today: clock ? clock.now() : new Date(),
    })
  const clinics: Record<Vendor, SeedClinic> = {
    semble: seeded(0),
    healthie: seeded(1),
    hero: seeded(2),
    heim: seeded(3),
  }
  const common = (vendor: Vendor) => ({
    ...(clock ? { clock } : {}),
    ...(opts.ports?.[vendor] !== undefined ? { port: opts.ports[vendor] } : {}),
  })
  const started: SimulatorHandle<unknown>[] = []
  const track = <T extends SimulatorHandle<unknown>>(h: T) => (started.push(h), h)
  try {
    const semble = track(
      await startSembleSimulator(clinics.semble, {
        ...common('semble'),
        rateLimitPerMinute: opts.sembleRateLimitPerMinute ?? 120,
      }),
    )
    const healthie = track(await startHealthieSimulator(clinics.healthie, common('healthie')))
    const hero = track(await startHeroSimulator(clinics.hero, common('hero')))
    const heim = track(await startHeimSimulator(clinics.heim, common('heim')))
    const admin = await startAdminServer(
      { semble, healthie, hero, heim },
      opts.ports?.admin !== undefined ? { port: opts.ports.admin } : {},
    )
    return {
      semble,
      healthie,
      hero,
      heim,
      admin: { url: admin.url, token: admin.token },
      clinics,
      clinic: clinics.semble,
      async close() {
        await admin.close()
        await Promise.all(started.map((h) => h.close()))
      },
    }
  } catch (err) {
    await Promise.all(started.map((h) => h.close()))
    throw err
  }
}
