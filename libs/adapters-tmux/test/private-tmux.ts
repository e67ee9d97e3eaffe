import { Effect, Layer } from "effect"
import { mkdirSync, mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { makeTmuxRuntimeLayer, TmuxClient, type TmuxServerConfig } from "../src/index"
import { tmuxFailureKind } from "../src/tmux-failure"

/**
 * A private TMUX_TMPDIR for one test file, and a fresh named server per
 * runtime built from it, killed when that runtime is released: tests never
 * see the user's tmux, nor each other's sessions.
 */
export const privateTmux = () => {
  const dir = mkdtempSync(join(tmpdir(), "ao-tmux-"))
  let servers = 0

  // Drop any $TMUX we run inside of: the adapter must ignore it anyway.
  const env = { ...process.env, TMUX_TMPDIR: dir }

  const serverConfig = (): TmuxServerConfig => ({ socketName: `test-${++servers}`, env })

  const killServer = Effect.flatMap(TmuxClient, (tmux) => tmux.run([["kill-server"]])).pipe(
    Effect.catchIf(
      (failure) => failure._tag === "TmuxFailed" && tmuxFailureKind(failure) === "NoServer",
      () => Effect.void
    ),
    Effect.orDie
  )

  /** A runtime on a new server, with that server's config; the server is killed when the layer is released. */
  const fresh = (config: TmuxServerConfig = serverConfig()) =>
    makeTmuxRuntimeLayer(config).pipe(
      Layer.merge(Layer.scopedDiscard(Effect.addFinalizer(() => killServer))),
      Layer.provide(TmuxClient.layer(config))
    )

  const workDir = (name: string) => {
    const path = join(dir, "work", name)
    mkdirSync(path, { recursive: true })
    return path
  }

  const cleanup = () => rmSync(dir, { recursive: true, force: true })

  return { dir, env, serverConfig, fresh, workDir, cleanup }
}
