import { createProjectGraphAsync } from "@nx/devkit"
import { ESLint } from "eslint"
import { join } from "node:path"
import { beforeAll, describe, expect, it } from "vitest"

/**
 * Proves the dependency rule bites: lint the same file text as if it lived in
 * a given project, and check which rule rejects it. If someone loosens
 * eslint.config.mjs, these fail.
 */
const workspaceRoot = join(import.meta.dirname, "..", "..")
let eslint: ESLint

beforeAll(async () => {
  // @nx/enforce-module-boundaries reads the cached project graph; make sure it exists.
  await createProjectGraphAsync({ exitOnError: false })
  eslint = new ESLint({ cwd: workspaceRoot })
}, 120_000)

const problemsOf = async (relativePath: string, code: string) => {
  const [result] = await eslint.lintText(code, { filePath: join(workspaceRoot, relativePath) })
  return (result?.messages ?? []).map((message) => `${message.ruleId}: ${message.message}`)
}

describe("module boundaries", () => {
  it("rejects a node: import in the domain", async () => {
    const problems = await problemsOf(
      "libs/domain/src/boundary-probe.ts",
      'import { readFileSync } from "node:fs"\nexport const probe = readFileSync\n'
    )
    expect(problems).toEqual([expect.stringMatching(/^no-restricted-imports: 'node:fs' import is restricted/)])
  })

  it("rejects execa, octokit, hono and @effect/cli in the domain", async () => {
    for (const module of ["execa", "@octokit/rest", "hono", "@effect/cli", "fs"]) {
      const problems = await problemsOf(
        "libs/domain/src/boundary-probe.ts",
        `import * as probe from "${module}"\nexport { probe }\n`
      )
      expect(problems, module).toContainEqual(expect.stringMatching(/^no-restricted-imports:/))
    }
  })

  it("lets the domain import effect", async () => {
    const problems = await problemsOf(
      "libs/domain/src/boundary-probe.ts",
      'import { Effect } from "effect"\nexport const probe = Effect.void\n'
    )
    expect(problems).toEqual([])
  })

  it("rejects an arrow pointing outward: domain -> adapter", async () => {
    const problems = await problemsOf(
      "libs/domain/src/boundary-probe.ts",
      'import * as probe from "@ao/adapters-tmux"\nexport { probe }\n'
    )
    expect(problems).toContainEqual(expect.stringMatching(/^@nx\/enforce-module-boundaries:/))
  })

  it("rejects adapter -> adapter and app -> adapter", async () => {
    const sideways = await problemsOf(
      "libs/adapters-git/src/boundary-probe.ts",
      'import * as probe from "@ao/adapters-tmux"\nexport { probe }\n'
    )
    expect(sideways).toContainEqual(expect.stringMatching(/^@nx\/enforce-module-boundaries: A project tagged with "type:adapter"/))

    const appToAdapter = await problemsOf(
      "apps/cli/src/boundary-probe.ts",
      'import * as probe from "@ao/adapters-git"\nexport { probe }\n'
    )
    expect(appToAdapter).toContainEqual(expect.stringMatching(/^@nx\/enforce-module-boundaries: A project tagged with "type:app"/))
  })

  it("keeps the in-memory adapters out of shipped adapter code but allows them in its tests", async () => {
    const shipped = await problemsOf(
      "libs/adapters-git/src/boundary-probe.ts",
      'import * as probe from "@ao/adapters-memory/workspace"\nexport { probe }\n'
    )
    expect(shipped).toContainEqual(expect.stringMatching(/^@nx\/enforce-module-boundaries:/))

    const inTest = await problemsOf(
      "libs/adapters-git/test/boundary-probe.test.ts",
      'import * as probe from "@ao/adapters-memory/workspace"\nexport { probe }\n'
    )
    expect(inTest.filter((problem) => problem.startsWith("@nx/enforce-module-boundaries"))).toEqual([])
  })
})
