import { basename, join } from "node:path"
import { defineConfig, type UserConfig } from "vitest/config"

/**
 * The vitest settings every project shares. Each run also writes a JSON report
 * to `reports/vitest/<project>.json`; `.ci/run` adds those up into its
 * `N passed, N failed` line, so the count always comes from real results.
 */
export const projectTestConfig = (projectDir: string, overrides: UserConfig["test"] = {}) =>
  defineConfig({
    test: {
      include: ["src/**/*.test.ts", "test/**/*.test.ts"],
      reporters: [
        "default",
        ["json", { outputFile: join(import.meta.dirname, "reports", "vitest", `${basename(projectDir)}.json`) }]
      ],
      // Timeouts catch hangs; they are not speed limits. A real-tmux e2e test
      // that takes 6 s on a quiet machine took over 30 s at load average 30,
      // and a test must pass on a busy machine.
      testTimeout: 180_000,
      hookTimeout: 180_000,
      ...overrides
    }
  })
