import { createServer, type IncomingMessage } from "node:http"
import type { AddressInfo } from "node:net"
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import type { Notification } from "@ao/domain"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { makeNotifier, SIGNATURE_HEADER, signatureOf } from "../src/notifiers/notifiers"
import { tempDir } from "./temp-dir"

const notification: Notification = {
  kind: "approved-and-green",
  sessionId: "app-1",
  projectId: "app",
  trigger: "abc123",
  title: "app-1: PR #7 is approved and its checks pass",
  text: "app-1: PR #7 is approved and green",
  url: "https://github.com/o/r/pull/7",
  escalated: false,
  at: "2026-01-02T03:04:05.000Z"
}

const bodyOf = (request: IncomingMessage) =>
  new Promise<string>((resolve) => {
    let body = ""
    request.setEncoding("utf8").on("data", (chunk: string) => (body += chunk)).on("end", () => resolve(body))
  })

/** A loopback receiver answering 500 to the first `failures` requests. */
const receiver = (failures: number) =>
  Effect.acquireRelease(
    Effect.promise(async () => {
      const received: Array<{ readonly body: string; readonly signature: string | undefined }> = []
      let left = failures
      const server = createServer(async (request, response) => {
        const body = await bodyOf(request)
        received.push({ body, signature: request.headers[SIGNATURE_HEADER] as string | undefined })
        response.statusCode = left-- > 0 ? 500 : 204
        response.end()
      })
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
      return { server, received, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook` }
    }),
    ({ server }) => Effect.promise(() => new Promise<void>((resolve) => server.close(() => resolve())))
  )

describe("notifiers", () => {
  it.scopedLive("a webhook gets the event as JSON, signed with HMAC-SHA256, retried after a 500", () =>
    Effect.gen(function* () {
      const hook = yield* receiver(1)
      const notifier = makeNotifier({
        entries: [{ type: "webhook", url: hook.url, secretEnv: "HOOK_SECRET" }],
        env: { HOOK_SECRET: "s3cret" },
        commandsTrusted: true,
        backoff: "10 millis"
      })
      const outcomes = yield* notifier.notify(notification)
      expect(outcomes.map((outcome) => outcome.result)).toEqual(["delivered"])
      expect(hook.received).toHaveLength(2)
      const last = hook.received[1]!
      expect(last.signature).toBe(signatureOf("s3cret", last.body))
      expect(JSON.parse(last.body)).toMatchObject({ event: "ao.reaction", kind: "approved-and-green", sessionId: "app-1" })
    })
  )

  it.scopedLive("a notifier that keeps failing reports it after its retries; the others still deliver", () =>
    Effect.gen(function* () {
      const broken = yield* receiver(100)
      const dir = yield* tempDir
      const out = join(dir, "event.json")
      const notifier = makeNotifier({
        entries: [
          { type: "webhook", url: broken.url, retries: 1, format: "slack" },
          { type: "command", command: [process.execPath, "-e", `require("fs").writeFileSync(${JSON.stringify(out)}, require("fs").readFileSync(0))`] }
        ],
        env: {},
        commandsTrusted: true,
        backoff: "10 millis"
      })
      const outcomes = yield* notifier.notify(notification)
      expect(outcomes.map((outcome) => outcome.result)).toEqual(["failed", "delivered"])
      expect(outcomes[0]?.detail).toMatch(/HTTP 500/)
      expect(broken.received).toHaveLength(2)
      expect(JSON.parse(broken.received[0]!.body).text).toContain("approved and green")
      expect(JSON.parse(yield* Effect.promise(() => readFile(out, "utf8")))).toEqual(notification)
    })
  )

  it.live("an untrusted config's command never runs; a desktop without notify-send is skipped; kinds filter", () =>
    Effect.gen(function* () {
      const notifier = makeNotifier({
        entries: [
          { type: "command", command: ["/bin/sh", "-c", "exit 1"], retries: 0 },
          { type: "desktop" },
          { type: "webhook", url: "http://127.0.0.1:9/never", kinds: ["ci-failed"] }
        ],
        env: { PATH: "/nonexistent" },
        commandsTrusted: false,
        platform: "linux"
      })
      const outcomes = yield* notifier.notify(notification)
      expect(outcomes.map((outcome) => [outcome.result, outcome.detail])).toEqual([
        ["failed", "not run: the config that names it is not trusted yet (run ao trust <config path>)"],
        ["skipped", "neither notify-send nor osascript is installed"],
        ["skipped", "not configured for approved-and-green"]
      ])
    })
  )

  it.live("a configured desktop notifier with no program to show it is a problem for ao doctor; the implicit default is not", () =>
    Effect.gen(function* () {
      const options = { env: { PATH: "/nonexistent" }, commandsTrusted: false, platform: "linux" as const }
      const [missing] = yield* makeNotifier({ ...options, entries: [{ type: "desktop" }] }).problems
      expect(missing).toMatchObject({ notifier: "desktop", detail: expect.stringContaining("notify-send is on PATH") })
      expect(missing?.fix).toMatch(/install notify-send/)
      expect(yield* makeNotifier({ ...options, entries: [] }).problems).toEqual([])
      const bin = yield* Effect.promise(() => mkdtemp(join(tmpdir(), "ao-notify-")))
      yield* Effect.promise(() => writeFile(join(bin, "notify-send"), "#!/bin/sh\nexit 0\n", { mode: 0o755 }))
      expect(yield* makeNotifier({ ...options, env: { PATH: bin }, entries: [{ type: "desktop" }] }).problems).toEqual([])
      yield* Effect.promise(() => rm(bin, { recursive: true, force: true }))
    })
  )
})
