import type { Runtime } from '../../src/main/app/runtime'
import { silentLogger, type Logger } from '../../src/main/log/logger'
import type { ConnectionsRepo } from '../../src/main/store/connections-repo'
import { RefreshService, type RefreshOptions } from '../../src/main/sync/refresh'
import type { VendorAdapter } from '../../src/main/vendors/types'

/**
 * A refresh service of a test's own over a runtime's parts: its own pass of each patient list
 * (from the first page), on the test's clock, with the options the test names. Its events go on the
 * runtime's bus, so a page open on the runtime hears them.
 */
export function ownRefresh(
  rt: Runtime,
  opts: RefreshOptions & { now: () => Date },
  parts: {
    adapterFor?: (connectionId: string) => VendorAdapter
    connections?: ConnectionsRepo
    log?: Logger
  } = {},
): RefreshService {
  return new RefreshService(
    rt.db,
    parts.connections ?? rt.connections,
    rt.cache,
    parts.adapterFor ?? ((id) => rt.adapters.get(id)),
    rt.sync,
    rt.bus,
    parts.log ?? silentLogger,
    opts,
  )
}
