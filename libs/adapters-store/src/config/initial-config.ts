import { dirname } from "node:path"
import { ConfigAlreadyExists, DEFAULT_STARTUP_CHECK_SECONDS, StoreFailed } from "@ao/domain"
import { Effect } from "effect"
import { stringify } from "yaml"
import { createFileExclusive, ensureDirectory } from "../disk"
import type { PresetName } from "./agent-presets"
import { DEFAULT_IDLE_AFTER_SECONDS, DEFAULT_PORT, DEFAULT_WORKTREE_DIR } from "./config-decoding"
import { derivePrefix } from "./session-prefix"

export interface InitialConfigInput {
  /** The name of the repository's directory; the project id is derived from it. */
  readonly directoryName: string
  /** The repository, as written into the file (relative to the file; default "."). */
  readonly path?: string
  readonly defaultBranch: string
  readonly agent: PresetName
  /** owner/name on GitHub, when the repository has a GitHub remote. */
  readonly repo?: string
}

/** A valid project id from a directory name: other characters become '-'. */
export const projectIdFromDirectory = (directoryName: string): string => {
  const id = directoryName
    .replace(/[^A-Za-z0-9._-]+/g, "-")
    .replace(/\.{2,}/g, ".")
    .replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, "")
    .slice(0, 64)
  return id.length > 0 ? id : "project"
}

const scalar = (value: string) => stringify(value).trimEnd()

/** The commented agent-orchestrator.yaml `ao init` writes for one repository. */
export const renderInitialConfig = (input: InitialConfigInput): string => {
  const id = projectIdFromDirectory(input.directoryName)
  // With `repo`, scm and tracker default to github; without it, to none. The comments say which.
  const repoLine =
    input.repo === undefined
      ? "    # The GitHub repository (owner/name). Set it, and pull requests are looked up there,\n" +
        "    # and so are numbered issues (42); other ids (INT-1234) are then just names.\n    # repo: owner/name"
      : `    # The GitHub repository.\n    repo: ${scalar(input.repo)}`
  const hostLines =
    input.repo === undefined
      ? ""
      : "    # Where pull requests are looked up, whatever the tracker: github or none.\n    scm: github\n" +
        "    # Where issues are looked up: github reads numbered issues (42); other ids (INT-1234)\n" +
        "    # are then just names, with no issue state. none: every id is just a name.\n    tracker: github\n"
  return `# ao configuration. Editors can validate it against agent-orchestrator.schema.json.
# Paths may start with ~ and are otherwise relative to this file.

projects:
  ${id}:
    name: ${scalar(id)}
    # The git repository the agents work on.
    path: ${scalar(input.path ?? ".")}
${repoLine}
    # New session branches start from this branch.
    defaultBranch: ${scalar(input.defaultBranch)}
    # Sessions are named <prefix>-<issue> (e.g. ${derivePrefix(id)}-int-1234) or <prefix>-s<n> without an issue.
    sessionPrefix: ${derivePrefix(id)}
    # A preset (claude, codex, aider) or your own:
    #   agent: { launch: "my-agent --flag", resume: "my-agent --continue", promptFlag: --prompt }
    agent: ${input.agent}
    # Each session gets its own git worktree under this directory.
    worktreeDir: ${DEFAULT_WORKTREE_DIR}
${hostLines}
# Settings every project shares unless it sets its own:
# defaults:
#   idleAfter: ${DEFAULT_IDLE_AFTER_SECONDS}  # seconds without output before an agent shows as idle
#   startupCheck: ${DEFAULT_STARTUP_CHECK_SECONDS}  # seconds spawn waits to check the agent did not exit at once

# The HTTP API's port:
# port: ${DEFAULT_PORT}
`
}

/** Writes a new config; never overwrites one (ConfigAlreadyExists). */
export const writeInitialConfig = Effect.fn("Config.writeInitial")(function* (path: string, content: string) {
  yield* Effect.zipRight(ensureDirectory(dirname(path)), createFileExclusive(path, content)).pipe(
    Effect.catchTag("DiskError", (error) =>
      Effect.fail(
        error.code === "EEXIST"
          ? new ConfigAlreadyExists({ path })
          : new StoreFailed({ operation: error.operation, path: error.path, detail: error.detail })
      )
    )
  )
})
