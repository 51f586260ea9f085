import { relative } from 'node:path'
import type { Reporter, TestModule } from 'vitest/node'

/** The first line of an error's message, short enough for a CI log's one line. */
function firstLine(message: string | undefined) {
  return (message ?? 'no message').split('\n')[0]!.slice(0, 300)
}

/**
 * Ends the run with one plain line, `tests: N passed, N failed`, that CI logs can be read by, after
 * a `failed:` line per failed test (file, name, the error's first line). CI shows a run's last lines
 * only, so a failure must be named there, not only in the report far above.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>) {
    let passed = 0
    let skipped = 0
    const failures: string[] = []
    for (const m of testModules) {
      const file = relative(process.cwd(), m.moduleId)
      for (const t of m.children.allTests()) {
        const result = t.result()
        if (result.state === 'passed') passed++
        else if (result.state === 'failed')
          failures.push(`failed: ${file} › ${t.fullName}: ${firstLine(result.errors?.[0]?.message)}`)
        else skipped++
      }
      if (m.state() === 'failed' && [...m.children.allTests()].length === 0)
        failures.push(`failed: ${file} (did not run): ${firstLine(m.errors()[0]?.message)}`)
    }
    process.stdout.write(
      `\n${failures.map((f) => `${f}\n`).join('')}tests: ${passed} passed, ${failures.length} failed${skipped ? `, ${skipped} skipped` : ''}\n`,
    )
  }
}
