import type { Runtime } from "@ao/domain"
import { Layer } from "effect"
import { TmuxClient, type TmuxServerConfig } from "./tmux-client"
import { TmuxRuntime } from "./tmux-runtime"

export { TmuxClient, TmuxFailed, TmuxNotInstalled, type TmuxServerConfig } from "./tmux-client"
export { TmuxRuntime } from "./tmux-runtime"

/** The Runtime on a tmux server: a named one (`-L`) and a given environment, or the user's default. */
export const makeTmuxRuntimeLayer = (config: TmuxServerConfig = {}): Layer.Layer<Runtime> =>
  TmuxRuntime.pipe(Layer.provide(TmuxClient.layer(config)))

/** The Runtime on the default tmux server of this process's environment (TMUX_TMPDIR honoured). */
export const TmuxRuntimeLive: Layer.Layer<Runtime> = makeTmuxRuntimeLayer()
