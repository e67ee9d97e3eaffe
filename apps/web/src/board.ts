import type { CleanupPlanView, CleanupReportView, OutputView, SessionListView, SpawnView } from "@ao/domain"
import { errorText, getJson, postJson, sessionPath } from "./api"
import { attentionReason, type BoardSession, byAttention, lasted, reviewText } from "./attention"
import { fill, h } from "./dom"

const isSession = (entry: SessionListView[number]): entry is BoardSession => entry.broken === false

/** The last line each card showed, so a redrawn board does not blink while the line is read again. */
const lastLines = new Map<string, string>()

/** A card's last line of output, read again whenever the board is. */
const lastLine = (name: string, into: HTMLElement): void => {
  into.textContent = lastLines.get(name) ?? ""
  void getJson<OutputView>(`${sessionPath(name)}/output?lines=1`).then((answer) => {
    const line = answer.ok ? (answer.value.lines.at(-1) ?? "") : ""
    lastLines.set(name, line)
    into.textContent = line
  })
}

const card = (session: BoardSession, now: number): HTMLLIElement => {
  const reason = attentionReason(session)
  const output = h("p", { class: "last-line", title: "Last line of output" })
  lastLine(session.name, output)
  return h(
    "li",
    {
      class: `card state-${session.activity.state}${session.review?.attention == null ? "" : ` attention-${session.review.attention}`}`,
      "data-session": session.name
    },
    h(
      "h2",
      {},
      h("a", { href: `#/s/${encodeURIComponent(session.name)}` }, session.name),
      " ",
      h("span", { class: "state" }, `${session.activity.state} ${lasted(session.activity.since, now)}`)
    ),
    reason !== undefined && h("p", { class: "reason" }, reason),
    h(
      "dl",
      {},
      h("dt", {}, "project"),
      h("dd", {}, session.projectName),
      h("dt", {}, "issue"),
      h("dd", {}, session.issue ?? "none"),
      h("dt", {}, "branch"),
      h("dd", {}, session.branch),
      h("dt", {}, "PR"),
      h(
        "dd",
        {},
        session.pr === null ? "none" : h("a", { href: session.pr.url, rel: "noreferrer" }, `#${session.pr.number} ${session.pr.state}`)
      ),
      session.review != null && h("dt", {}, "checks"),
      session.review != null && h("dd", { class: `review ci-${session.review.ci}` }, reviewText(session.review))
    ),
    output
  )
}

const spawnForm = (projects: ReadonlyArray<string>, say: (text: string) => void): HTMLElement => {
  const project = h("input", { id: "spawn-project", name: "project", required: true, list: "known-projects", autocomplete: "off" })
  const issue = h("input", { id: "spawn-issue", name: "issue", autocomplete: "off" })
  const prompt = h("textarea", { id: "spawn-prompt", name: "prompt", rows: "2" })
  const agent = h("input", { id: "spawn-agent", name: "agent", autocomplete: "off" })
  const form = h(
    "form",
    { class: "spawn", "aria-label": "Spawn a session" },
    h("datalist", { id: "known-projects" }, ...projects.map((id) => h("option", { value: id }))),
    h("label", { for: "spawn-project" }, "Project"),
    project,
    h("label", { for: "spawn-issue" }, "Issue (optional)"),
    issue,
    h("label", { for: "spawn-prompt" }, "Prompt (optional)"),
    prompt,
    h("label", { for: "spawn-agent" }, "Agent (optional)"),
    agent,
    h("button", { type: "submit" }, "Spawn")
  )
  form.addEventListener("submit", (event) => {
    event.preventDefault()
    const optional = (field: HTMLInputElement | HTMLTextAreaElement) => (field.value.trim() === "" ? undefined : field.value.trim())
    say("Spawning…")
    void postJson<SpawnView>("/api/sessions", {
      project: project.value.trim(),
      issue: optional(issue),
      prompt: optional(prompt),
      agent: optional(agent)
    }).then((answer) => say(answer.ok ? `Spawned ${answer.value.name} on ${answer.value.branch}.` : errorText(answer.error)))
  })
  return h("details", {}, h("summary", {}, "Spawn a session"), form)
}

const cleanupPanel = (say: (text: string) => void): HTMLElement => {
  const result = h("div", { class: "cleanup-result" })
  const plan = h("button", { type: "button" }, "Plan cleanup")
  plan.addEventListener("click", () => {
    void getJson<CleanupPlanView>("/api/cleanup").then((answer) => {
      if (!answer.ok) return say(errorText(answer.error))
      if (answer.value.wouldClean.length === 0) return fill(result, h("p", {}, "Nothing to clean up."))
      const confirm = h("button", { type: "button", class: "danger" }, `Confirm: clean up ${answer.value.wouldClean.length}`)
      confirm.addEventListener("click", () => {
        confirm.disabled = true
        void postJson<CleanupReportView>("/api/cleanup").then((done) =>
          done.ok
            ? fill(result, h("p", {}, `Cleaned up: ${done.value.cleaned.map((each) => each.name).join(", ") || "none"}.`))
            : say(errorText(done.error))
        )
      })
      fill(
        result,
        h("ul", {}, ...answer.value.wouldClean.map((each) => h("li", {}, `${each.name}: ${each.reasons.join(", ")}`))),
        confirm
      )
      confirm.focus()
    })
  })
  return h("details", {}, h("summary", {}, "Cleanup"), plan, result)
}

/**
 * The board: every session, attention first. It reads the list once, then
 * again after each event (one read at a time; events during a read ask for
 * one more), never on a timer.
 */
export const showBoard = (main: HTMLElement, say: (text: string) => void): ((sessionId: string | undefined) => void) => {
  const list = h("ul", { class: "board", "aria-label": "Sessions, those needing you first" })
  const tools = h("div", { class: "tools" })
  const notice = h("p", { class: "notice", role: "status", "aria-live": "polite" })
  fill(main, h("h1", {}, "Sessions"), tools, notice, list)
  let reading = false
  let again = false
  let toolsShown = false
  const read = async (): Promise<void> => {
    if (reading) {
      again = true
      return
    }
    reading = true
    const answer = await getJson<SessionListView>("/api/sessions")
    const arrived = performance.now()
    reading = false
    if (!answer.ok) notice.textContent = errorText(answer.error)
    else {
      const sessions = byAttention(answer.value.filter(isSession))
      const now = Date.now()
      // A redraw replaces the cards: the keyboard's place (a card's link) is kept, or the focus would fall to the page.
      const focusedCard = list.contains(document.activeElement) ? document.activeElement?.closest(".card")?.getAttribute("data-session") : null
      fill(list, ...sessions.map((session) => card(session, now)))
      if (focusedCard != null) list.querySelector<HTMLElement>(`.card[data-session="${CSS.escape(focusedCard)}"] h2 a`)?.focus()
      if (sessions.length === 0) fill(list, h("li", { class: "empty" }, "No sessions yet: spawn one."))
      if (!toolsShown) {
        toolsShown = true
        const projects = [...new Set(sessions.map((session) => session.project))]
        fill(tools, spawnForm(projects, (text) => (notice.textContent = text)), cleanupPanel((text) => (notice.textContent = text)))
      }
      // For bench-dashboard: when the first list was drawn, and how long drawing the latest one took after it arrived.
      main.dataset["firstRenderedAt"] ??= String(performance.now())
      main.dataset["renderMillis"] = String(performance.now() - arrived)
    }
    if (again) {
      again = false
      await read()
    }
  }
  void read()
  say("live")
  return () => void read()
}
