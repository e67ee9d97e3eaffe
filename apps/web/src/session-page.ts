import type { BrokenSessionSummary, KeyView, KillView, RestoreView, SendView, SessionSummary } from "@ao/domain"
import { errorText, getJson, postJson, sessionPath } from "./api"
import { lasted } from "./attention"
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
  const killConfirm = button(`Confirm: kill ${name}`, () => {
    killConfirm.hidden = true
    say("Killing…")
    void postJson<KillView>(`${sessionPath(name)}/kill`).then((answer) => {
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

  const refresh = () => {
    void getJson<SessionSummary | BrokenSessionSummary>(sessionPath(name)).then((answer) => {
      if (!answer.ok) return fill(details, h("p", {}, errorText(answer.error)))
      const session = answer.value
      if (session.broken) return fill(details, h("p", {}, `This session's record cannot be read: ${session.problem}`))
      fill(
        details,
        h(
          "dl",
          {},
          h("dt", {}, "state"),
          h("dd", { class: "state" }, `${session.activity.state} ${lasted(session.activity.since, Date.now())}`),
          h("dt", {}, "status"),
          h("dd", {}, session.status),
          h("dt", {}, "project"),
          h("dd", {}, session.projectName),
          h("dt", {}, "issue"),
          h("dd", {}, session.issue ?? "none"),
          h("dt", {}, "branch"),
          h("dd", {}, session.branch),
          h("dt", {}, "PR"),
          h("dd", {}, session.pr === null ? "none" : h("a", { href: session.pr.url, rel: "noreferrer" }, `#${session.pr.number} ${session.pr.state}`))
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
      say("The session is no longer running.")
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
