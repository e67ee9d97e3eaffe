import type { BrokenSessionSummary, KeyView, KillView, RestoreView, SendView } from "@ao/domain"
import { errorText, getJson, postJson, sessionPath } from "./api"
import { type BoardSession, lasted, type PrReview } from "./attention"
import { fill, h } from "./dom"

interface OutputMessage {
  readonly replace: boolean
  readonly lines: ReadonlyArray<string>
}

/** Lines kept on the page; older ones scroll away as in a terminal. */
const MAX_LINES = 2000

const killText = (kill: KillView): string => {
  const saved =
    kill.snapshotRef === null
      ? "Nothing uncommitted needed saving."
      : `Uncommitted work was saved as ${kill.snapshotRef}; restore with recreate brings it back.`
  const lost = kill.notSaved.length === 0 ? "" : ` Not saved: ${kill.notSaved.join(", ")}.`
  return `Killed ${kill.name}. ${saved}${lost} From a terminal: ao session restore ${kill.name} --recreate`
}

const CI_TEXT: Readonly<Record<PrReview["ci"], string>> = {
  passing: "passing",
  failing: "failing",
  pending: "pending",
  none: "no checks report",
  unknown: "unknown (GitHub could not be read)"
}
const DECISION_TEXT: Readonly<Record<PrReview["review"], string>> = {
  approved: "approved",
  "changes-requested": "changes requested",
  "review-required": "review required",
  none: "none",
  unknown: "unknown (GitHub could not be read)"
}

/** The PR's CI and review rows: state, failing checks with links, decision, fix requests, and staleness. */
const reviewRows = (review: PrReview): Array<HTMLElement> => {
  const links = review.failingCheckLinks ?? review.failingChecks.map((name) => ({ name, url: "" }))
  const checks =
    links.length === 0
      ? []
      : [
          h("dt", {}, "failing checks"),
          h(
            "dd",
            { class: "failing-checks" },
            h(
              "ul",
              {},
              ...links.map((check) =>
                h("li", {}, check.url === "" ? check.name : h("a", { href: check.url, rel: "noreferrer" }, check.name))
              )
            )
          )
        ]
  return [
    h("dt", {}, "CI"),
    h("dd", { class: `ci ci-${review.ci}` }, CI_TEXT[review.ci]),
    ...checks,
    h("dt", {}, "review"),
    h("dd", { class: "decision" }, DECISION_TEXT[review.review]),
    h("dt", {}, "fix requests"),
    h(
      "dd",
      { class: "fix-requests" },
      review.fixRequests === 0 ? "none sent" : `${review.fixRequests} sent to the agent by the watcher`
    ),
    ...(review.stale === null ? [] : [h("dt", {}, "stale"), h("dd", { class: "stale" }, review.stale)])
  ]
}

/** Sessions whose record says they ended: their state is that, whatever the pane last showed. */
const ENDED = new Set(["killed", "done"])

/**
 * One session: its live output (as `ao logs -f`), a send box, the named
 * keys, kill, restore and restore with recreate. Returns how to leave it
 * (closes the output stream) and how to refresh its details.
 */
export const showSession = (main: HTMLElement, name: string) => {
  const details = h("div", { class: "details" })
  const output = h("pre", { class: "output", tabindex: "0", "aria-label": `Output of ${name}` })
  const notice = h("p", { class: "notice", role: "status", "aria-live": "polite" })
  const say = (text: string) => (notice.textContent = text)
  const message = h("textarea", { id: "message", name: "message", rows: "3", required: true })
  const sendForm = h(
    "form",
    { class: "send", "aria-label": "Send a message" },
    h("label", { for: "message" }, "Message to the agent"),
    message,
    h("button", { type: "submit" }, "Send")
  )
  sendForm.addEventListener("submit", (event) => {
    event.preventDefault()
    const text = message.value
    say("Sending…")
    void postJson<SendView>(`${sessionPath(name)}/messages`, { message: text }).then((answer) => {
      if (!answer.ok) return say(errorText(answer.error))
      if (answer.value.delivery === "confirmed") message.value = ""
      say(answer.value.delivery === "confirmed" ? "Message delivered." : "Message typed, but the pane did not show it anew.")
    })
  })
  // Ctrl+Enter sends, as in most chat boxes; Enter alone is a line break.
  message.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) sendForm.requestSubmit()
  })
  const button = (label: string, run: () => void, className = "") => {
    const element = h("button", { type: "button", class: className }, label)
    element.addEventListener("click", run)
    return element
  }
  const press = (key: "Escape" | "C-c", label: string) =>
    button(label, () => {
      void postJson<KeyView>(`${sessionPath(name)}/keys`, { key }).then((answer) =>
        say(answer.ok ? `Pressed ${label}.` : errorText(answer.error))
      )
    })
  const restore = (recreate: boolean) => () => {
    say("Restoring…")
    void postJson<RestoreView>(`${sessionPath(name)}/restore`, { recreate }).then((answer) => {
      say(answer.ok ? `Restored ${answer.value.name}.` : errorText(answer.error))
      refresh()
      if (answer.ok) follow()
    })
  }
  /** What the kill's answer said, kept when the output stream then ends. */
  let killedText: string | undefined
  const killConfirm = button(`Confirm: kill ${name}`, () => {
    killConfirm.hidden = true
    say("Killing…")
    void postJson<KillView>(`${sessionPath(name)}/kill`).then((answer) => {
      if (answer.ok) killedText = killText(answer.value)
      say(answer.ok ? killText(answer.value) : errorText(answer.error))
      refresh()
    })
  }, "danger")
  killConfirm.hidden = true
  const kill = button("Kill…", () => {
    killConfirm.hidden = false
    killConfirm.focus()
  })
  fill(
    main,
    h("h1", {}, name),
    details,
    notice,
    output,
    sendForm,
    h(
      "div",
      { class: "actions", role: "group", "aria-label": "Session actions" },
      press("Escape", "Escape"),
      press("C-c", "Ctrl-C"),
      kill,
      killConfirm,
      button("Restore", restore(false)),
      button("Restore and recreate worktree", restore(true))
    )
  )

  // Answers can arrive out of order: only the latest request's answer is drawn.
  let asked = 0
  let drawn = 0
  const refresh = () => {
    const mine = ++asked
    void getJson<BoardSession | BrokenSessionSummary>(sessionPath(name)).then((answer) => {
      if (mine < drawn) return
      drawn = mine
      if (!answer.ok) return fill(details, h("p", {}, errorText(answer.error)))
      const session = answer.value
      if (session.broken) return fill(details, h("p", {}, `This session's record cannot be read: ${session.problem}`))
      const state = ENDED.has(session.status) ? session.status : `${session.activity.state} ${lasted(session.activity.since, Date.now())}`
      fill(
        details,
        h(
          "dl",
          {},
          h("dt", {}, "state"),
          h("dd", { class: "state" }, state),
          h("dt", {}, "status"),
          h("dd", { class: "status" }, session.status),
          h("dt", {}, "project"),
          h("dd", {}, session.projectName),
          h("dt", {}, "issue"),
          h("dd", {}, session.issue ?? "none"),
          h("dt", {}, "branch"),
          h("dd", {}, session.branch),
          h("dt", {}, "PR"),
          h("dd", {}, session.pr === null ? "none" : h("a", { href: session.pr.url, rel: "noreferrer" }, `#${session.pr.number} ${session.pr.state}`)),
          ...(session.review == null ? [] : reviewRows(session.review))
        )
      )
    })
  }

  let stream: EventSource | undefined
  const follow = () => {
    stream?.close()
    stream = new EventSource(`${sessionPath(name)}/output/stream?lines=200`)
    stream.addEventListener("output", (event: MessageEvent<string>) => {
      const change = JSON.parse(event.data) as OutputMessage
      const atBottom = output.scrollTop + output.clientHeight >= output.scrollHeight - 4
      const kept = change.replace ? [] : (output.textContent ?? "").split("\n").filter((line, index, all) => index < all.length - 1 || line !== "")
      output.textContent = [...kept, ...change.lines].slice(-MAX_LINES).join("\n") + "\n"
      if (atBottom) output.scrollTop = output.scrollHeight
    })
    stream.addEventListener("end", () => {
      stream?.close()
      // The header follows: the session is read again (killed, exited), and a kill's own message stays.
      if (killedText === undefined) say("The session is no longer running.")
      refresh()
    })
    // A session that is not running answers with an error: there is nothing to follow until it is restored.
    stream.addEventListener("error", () => {
      if (stream?.readyState === EventSource.CLOSED) stream.close()
    })
  }
  refresh()
  follow()
  return {
    leave: () => stream?.close(),
    refresh
  }
}
