/**
 * Colours as plain string functions, so renderers stay pure and tests read
 * text. Colour is on only for a terminal, and never with NO_COLOR set
 * (https://no-color.org); FORCE_COLOR turns it on where there is no TTY.
 */
export interface Style {
  readonly green: (text: string) => string
  readonly dim: (text: string) => string
  readonly cyan: (text: string) => string
  readonly blue: (text: string) => string
  readonly red: (text: string) => string
  readonly yellow: (text: string) => string
  readonly bold: (text: string) => string
}

const sgr = (open: number, close: number) => (text: string) => `\u001b[${open}m${text}\u001b[${close}m`

export const ansiStyle: Style = {
  green: sgr(32, 39),
  dim: sgr(2, 22),
  cyan: sgr(36, 39),
  blue: sgr(34, 39),
  red: sgr(31, 39),
  yellow: sgr(33, 39),
  bold: sgr(1, 22)
}

const same = (text: string) => text

export const plainStyle: Style = {
  green: same,
  dim: same,
  cyan: same,
  blue: same,
  red: same,
  yellow: same,
  bold: same
}

const isSet = (value: string | undefined): boolean => value !== undefined && value !== ""

export const styleFor = (env: Readonly<Record<string, string | undefined>>, isTTY: boolean): Style => {
  if (isSet(env["NO_COLOR"])) return plainStyle
  if (isSet(env["FORCE_COLOR"]) && env["FORCE_COLOR"] !== "0") return ansiStyle
  return isTTY ? ansiStyle : plainStyle
}
