import type { Sandbox, SeededRandom } from "@ao/e2e-harness"
import { execa } from "execa"
import { existsSync } from "node:fs"
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises"
import { dirname, join } from "node:path"

/**
 * The kinds of work a worktree holds that a kill, cleanup, `doctor --fix` or
 * crash must not lose: a tracked file's edit, the index as staged, an
 * untracked file, an ignored file (not one of `snapshot.skip`), and a file of
 * a repository nested inside the worktree, and a commit no branch reaches
 * (made on a detached HEAD).
 */
export type KnownKind = "tracked" | "staged" | "untracked" | "ignored" | "nested" | "unreachable"

/** A file written into a worktree before a crash, and the bytes that must survive it. */
export interface KnownFile {
  readonly sessionId: string
  readonly worktree: string
  readonly file: string
  readonly kind: KnownKind
  readonly bytes: Uint8Array
  /** For an `unreachable` file: the detached commit that holds it, which some ref must still reach. */
  readonly commit?: string
}

const gitIn = (cwd: string, args: ReadonlyArray<string>, env: Readonly<Record<string, string>> = {}) =>
  // Bytes as they are: no newline stripped, no text decoding.
  execa("git", args, { cwd, env, encoding: "buffer", stripFinalNewline: false, reject: false })

/**
 * Work an agent would leave behind, one file of each kind (random bytes of
 * every value, so a text conversion shows). The ignore rule and the nested
 * repository are set up here too; a staged file is staged with one content
 * and then edited, so the index and the working file differ. First HEAD is
 * detached and a commit made on it, so no branch reaches that commit: the
 * worktree's HEAD is all that holds it.
 */
export const writeKnownWork = async (random: SeededRandom, sessionId: string, worktree: string): Promise<ReadonlyArray<KnownFile>> => {
  const n = random.between(0, 1e6)
  const known = (kind: KnownKind, file: string, bytes: Uint8Array): KnownFile => ({ sessionId, worktree, file, kind, bytes })
  const unreachable = await commitOnDetachedHead(worktree, `detached-${n}.bin`, random.bytes(random.between(1, 2048)))
  const staged = known("staged", `staged-${n}.bin`, random.bytes(random.between(1, 2048)))
  const files: ReadonlyArray<KnownFile> = [
    known("tracked", "README.md", new TextEncoder().encode(`# edited by the agent ${random.between(0, 1e9)}\n`)),
    known("untracked", `untracked-${n}.bin`, random.bytes(random.between(1, 4096))),
    known("ignored", `secret-${n}.local`, random.bytes(random.between(1, 2048))),
    known("nested", `nested-${n}/inner.bin`, random.bytes(random.between(1, 2048)))
  ]
  await writeFile(join(worktree, ".gitignore"), "*.local\n")
  await gitIn(worktree, ["init", "--quiet", join(worktree, `nested-${n}`)])
  for (const entry of files) {
    await mkdir(dirname(join(worktree, entry.file)), { recursive: true })
    await writeFile(join(worktree, entry.file), entry.bytes)
  }
  await writeFile(join(worktree, staged.file), staged.bytes)
  await gitIn(worktree, ["add", "--", staged.file])
  // The working file then differs from the staged one: both must come back.
  const working = known("untracked", staged.file, random.bytes(random.between(1, 2048)))
  await writeFile(join(worktree, working.file), working.bytes)
  return [{ ...known("unreachable", unreachable.file, unreachable.bytes), commit: unreachable.commit }, ...files, staged, working]
}

/** Detaches the worktree's HEAD and commits one new file on it; the commit's id. */
const commitOnDetachedHead = async (worktree: string, file: string, bytes: Uint8Array) => {
  const must = async (args: ReadonlyArray<string>) => {
    const result = await gitIn(worktree, args)
    if (result.exitCode !== 0) throw new Error(`git ${args.join(" ")} in ${worktree} exited ${result.exitCode}: ${new TextDecoder().decode(result.stderr)}`)
    return new TextDecoder().decode(result.stdout).trim()
  }
  await must(["checkout", "--quiet", "--detach"])
  await writeFile(join(worktree, file), bytes)
  await must(["add", "--", file])
  await must(["-c", "user.name=Agent", "-c", "user.email=agent@example.invalid", "commit", "--quiet", "--no-verify", "-m", `detached work ${file}`])
  return { file, bytes, commit: await must(["rev-parse", "HEAD"]) }
}

const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((byte, i) => byte === b[i])

/** A blob's bytes (`<rev>:<path>`, `:<path>` for the index), none when there is no such blob. */
const blob = async (cwd: string, env: Readonly<Record<string, string>>, spec: string): Promise<Uint8Array | undefined> => {
  const shown = await gitIn(cwd, ["cat-file", "blob", spec], env)
  return shown.exitCode === 0 ? shown.stdout : undefined
}

const readIfPresent = async (path: string): Promise<Uint8Array | undefined> =>
  existsSync(path) ? new Uint8Array(await readFile(path)) : undefined

/** Whether `commit` is `tip` or one of its ancestors. */
const reaches = async (cwd: string, env: Readonly<Record<string, string>>, tip: string, commit: string): Promise<boolean> =>
  (await gitIn(cwd, ["merge-base", "--is-ancestor", commit, tip], env)).exitCode === 0

/**
 * A commit no branch reaches is kept while the live worktree's HEAD reaches
 * it, or a ref under `refs/ao/` does (a snapshot's first parent is HEAD): its
 * file's bytes then, read from that commit. Anything else (a reflog, an
 * object that only `git gc` has not yet removed) is lost.
 */
const unreachableCandidates = async (sandbox: Sandbox, entry: KnownFile & { readonly commit: string }) => {
  const env = sandbox.env as Readonly<Record<string, string>>
  const live = existsSync(join(entry.worktree, ".git")) && (await reaches(entry.worktree, env, "HEAD", entry.commit))
  const keepers = live ? ["HEAD"] : await refsContaining(sandbox, entry.commit)
  return keepers.length === 0 ? [] : [await blob(live ? entry.worktree : sandbox.paths.repo, env, `${entry.commit}:${entry.file}`)]
}

/** The refs under `refs/ao/` that reach `commit`. */
export const refsContaining = async (sandbox: Sandbox, commit: string): Promise<ReadonlyArray<string>> => {
  const listed = await gitIn(sandbox.paths.repo, ["for-each-ref", "--format=%(refname)", "--contains", commit, "refs/ao/"], sandbox.env as Readonly<Record<string, string>>)
  return listed.exitCode === 0 ? new TextDecoder().decode(listed.stdout).split("\n").filter((line) => line !== "") : []
}

/**
 * Every place the entry's bytes may be kept: the worktree itself (its index
 * for staged content), each snapshot of the session (applied or not) in git
 * (the index as staged is the snapshot's second parent), and the private
 * store under `<ao data>/saved/<session>/` for ignored files and nested repositories.
 */
const candidates = async (sandbox: Sandbox, entry: KnownFile): Promise<ReadonlyArray<Uint8Array | undefined>> => {
  const env = sandbox.env as Readonly<Record<string, string>>
  const repo = sandbox.paths.repo
  if (entry.kind === "unreachable" && entry.commit !== undefined) return unreachableCandidates(sandbox, { ...entry, commit: entry.commit })
  const refs = [
    ...(await sandbox.refs(`refs/ao/snapshots/${entry.sessionId}/`)),
    ...(await sandbox.refs(`refs/ao/applied/${entry.sessionId}/`))
  ]
  if (entry.kind === "staged") {
    const live = existsSync(entry.worktree) ? [await blob(entry.worktree, env, `:${entry.file}`)] : []
    return [...live, ...(await Promise.all(refs.map((ref) => blob(repo, env, `${ref}^2:${entry.file}`))))]
  }
  const live = await readIfPresent(join(entry.worktree, entry.file))
  if (entry.kind === "ignored" || entry.kind === "nested") {
    const store = join(sandbox.paths.aoHome, "saved", entry.sessionId)
    const stamps = existsSync(store) ? (await readdir(store)).filter((name) => !name.endsWith(".tmp")) : []
    return [live, ...(await Promise.all(stamps.map((stamp) => readIfPresent(join(store, stamp, "worktree", entry.file)))))]
  }
  return [live, ...(await Promise.all(refs.map((ref) => blob(repo, env, `${ref}:${entry.file}`))))]
}

/**
 * How many of the known bytes are kept nowhere (must be 0): neither in the
 * worktree nor in anything ao saved for the session.
 */
export const bytesLost = async (sandbox: Sandbox, known: ReadonlyArray<KnownFile>): Promise<number> =>
  (await filesLost(sandbox, known)).reduce((sum, entry) => sum + entry.bytes.length, 0)

/** The known files whose bytes are kept nowhere (none, or a report names them). */
export const filesLost = async (sandbox: Sandbox, known: ReadonlyArray<KnownFile>): Promise<ReadonlyArray<KnownFile>> => {
  const lost: Array<KnownFile> = []
  for (const entry of known) {
    const kept = (await candidates(sandbox, entry)).some((bytes) => bytes !== undefined && sameBytes(bytes, entry.bytes))
    if (!kept) lost.push(entry)
  }
  return lost
}
