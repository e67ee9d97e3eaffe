import { absolutePath } from "../environment"
import type { DockerBlock } from "./config-file"

/** A project's `docker:` block as the docker runtime takes it: host paths absolute, memory in bytes. */
export interface ContainerConfig {
  readonly image: string
  readonly engine?: string
  readonly mounts: ReadonlyArray<{ readonly source: string; readonly target: string; readonly readOnly: boolean }>
  readonly env: Readonly<Record<string, string>>
  readonly cpus?: number
  readonly memoryBytes?: number
  readonly network?: string
  /** `clone`: a volume per session holding a clone (remote engines); default `mount`, the local worktree. */
  readonly workspace?: "mount" | "clone"
}

const UNITS: Readonly<Record<string, number>> = { k: 1024, m: 1024 ** 2, g: 1024 ** 3 }

/** `4g` → bytes; a number is bytes already. The file's schema has checked the shape. */
export const memoryBytes = (memory: number | string): number => {
  if (typeof memory === "number") return memory
  const unit = memory.slice(-1).toLowerCase()
  const factor = UNITS[unit]
  return factor === undefined ? Number(memory) : Number(memory.slice(0, -1)) * factor
}

export const containerConfig = (block: DockerBlock, configDir: string, homeDir: string): ContainerConfig => ({
  image: block.image,
  ...(block.engine === undefined ? {} : { engine: block.engine }),
  mounts: (block.mounts ?? []).map((mount) => {
    const [source = "", target = "", mode] = mount.split(":")
    return { source: absolutePath(source, configDir, homeDir), target, readOnly: mode === "ro" }
  }),
  env: block.env ?? {},
  ...(block.cpus === undefined ? {} : { cpus: block.cpus }),
  ...(block.memory === undefined ? {} : { memoryBytes: memoryBytes(block.memory) }),
  ...(block.network === undefined ? {} : { network: block.network }),
  ...(block.workspace === undefined ? {} : { workspace: block.workspace })
})
