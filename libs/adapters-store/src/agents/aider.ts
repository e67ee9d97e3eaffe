import { genericAdapter } from "./generic"

/** Aider has no hooks: the screen decides its state, as for any agent ao has no hooks for. */
export const aiderAdapter = genericAdapter("aider")
