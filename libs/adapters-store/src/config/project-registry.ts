import { dirname } from "node:path"
import { ConfigInvalid, InvalidInput, StoreFailed } from "@ao/domain"
import { Effect, Either, Option } from "effect"
import { isMap, parseDocument } from "yaml"
import { ensureDirectory, readTextIfExists, writeFileAtomic } from "../disk"
import type { AoEnvironment } from "../environment"
import { decodeConfig } from "./config-decoding"
import { globalConfigPath } from "./config-discovery"

/** A repository as `ao project add` registers it. */
export interface RegisteredProject {
  readonly id: string
  readonly path: string
  readonly defaultBranch: string
  readonly sessionPrefix: string
  /** owner/name on GitHub, when origin is there. */
  readonly repo: Option.Option<string>
}

const REGISTRY_HEADER = `# ao's registry of projects: \`ao project add <path>\` adds one, \`ao project ls\` lists them.
# A repository's own agent-orchestrator.yaml, when it has one, overrides its entry here.
# Editors can validate this file against agent-orchestrator.schema.json.
`

/**
 * Adds a project to the user's global config (the registry), creating the file
 * when missing and keeping every comment and entry already in it. The result
 * is decoded before it is written, so a registry is never left invalid.
 */
export const registerProject = Effect.fn("Config.registerProject")(function* (
  environment: AoEnvironment,
  project: RegisteredProject
) {
  const path = globalConfigPath(environment)
  const existing = yield* readTextIfExists(path).pipe(
    Effect.catchTag("DiskError", (error) => new ConfigInvalid({ path, problem: `cannot be read: ${error.detail}` }))
  )
  const document = parseDocument(Option.getOrElse(existing, () => `${REGISTRY_HEADER}projects:\n`))
  const syntaxError = document.errors[0]
  if (syntaxError !== undefined) {
    return yield* new ConfigInvalid({ path, problem: `not valid YAML: ${(syntaxError.message.split("\n")[0] ?? "").replace(/:$/, "")}` })
  }
  if (document.hasIn(["projects", project.id])) {
    return yield* new InvalidInput({
      field: "id",
      input: project.id,
      reason: `project ${project.id} is already in ${path}; pick another id with --id`
    })
  }
  const entry = {
    path: project.path,
    ...Option.match(project.repo, { onNone: () => ({}), onSome: (repo) => ({ repo }) }),
    defaultBranch: project.defaultBranch,
    sessionPrefix: project.sessionPrefix
  }
  if (!isMap(document.get("projects"))) document.set("projects", document.createNode({}))
  document.setIn(["projects", project.id], entry)
  const text = String(document)
  const decoded = decodeConfig({ path, text, homeDir: environment.homeDir })
  if (Either.isLeft(decoded)) return yield* decoded.left
  yield* Effect.zipRight(ensureDirectory(dirname(path)), writeFileAtomic(path, text)).pipe(
    Effect.catchTag("DiskError", (error) => new StoreFailed({ operation: error.operation, path: error.path, detail: error.detail }))
  )
  return { path }
})
