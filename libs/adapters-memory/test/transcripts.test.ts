import { Effect, Layer } from "effect"
import { transcriptsContract } from "../src/contracts/transcripts"
import { MemoryTranscripts, MemoryTranscriptsControl } from "../src/transcripts"

let written = 0
transcriptsContract("memory", async () => {
  const layer = MemoryTranscripts.layer()
  const built = await Effect.runPromise(Effect.scoped(Layer.build(layer)))
  const control = built.unsafeMap.get(MemoryTranscriptsControl.key) as MemoryTranscriptsControl["Type"]
  return {
    layer: Layer.succeedContext(built),
    missing: "/nowhere/missing.jsonl",
    write: async (messages) => {
      const path = `/home/dev/.claude/projects/app/${++written}.jsonl`
      await Effect.runPromise(control.write(path, messages))
      return path
    }
  }
})
