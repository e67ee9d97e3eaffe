/** `1 session`, `2 sessions`, `0 sessions`. */
export const count = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? "" : "s"}`
