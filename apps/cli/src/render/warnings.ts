import { type LookupWarning, warningMessage, warningView } from "@ao/domain"

/**
 * What a command could not ask (GitHub unreachable, a bad token, a repository
 * it cannot see): one stderr line per project, subject and reason —
 * `Warning: could not look up the PR of demo-1: GitHub returned 502 after 3 attempts`,
 * or `{"warning":{…}}` in --json mode, where stdout carries them too.
 */
export const warningLines = (warnings: ReadonlyArray<LookupWarning>, json: boolean): ReadonlyArray<string> =>
  warnings.map((warning) => (json ? JSON.stringify({ warning: warningView(warning) }) : `Warning: ${warningMessage(warning)}`))
