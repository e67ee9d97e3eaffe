import type { Sandbox, SeededRandom } from "@ao/e2e-harness"
import { execa } from "execa"
import { existsSync } from "node:fs"
import { readFile, writeFile } from "node:fs/promises"
import { join } from "node:path"

/** A file written into a worktree before a crash, and the bytes that must survive it. */
export interface KnownFile {
  readonly sessionId: string
  readonly worktree: string
  readonly file: string
  readonly bytes: Uint8Array
}

/**
 * Work an agent would leave uncommitted: an edit to a tracked file and an
 * untracked file of random bytes (every byte value, so a text conversion shows).
 */
export const writeKnownWork = async (random: SeededRandom, sessionId: string, worktree: string): Promise<ReadonlyArray<KnownFile>> => {
  const files: ReadonlyArray<KnownFile> = [
    { sessionId, worktree, file: "README.md", bytes: new TextEncoder().encode(`# edited by the agent ${random.between(0, 1e9)}\n`) },
    { sessionId, worktree, file: `untracked-${random.between(0, 1e6)}.bin`, bytes: random.bytes(random.between(1, 4096)) }
  ]
  for (const known of files) await writeFile(join(worktree, known.file), known.bytes)
  return files
}

const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((byte, i) => byte === b[i])

/** The file's bytes as saved in a snapshot ref, none when the ref does not have it. */
const inSnapshot = async (sandbox: Sandbox, ref: string, file: string): Promise<Uint8Array | undefined> => {
  // Bytes as they are: the sandbox's git() returns text with its last newline stripped.
  const shown = await execa("git", ["cat-file", "blob", `${ref}:${file}`], {
    cwd: sandbox.paths.repo,
    env: sandbox.env,
    extendEnv: false,
    encoding: "buffer",
    stripFinalNewline: false,
    reject: false
  })
  return shown.exitCode === 0 ? shown.stdout : undefined
}

/**
 * How many of the known bytes are neither in the worktree nor in any of the
 * session's snapshot refs (`refs/ao/snapshots/<session>/…`): must be 0.
 */
export const bytesLost = async (sandbox: Sandbox, known: ReadonlyArray<KnownFile>): Promise<number> => {
  let lost = 0
  for (const entry of known) {
    const path = join(entry.worktree, entry.file)
    if (existsSync(path) && sameBytes(new Uint8Array(await readFile(path)), entry.bytes)) continue
    let saved = false
    for (const ref of await sandbox.refs(`refs/ao/snapshots/${entry.sessionId}/`)) {
      const bytes = await inSnapshot(sandbox, ref, entry.file)
      if (bytes !== undefined && sameBytes(bytes, entry.bytes)) saved = true
    }
    if (!saved) lost += entry.bytes.length
  }
  return lost
}
