import { CodeReview, type IssueInfo, Lookup, type ObservedWork, type Project, type RateLimit, type ReviewedPullRequest } from "@ao/domain"
import { Context, Effect, Layer, Option, Ref } from "effect"

/** Plays the code host for the watcher: each session's PR by session id, rate limits, and the merges asked for. */
export class MemoryCodeReviewControl extends Context.Tag("@ao/adapters-memory/MemoryCodeReviewControl")<
  MemoryCodeReviewControl,
  {
    readonly setPullRequest: (sessionId: string, pr: ReviewedPullRequest | null) => Effect.Effect<void>
    /** The issue `observe` answers for this issue id. */
    readonly setIssue: (issue: IssueInfo) => Effect.Effect<void>
    readonly setRateLimit: (limit: RateLimit | null) => Effect.Effect<void>
    readonly setJobLog: (logId: string, log: string) => Effect.Effect<void>
    /** How many job logs were fetched. */
    readonly logFetches: Effect.Effect<number>
    /** How many `reviews` calls were made (one per repository and pass). */
    readonly requests: Effect.Effect<number>
    readonly merges: Effect.Effect<ReadonlyArray<{ readonly number: number; readonly method: string; readonly headSha: string }>>
  }
>() {}

export const MemoryCodeReview: Layer.Layer<CodeReview | MemoryCodeReviewControl> = Layer.effectContext(
  Effect.gen(function* () {
    const prs = yield* Ref.make<ReadonlyMap<string, ReviewedPullRequest>>(new Map())
    const limit = yield* Ref.make<RateLimit | null>(null)
    const requests = yield* Ref.make(0)
    const logs = yield* Ref.make<ReadonlyMap<string, string>>(new Map())
    const logFetches = yield* Ref.make(0)
    const issues = yield* Ref.make<ReadonlyMap<string, IssueInfo>>(new Map())
    const merges = yield* Ref.make<ReadonlyArray<{ readonly number: number; readonly method: string; readonly headSha: string }>>([])
    const reviews = (project: Project, queries: ReadonlyArray<{ readonly sessionId: string }>) =>
        Effect.gen(function* () {
          if (Option.isNone(project.repo) || project.scm !== "github") {
            return new Map(queries.map((query) => [query.sessionId, Lookup.absent<ReviewedPullRequest>()] as const))
          }
          yield* Ref.update(requests, (count) => count + 1)
          const limited = yield* Ref.get(limit)
          if (limited !== null) return yield* Effect.fail(limited)
          const known = yield* Ref.get(prs)
          return new Map(
            queries.map((query) => {
              const pr = known.get(query.sessionId)
              return [query.sessionId, pr === undefined ? Lookup.absent<ReviewedPullRequest>() : Lookup.found(pr)] as const
            })
          )
        })
    const codeReview = CodeReview.of({
      reviews,
      observe: (project, queries) =>
        Effect.gen(function* () {
          const prs = yield* reviews(project, queries)
          const known = yield* Ref.get(issues)
          return new Map(
            queries.map((query): readonly [string, ObservedWork] => {
              const issue = Option.flatMap(query.issueId, (id) => Option.fromNullable(known.get(id)))
              return [
                query.sessionId,
                {
                  pr: prs.get(query.sessionId) ?? Lookup.absent(),
                  issue: Option.match(issue, { onNone: () => Lookup.absent<IssueInfo>(), onSome: (found) => Lookup.found(found) })
                }
              ]
            })
          )
        }),
      jobLog: (_project, logId) =>
        Effect.zipRight(Ref.update(logFetches, (count) => count + 1), Effect.map(Ref.get(logs), (all) => Option.fromNullable(all.get(logId)))),
      merge: (_project, request) =>
        Effect.gen(function* () {
          const limited = yield* Ref.get(limit)
          if (limited !== null) return yield* Effect.fail(limited)
          const known = yield* Ref.get(prs)
          const entry = [...known.entries()].find(([, pr]) => pr.number === request.number)
          if (entry === undefined) return yield* Effect.fail({ _tag: "MergeRefused", reason: `no PR #${request.number}` } as const)
          const [sessionId, pr] = entry
          if (pr.state !== "open") return yield* Effect.fail({ _tag: "MergeRefused", reason: `PR #${pr.number} is ${pr.state}` } as const)
          if (pr.headSha !== request.headSha) {
            return yield* Effect.fail({ _tag: "MergeRefused", reason: `the head moved to ${pr.headSha.slice(0, 7)}` } as const)
          }
          yield* Ref.update(merges, (all) => [...all, request])
          yield* Ref.update(prs, (all) => new Map(all).set(sessionId, { ...pr, state: "merged" }))
        })
    })
    return Context.make(CodeReview, codeReview).pipe(
      Context.add(MemoryCodeReviewControl, {
        setPullRequest: (sessionId, pr) =>
          Ref.update(prs, (all) => {
            const next = new Map(all)
            if (pr === null) next.delete(sessionId)
            else next.set(sessionId, pr)
            return next
          }),
        setIssue: (issue) => Ref.update(issues, (all) => new Map(all).set(issue.id, issue)),
        setRateLimit: (value) => Ref.set(limit, value),
        setJobLog: (logId, log) => Ref.update(logs, (all) => new Map(all).set(logId, log)),
        logFetches: Ref.get(logFetches),
        requests: Ref.get(requests),
        merges: Ref.get(merges)
      })
    )
  })
)
