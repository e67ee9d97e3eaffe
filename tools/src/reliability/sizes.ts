/**
 * How big each suite runs: the CI size fits the shared two-core budget
 * (about a minute per suite); the full size runs from `run.ts`.
 */
export interface SuiteSizes {
  readonly concurrency: { readonly spawns: number; readonly mixed: number }
  /** Trials per command (spawn, kill, cleanup, restore). */
  readonly crashTrials: number
}

export const CI_SIZE: SuiteSizes = { concurrency: { spawns: 20, mixed: 10 }, crashTrials: 5 }

export const FULL_SIZE: SuiteSizes = { concurrency: { spawns: 40, mixed: 30 }, crashTrials: 50 }
