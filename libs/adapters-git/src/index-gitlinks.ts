import { Effect, Option } from "effect"
import { readFile } from "node:fs/promises"
import { join, resolve } from "node:path"

/** The mode git gives a gitlink: a commit of another repository recorded in the tree. */
const GITLINK_MODE = 0o160000
/** ctime, mtime, dev, ino, mode, uid, gid, size: the fixed fields before an entry's object id. */
const STAT_BYTES = 40
const SHA1_BYTES = 20
const EXTENDED_FLAG = 0x4000
const NAME_MASK = 0xfff

/**
 * Every gitlink path in the worktree's index, read from the index file (no
 * process started), so a nested repository committed as a bare gitlink,
 * with no `.gitmodules` entry, is found even when nothing in it changed.
 * None when the index is of a form this reader does not take (version 4,
 * SHA-256 objects): the caller asks git instead.
 */
export const gitlinksInIndex = (gitDir: string): Effect.Effect<Option.Option<ReadonlyArray<string>>> =>
  Effect.promise(async () => {
    const index = await readFile(join(gitDir, "index")).catch(() => undefined)
    // No index yet: nothing is tracked.
    if (index === undefined) return Option.some([])
    const commonDir = await readFile(join(gitDir, "commondir"), "utf8").then(
      (text) => resolve(gitDir, text.trim()),
      () => gitDir
    )
    const config = await readFile(join(commonDir, "config"), "utf8").catch(() => "")
    if (/objectformat\s*=\s*sha256/i.test(config)) return Option.none()
    if (index.length < 12 || index.toString("latin1", 0, 4) !== "DIRC") return Option.none()
    const version = index.readUInt32BE(4)
    if (version !== 2 && version !== 3) return Option.none()
    const count = index.readUInt32BE(8)
    const found: Array<string> = []
    let offset = 12
    for (let entry = 0; entry < count; entry++) {
      if (offset + STAT_BYTES + SHA1_BYTES + 2 > index.length) return Option.none()
      const mode = index.readUInt32BE(offset + 24)
      const flags = index.readUInt16BE(offset + STAT_BYTES + SHA1_BYTES)
      const nameStart = offset + STAT_BYTES + SHA1_BYTES + 2 + (version === 3 && (flags & EXTENDED_FLAG) !== 0 ? 2 : 0)
      let nameLength = flags & NAME_MASK
      if (nameLength === NAME_MASK) nameLength = index.indexOf(0, nameStart) - nameStart
      if (nameLength < 0 || nameStart + nameLength > index.length) return Option.none()
      if (mode === GITLINK_MODE) found.push(index.toString("utf8", nameStart, nameStart + nameLength))
      // Entries are padded with 1 to 8 NUL bytes to a multiple of 8.
      offset += (nameStart - offset + nameLength + 8) & ~7
    }
    return Option.some(found)
  })

/** The same, from `git ls-files --stage -z` output (mode, object, stage, tab, path). */
export const gitlinksOfLsFiles = (output: string): ReadonlyArray<string> =>
  output.split("\0").flatMap((line) => {
    const tab = line.indexOf("\t")
    return tab > 0 && line.startsWith("160000 ") ? [line.slice(tab + 1)] : []
  })
