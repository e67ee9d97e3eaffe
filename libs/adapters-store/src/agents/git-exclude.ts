import { isAbsolute, join, resolve } from "node:path"
import { Effect, Option } from "effect"
import { appendLine, ensureDirectory, exists, readText, readTextIfExists } from "../disk"

/**
 * The repository's shared git directory for a worktree: `.git` is a file
 * (`gitdir: …`) in a linked worktree, whose `commondir` leads to the main
 * `.git`. Git reads `info/exclude` only from there, for every worktree.
 */
const commonGitDir = (workspacePath: string) =>
  Effect.gen(function* () {
    const dotGit = join(workspacePath, ".git")
    const pointer = yield* readText(dotGit).pipe(
      Effect.map(Option.some),
      Effect.catchIf(
        (error) => error.code === "EISDIR",
        () => Effect.succeedNone
      )
    )
    if (Option.isNone(pointer)) return dotGit
    const gitDir = resolve(workspacePath, pointer.value.replace(/^gitdir:\s*/, "").trim())
    const common = yield* readTextIfExists(join(gitDir, "commondir"))
    return Option.match(common, {
      onNone: () => gitDir,
      onSome: (text) => (isAbsolute(text.trim()) ? text.trim() : resolve(gitDir, text.trim()))
    })
  })

/**
 * Keeps `relativePath` (a file ao writes into a worktree) out of git: one
 * anchored line in the repository's `info/exclude`, added once. Neither
 * `.gitignore` nor anything tracked changes.
 */
export const excludeFromGit = (workspacePath: string, relativePath: string) =>
  Effect.gen(function* () {
    const info = join(yield* commonGitDir(workspacePath), "info")
    const exclude = join(info, "exclude")
    const pattern = `/${relativePath}`
    const current = yield* readTextIfExists(exclude)
    if (Option.isSome(current) && current.value.split("\n").some((line) => line.trim() === pattern)) return
    if (!(yield* exists(info))) yield* ensureDirectory(info)
    yield* appendLine(exclude, `${pattern}\n`)
  })
