/** Help printed to a pipe or a file, where no width is known, is laid out this wide. */
export const DEFAULT_HELP_WIDTH = 80
/** Narrower than this, a two-column page stops being readable: lines wrap at 60 even in a smaller terminal. */
export const MIN_HELP_WIDTH = 60
/** Wider than this, help lines grow too long to read; a wide terminal gets 100-column pages. */
export const MAX_HELP_WIDTH = 100

/**
 * The width help is wrapped to: COLUMNS when set (as shells export it),
 * else the terminal's width, else 80 (a pipe or a file), held within 60–100.
 */
export const helpWidth = (env: Readonly<Record<string, string | undefined>>, terminalColumns: number | undefined): number => {
  const fromEnv = /^\d+$/.test(env["COLUMNS"] ?? "") ? Number(env["COLUMNS"]) : undefined
  const columns = fromEnv !== undefined && fromEnv > 0 ? fromEnv : terminalColumns !== undefined && terminalColumns > 0 ? terminalColumns : DEFAULT_HELP_WIDTH
  return Math.min(MAX_HELP_WIDTH, Math.max(MIN_HELP_WIDTH, columns))
}
