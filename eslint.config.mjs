import nx from "@nx/eslint-plugin"
import tseslint from "typescript-eslint"

/**
 * The dependency rule of the hexagon: domain <- adapters <- apps.
 * `@nx/enforce-module-boundaries` checks project-to-project arrows by tag; it
 * deliberately ignores Node builtins, so the domain gets a second guard that
 * admits nothing but `effect` and its own relative files.
 */
const depConstraints = [
  { sourceTag: "type:domain", onlyDependOnLibsWithTags: ["type:domain"], allowedExternalImports: ["effect", "effect/*"] },
  { sourceTag: "type:adapter", onlyDependOnLibsWithTags: ["type:domain"] },
  { sourceTag: "type:testing", onlyDependOnLibsWithTags: ["type:domain"] },
  { sourceTag: "type:composition", onlyDependOnLibsWithTags: ["type:domain", "type:adapter"] },
  { sourceTag: "type:app", onlyDependOnLibsWithTags: ["type:domain", "type:composition"] },
  { sourceTag: "type:tool", onlyDependOnLibsWithTags: ["type:domain", "type:adapter", "type:testing", "type:composition"] }
]

/** Tests may also use the in-memory adapters and the shared contract suites, and every test may import its runner. */
const testDepConstraints = depConstraints
  .map((constraint) =>
    ["type:adapter", "type:composition", "type:app"].includes(constraint.sourceTag)
      ? { ...constraint, onlyDependOnLibsWithTags: [...constraint.onlyDependOnLibsWithTags, "type:testing"] }
      : constraint
  )
  .map((constraint) =>
    constraint.allowedExternalImports === undefined
      ? constraint
      : { ...constraint, allowedExternalImports: [...constraint.allowedExternalImports, "@effect/vitest", "vitest"] }
  )

const testFiles = ["**/*.test.ts", "**/test/**/*.ts"]

export default tseslint.config(
  { ignores: ["**/node_modules/**", "**/dist/**", "**/reports/**", "**/.nx/**", "**/*.js", "**/*.mjs", "**/*.cjs"] },
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    plugins: { "@nx": nx },
    rules: {
      "@nx/enforce-module-boundaries": ["error", { enforceBuildableLibDependency: false, allow: [], depConstraints }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-empty-object-type": "off",
      "@typescript-eslint/no-namespace": "off",
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "no-restricted-syntax": [
        "error",
        { selector: "CallExpression[callee.object.name='Effect'][callee.property.name='orElseSucceed']", message: "Never swallow a failure with Effect.orElseSucceed: handle the error by its tag." }
      ]
    }
  },
  {
    files: testFiles,
    rules: {
      "@nx/enforce-module-boundaries": ["error", { enforceBuildableLibDependency: false, allow: [], depConstraints: testDepConstraints }]
    }
  },
  {
    // Build configuration shared from the workspace root, not code that ships.
    files: ["**/vitest.config.ts"],
    rules: { "@nx/enforce-module-boundaries": "off" }
  },
  {
    files: ["libs/domain/**/*.ts"],
    ignores: testFiles,
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: "^(?!effect(?:/|$)|\\.{1,2}/)",
              message: "The domain imports only `effect` and its own files: Node, execa, octokit, hono and @effect/cli belong in adapters and apps."
            }
          ]
        }
      ],
      "no-restricted-globals": [
        "error",
        { name: "process", message: "The domain does not read the process: pass what it needs through a port." },
        { name: "Buffer", message: "The domain is platform-neutral: no Node Buffer." }
      ],
      "no-restricted-properties": [
        "error",
        { object: "Date", property: "now", message: "Time comes from Effect's Clock so TestClock can drive it." }
      ]
    }
  }
)
