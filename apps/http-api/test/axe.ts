import { readFileSync } from "node:fs"
import { createRequire } from "node:module"
import type { Page } from "playwright-core"

/**
 * axe-core run inside the page as it is, in light and in dark
 * (`prefers-color-scheme` emulated). The script goes in through the
 * debugger, not a `<script>` tag, so the page's CSP stays as served.
 */
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8")

export interface AxeFinding {
  readonly scheme: "light" | "dark"
  readonly rule: string
  readonly impact: string
  readonly help: string
  readonly targets: ReadonlyArray<string>
}

interface AxeResults {
  readonly violations: ReadonlyArray<{
    readonly id: string
    readonly impact: string | null
    readonly help: string
    readonly nodes: ReadonlyArray<{ readonly target: ReadonlyArray<unknown> }>
  }>
  readonly passes: ReadonlyArray<unknown>
}

/** Serious and critical violations of the WCAG 2.x A/AA rules, in both colour schemes; also how many rules passed. */
export const axeScan = async (page: Page): Promise<{ readonly findings: ReadonlyArray<AxeFinding>; readonly passed: number }> => {
  const findings: Array<AxeFinding> = []
  let passed = Number.POSITIVE_INFINITY
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme })
    if (!(await page.evaluate("typeof window.axe === 'object'"))) await page.evaluate(AXE_SOURCE)
    const results = (await page.evaluate(
      "window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] }, resultTypes: ['violations'] })"
    )) as AxeResults
    passed = Math.min(passed, results.passes.length)
    for (const violation of results.violations) {
      if (violation.impact !== "serious" && violation.impact !== "critical") continue
      findings.push({
        scheme,
        rule: violation.id,
        impact: violation.impact,
        help: violation.help,
        targets: violation.nodes.map((node) => node.target.map(String).join(" "))
      })
    }
  }
  await page.emulateMedia({ colorScheme: null })
  return { findings, passed }
}

/** One line per finding, for an assertion message. */
export const findingsText = (findings: ReadonlyArray<AxeFinding>): string =>
  findings.map((each) => `${each.scheme}: ${each.rule} (${each.impact}) ${each.help}: ${each.targets.join(", ")}`).join("\n")
