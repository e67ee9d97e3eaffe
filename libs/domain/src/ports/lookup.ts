/**
 * The answer to one question put to an outside service. `Unknown` is not a
 * verdict: a rate limit or a timeout must never read as "merged" or "closed".
 */
export type Lookup<A> =
  | { readonly _tag: "Found"; readonly value: A }
  | { readonly _tag: "Absent" }
  | { readonly _tag: "Unknown"; readonly reason: string }

export const Lookup = {
  found: <A>(value: A): Lookup<A> => ({ _tag: "Found", value }),
  absent: <A = never>(): Lookup<A> => ({ _tag: "Absent" }),
  unknown: <A = never>(reason: string): Lookup<A> => ({ _tag: "Unknown", reason })
}
