import {
  AgentKey,
  applyCleanup,
  BrokenSessionSummary,
  brokenSessionSummary,
  CleanupPlanView,
  cleanupPlanView,
  CleanupReportView,
  cleanupReportView,
  diagnose,
  DoctorView,
  doctorView,
  KeyView,
  keyView,
  killSession,
  KillView,
  killView,
  listSessions,
  OutputView,
  outputView,
  planCleanup,
  ProjectId,
  repair,
  restoreAll,
  RestoreAllView,
  restoreAllView,
  restoreSession,
  RestoreView,
  restoreView,
  sendKey,
  type Session,
  sendMessage,
  SendView,
  sendView,
  type SessionListView,
  sessionListView,
  SessionNotFound,
  sessionStatus,
  transcriptSummary,
  sessionOutput,
  SessionDetail,
  SessionSummary,
  sessionSummary,
  spawnSession,
  SpawnView,
  spawnView,
  StatusView,
  statusView
} from "@ao/domain"
import { Effect, Option, Schema } from "effect"
import type { LiveServices } from "@ao/composition-root"
import { type Endpoint, endpoint } from "./endpoint"
import { OutputQuery, outputOptions } from "./output-stream"
import { PrReviews, PrReviewView } from "./pr-reviews"

/**
 * The API: one entry per operation, each a use case of the domain and a
 * view of its result, the same JSON as the CLI's `--json`. Nothing here
 * decides anything about sessions.
 */

/** Every port the use cases run on; the live layer and the in-memory world both provide them. */
/** The API runs the use cases on every port the live layer provides (the in-memory world in tests). */
export type ApiServices = LiveServices

/** Generous for a prompt or a message typed into an agent; the body limit caps the whole request anyway. */
const TEXT_MAX = 16 * 1024

/** What any use case touching tmux and the session store can fail with. */
const LOCAL_FAILURES = ["RuntimeFailed", "ToolMissing", "StoreFailed", "SessionLocked"] as const
/** …and what a use case that changes state adds: its audit line could not be written. */
const CHANGE_FAILURES = [...LOCAL_FAILURES, "EventLogFailed"] as const

const project = Schema.optional(ProjectId.annotations({ description: "Only this project (an id from agent-orchestrator.yaml)" }))
const ProjectQuery = Schema.Struct({ project })
const ProjectBody = Schema.Struct({ project }).annotations({ identifier: "ProjectScope" })
const projectScope = (scope: { readonly project?: string | undefined }) => (scope.project === undefined ? {} : { projectId: scope.project })

const ListQuery = Schema.Struct({
  project,
  all: Schema.optional(Schema.Literal("true", "false").annotations({ description: "Also list killed and done sessions" }))
})

const SpawnBody = Schema.Struct({
  project: ProjectId.annotations({ description: "The project (an id from agent-orchestrator.yaml)" }),
  issue: Schema.optional(Schema.String.pipe(Schema.maxLength(64)).annotations({ description: "Issue id, e.g. INT-1234 or 42" })),
  prompt: Schema.optional(
    Schema.String.pipe(Schema.maxLength(TEXT_MAX)).annotations({
      description: "What the agent should do; with an issue, added after the prompt rendered from the issue"
    })
  ),
  issuePrompt: Schema.optional(
    Schema.Boolean.annotations({ description: "False: do not start the agent with the issue's text (default true)" })
  ),
  agent: Schema.optional(
    Schema.String.pipe(Schema.minLength(1), Schema.maxLength(64)).annotations({ description: "An agent other than the project's default" })
  )
}).annotations({ identifier: "SpawnRequest" })

const RestoreBody = Schema.Struct({
  recreate: Schema.optional(
    Schema.Boolean.annotations({ description: "Rebuild a deleted worktree from the branch and its latest snapshot" })
  )
}).annotations({ identifier: "RestoreRequest" })

const MessageBody = Schema.Struct({
  message: Schema.String.pipe(Schema.maxLength(TEXT_MAX)).annotations({
    description: "Text pasted into the agent's pane, then Enter; control characters other than line breaks and tabs are refused"
  }),
  wait: Schema.optional(
    Schema.Boolean.annotations({ description: "Wait to confirm the pane shows the message anew (default true); false answers delivery not-checked" })
  )
}).annotations({ identifier: "MessageRequest" })

const KeyBody = Schema.Struct({ key: AgentKey }).annotations({ identifier: "KeyRequest" })

const Health = Schema.Struct({ status: Schema.Literal("ok") }).annotations({ identifier: "Health" })

/** A session as `ls --json` shows it, plus its PR's CI and review state (null: no PR on GitHub, or not a GitHub project). */
const ReviewedSession = Schema.extend(
  SessionSummary,
  Schema.Struct({ review: Schema.NullOr(PrReviewView) })
).annotations({ identifier: "ReviewedSession" })
const ReviewedSessionList = Schema.Array(Schema.Union(ReviewedSession, BrokenSessionSummary)).annotations({ identifier: "ReviewedSessionList" })
/** One session: as listed with its review state, plus `summary`, the agent's last message from its transcript. */
const ReviewedSessionDetail = Schema.extend(
  SessionDetail,
  Schema.Struct({ review: Schema.NullOr(PrReviewView) })
).annotations({ identifier: "ReviewedSessionDetail" })
const OneSession = Schema.Union(ReviewedSessionDetail, BrokenSessionSummary).annotations({ identifier: "OneSession" })

/** Each listed session with its PR review state, read (or taken from the brief cache) in one request per repository. */
const withReviews = (list: { readonly sessions: ReadonlyArray<{ readonly session: Session }> }, views: SessionListView) =>
  Effect.map(
    // Optional: a server built without it (the in-memory world of most tests) shows no review state.
    Effect.flatMap(Effect.serviceOption(PrReviews), (reviews) =>
      reviews._tag === "Some" ? reviews.value.of(list.sessions.map((view) => view.session)) : Effect.succeed(new Map<string, PrReviewView>())
    ),
    (reviews) => views.map((view) => (view.broken ? view : { ...view, review: reviews.get(view.name) ?? null }))
  )

export const API_ENDPOINTS: ReadonlyArray<Endpoint<ApiServices>> = [
  endpoint({
    method: "GET",
    path: "/api/health",
    operationId: "health",
    summary: "Whether the server is up",
    success: { status: 200, schema: Health },
    errors: [],
    run: () => Effect.succeed({ status: "ok" as const })
  }),
  endpoint({
    method: "GET",
    path: "/api/sessions",
    operationId: "listSessions",
    summary: "List sessions with their live branch, observed status and PR (ao session ls --json), plus each PR's CI and review state as `review`",
    query: ListQuery,
    success: { status: 200, schema: ReviewedSessionList },
    errors: ["UnknownProject", ...LOCAL_FAILURES],
    shared: true,
    run: ({ query }) =>
      Effect.flatMap(listSessions({ ...projectScope(query), includeEnded: query.all === "true" }), (list) =>
        withReviews(list, sessionListView(list))
      )
  }),
  endpoint({
    method: "GET",
    path: "/api/sessions/{name}",
    operationId: "getSession",
    summary: "One session, as the listing shows it with its PR's review state (killed and done included)",
    success: { status: 200, schema: OneSession },
    errors: ["SessionNotFound", "UnknownProject", ...LOCAL_FAILURES],
    shared: true,
    run: ({ name }) =>
      Effect.gen(function* () {
        const list = yield* listSessions({ includeEnded: true })
        const view = list.sessions.find((candidate) => candidate.session.id === name)
        if (view !== undefined) {
          const [reviewed] = yield* withReviews({ sessions: [view] }, [sessionSummary(view)])
          return { ...reviewed!, summary: Option.getOrNull(yield* transcriptSummary(view)) }
        }
        const broken = list.broken.find((record) => record.id === name)
        if (broken !== undefined) return brokenSessionSummary(broken)
        return yield* new SessionNotFound({ id: name })
      })
  }),
  endpoint({
    method: "GET",
    path: "/api/sessions/{name}/output",
    operationId: "sessionOutput",
    summary: "The pane's last lines without attaching (ao logs --json); text only unless ansi=true",
    query: OutputQuery,
    success: { status: 200, schema: OutputView },
    errors: ["SessionNotFound", "SessionRecordBroken", "SessionNotRunning", ...LOCAL_FAILURES, "InvalidSessionName"],
    shared: true,
    run: ({ name, query }) => Effect.map(sessionOutput(name, outputOptions(query)), outputView)
  }),
  endpoint({
    method: "POST",
    path: "/api/sessions",
    operationId: "spawnSession",
    summary: "Start an agent on a task in its own worktree and tmux session (ao spawn --json)",
    body: SpawnBody,
    success: { status: 201, schema: SpawnView },
    errors: [
      "UnknownProject",
      "InvalidInput",
      "ConfigUntrusted",
      "SessionAlreadyExists",
      "SessionNotFound",
      "SessionRecordBroken",
      "IssueNotFound",
      "TrackerUnavailable",
      "WorkspaceFailed",
      // The agent exited within the start check; the spawn was rolled back.
      "AgentDidNotStart",
      // Starting an issue afresh kills its abandoned session first (see spawnSession).
      "SnapshotFailed",
      ...CHANGE_FAILURES
    ],
    run: ({ body }) =>
      Effect.map(
        spawnSession({
          projectId: body.project,
          ...(body.issue === undefined ? {} : { issueId: body.issue }),
          ...(body.prompt === undefined ? {} : { prompt: body.prompt }),
          ...(body.agent === undefined ? {} : { agent: body.agent }),
          ...(body.issuePrompt === undefined ? {} : { issuePrompt: body.issuePrompt })
        }),
        spawnView
      )
  }),
  endpoint({
    method: "POST",
    path: "/api/sessions/{name}/kill",
    operationId: "killSession",
    summary: "Kill a session: tmux session, worktree (uncommitted work snapshotted first), status killed",
    success: { status: 200, schema: KillView },
    errors: [
      "SessionNotFound",
      "SessionRecordBroken",
      "SnapshotFailed",
      "WorkspaceFailed",
      ...CHANGE_FAILURES,
      "InvalidSessionName"
    ],
    run: ({ name }) => Effect.map(killSession(name), killView)
  }),
  endpoint({
    method: "POST",
    path: "/api/sessions/{name}/restore",
    operationId: "restoreSession",
    summary: "Restore a terminated or crashed session in place (ao session restore --json)",
    body: RestoreBody,
    success: { status: 200, schema: RestoreView },
    errors: [
      "SessionNotFound",
      "SessionStillRunning",
      "WorkspaceMissing",
      "SessionRecordBroken",
      "SessionAlreadyExists",
      "UnknownProject",
      "InvalidInput",
      "ConfigUntrusted",
      "WorkspaceFailed",
      ...CHANGE_FAILURES,
      "InvalidSessionName"
    ],
    run: ({ name, body }) => Effect.map(restoreSession(name, { recreate: body.recreate ?? false }), restoreView)
  }),
  endpoint({
    method: "POST",
    path: "/api/sessions/{name}/messages",
    operationId: "sendMessage",
    summary:
      "Paste a message into the session's agent and confirm the pane shows it anew (ao send --json); delivery says confirmed, unconfirmed or not-checked",
    body: MessageBody,
    success: { status: 200, schema: SendView },
    errors: [
      "SessionNotFound",
      "SessionNotRunning",
      "SessionRecordBroken",
      "InvalidInput",
      ...CHANGE_FAILURES,
      "InvalidSessionName"
    ],
    run: ({ name, body }) => Effect.map(sendMessage(name, body.message, { wait: body.wait ?? true }), sendView)
  }),
  endpoint({
    method: "POST",
    path: "/api/sessions/{name}/keys",
    operationId: "sendKey",
    summary: "Press one key in the session's agent: Escape, C-c (interrupt), Enter, Up, Down or Tab (ao send --key --json)",
    body: KeyBody,
    success: { status: 200, schema: KeyView },
    errors: ["SessionNotFound", "SessionNotRunning", "SessionRecordBroken", "InvalidInput", ...CHANGE_FAILURES, "InvalidSessionName"],
    run: ({ name, body }) => Effect.map(sendKey(name, body.key), keyView)
  }),
  endpoint({
    method: "POST",
    path: "/api/restore",
    operationId: "restoreAll",
    summary: "Restore every session whose runtime died",
    body: ProjectBody,
    success: { status: 200, schema: RestoreAllView },
    errors: ["UnknownProject", ...LOCAL_FAILURES],
    run: ({ body }) => Effect.map(restoreAll(projectScope(body)), restoreAllView)
  }),
  endpoint({
    method: "GET",
    path: "/api/cleanup",
    operationId: "planCleanup",
    summary: "What cleanup would kill and why, changing nothing (ao session cleanup --dry-run --json)",
    query: ProjectQuery,
    success: { status: 200, schema: CleanupPlanView },
    errors: ["UnknownProject", ...LOCAL_FAILURES],
    shared: true,
    run: ({ query }) => Effect.map(planCleanup(projectScope(query)), cleanupPlanView)
  }),
  endpoint({
    method: "POST",
    path: "/api/cleanup",
    operationId: "applyCleanup",
    summary: "Kill sessions whose PR merged, whose issue closed or whose runtime died (ao session cleanup --json)",
    body: ProjectBody,
    success: { status: 200, schema: CleanupReportView },
    errors: ["UnknownProject", ...LOCAL_FAILURES],
    run: ({ body }) =>
      Effect.flatMap(planCleanup(projectScope(body)), (plan) =>
        Effect.map(applyCleanup(plan), (report) => cleanupReportView(plan, report))
      )
  }),
  endpoint({
    method: "GET",
    path: "/api/status",
    operationId: "sessionStatus",
    summary: "Sessions with their issue's state (ao status --json)",
    query: ProjectQuery,
    success: { status: 200, schema: StatusView },
    errors: ["UnknownProject", ...LOCAL_FAILURES],
    shared: true,
    run: ({ query }) => Effect.map(sessionStatus(projectScope(query)), statusView)
  }),
  endpoint({
    method: "GET",
    path: "/api/doctor",
    operationId: "diagnose",
    summary: "Compare the records with tmux, git worktrees and locks and report every drift, changing nothing (ao doctor --json)",
    success: { status: 200, schema: DoctorView },
    errors: ["StoreFailed", "SessionLocked"],
    shared: true,
    run: () => Effect.map(diagnose(), (report) => doctorView(report))
  }),
  endpoint({
    method: "POST",
    path: "/api/doctor/fix",
    operationId: "repair",
    summary: "Repair what is safe to repair (worktrees are snapshotted first), then report what is left (ao doctor --fix --json)",
    success: { status: 200, schema: DoctorView },
    errors: ["StoreFailed", "SessionLocked"],
    run: () =>
      Effect.gen(function* () {
        const repairs = yield* repair(yield* diagnose())
        return doctorView(yield* diagnose(), repairs)
      })
  })
]
