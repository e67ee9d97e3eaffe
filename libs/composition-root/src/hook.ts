/**
 * The `ao hook` entry's only dependency: plain Node, no live layer, no
 * Effect runtime, so a hook costs about a bare `node` start.
 */
export { type HookInvocation, type HookOutcome, runHook } from "@ao/adapters-store/hook"
