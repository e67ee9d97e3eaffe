/** Where a command runs: what the config and trust commands read instead of the process. */
export interface Whereabouts {
  readonly cwd: string
  readonly env: Readonly<Record<string, string | undefined>>
  readonly homeDir: string
}
