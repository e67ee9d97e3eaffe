import { describe, expect, it } from "vitest"
import { missingOptionValue } from "../src/missing-option-value"

describe("missingOptionValue", () => {
  it("names the option and what its value is when the value is missing", () => {
    expect(missingOptionValue(["session", "ls", "-p"])).toBe("Option -p needs a value: a project ID")
    expect(missingOptionValue(["--completions"])).toBe("Option --completions needs a value: a shell: bash, zsh, fish or sh")
    expect(missingOptionValue(["spawn", "app", "--prompt", "--json"])).toBe("Option --prompt needs a value: the text of the agent's first prompt")
  })

  it("says nothing when every value is there", () => {
    expect(missingOptionValue(["session", "ls", "-p", "my-app"])).toBeUndefined()
    expect(missingOptionValue(["--completions", "bash"])).toBeUndefined()
    expect(missingOptionValue(["spawn", "app", "INT-1", "--prompt", "-"])).toBeUndefined()
  })
})
