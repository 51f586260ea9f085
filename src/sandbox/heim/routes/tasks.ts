/** Tasks: the kinds of home visit Heim offers (blood test, ECG…), listed and one by id. */
import { json, type Route } from '../../core'
import { err, type HeimContext } from './shared'

export function taskRoutes({ state, tasksPath, opts }: HeimContext): Route[] {
  return [
    {
      method: 'GET',
      pattern: tasksPath,
      // Every task fits on one page.
      handler: () =>
        json(
          200,
          opts.paging === 'page'
            ? { data: state.tasks, hasMore: false }
            : { data: state.tasks, hasMore: false, nextCursor: null },
        ),
    },
    {
      method: 'GET',
      pattern: `${tasksPath}/:id`,
      handler: (_req, params) => {
        const t = state.tasks.find((x) => x.id === params.id)
        return t ? json(200, t) : err(404, `No such task: ${params.id}`)
      },
    },
  ]
}
