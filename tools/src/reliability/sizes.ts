/**
 * How big each suite runs: the CI size fits the shared two-core budget
 * (about a minute per suite); the full size runs from `run.ts`.
 */
export interface SuiteSizes {
  readonly concurrency: { readonly spawns: number; readonly mixed: number }
  /** Trials per command (spawn, kill, cleanup, restore). */
  readonly crashTrials: number
  /** Trials per command of the work suite (kill, cleanup, doctor --fix run to their end). */
  readonly workTrials: number
}

export const CI_SIZE: SuiteSizes = { concurrency: { spawns: 20, mixed: 10 }, crashTrials: 5, workTrials: 1 }

export const FULL_SIZE: SuiteSizes = { concurrency: { spawns: 40, mixed: 30 }, crashTrials: 50, workTrials: 20 }
