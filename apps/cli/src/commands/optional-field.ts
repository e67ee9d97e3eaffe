import { Option } from "effect"

/**
 * `{ [key]: value }` when the option was given, `{}` otherwise: use-case
 * requests have optional fields, which must be absent rather than undefined.
 */
export const given = <K extends string>(key: K, option: Option.Option<string>): { readonly [P in K]?: string } =>
  Option.match(option, { onNone: () => ({}), onSome: (value) => ({ [key]: value }) as { readonly [P in K]?: string } })
