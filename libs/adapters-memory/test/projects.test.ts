import { describe, expect, it } from "@effect/vitest"
import { ProjectId, Projects } from "@ao/domain"
import { Effect } from "effect"
import { aProject } from "../src/contracts/agent-launcher"
import { MemoryProjects } from "../src/projects"

describe("MemoryProjects", () => {
  const layer = MemoryProjects.layer([aProject(), aProject({ id: ProjectId.make("lib") })])

  it.effect("lists and gets the given projects; an unknown id names the known ones", () =>
    Effect.gen(function* () {
      const projects = yield* Projects
      expect((yield* projects.list).map((project) => project.id)).toEqual(["app", "lib"])
      expect((yield* projects.get("lib")).id).toBe("lib")
      const failure = yield* Effect.flip(projects.get("nope"))
      expect(failure.known).toEqual(["app", "lib"])
      expect(failure.hint).toBe("Use a valid project ID: app, lib")
    }).pipe(Effect.provide(layer))
  )
})
