import { showBoard } from "./board"
import { onSessionEvent } from "./events"
import { showSession } from "./session-page"

/**
 * The dashboard: `#/` is the board, `#/s/<name>` one session. One event
 * stream per tab feeds whichever view is shown.
 */
const main = document.getElementById("main")!
const live = document.getElementById("live")!
const say = (text: string) => (live.textContent = text)

let current: { readonly leave: () => void; readonly onEvent: (sessionId: string | undefined) => void } | undefined

const route = () => {
  current?.leave()
  const match = /^#\/s\/([^/]+)$/.exec(location.hash)
  if (match === null) {
    const onEvent = showBoard(main, say)
    current = { leave: () => {}, onEvent }
    document.title = "ao fleet"
  } else {
    const name = decodeURIComponent(match[1]!)
    const page = showSession(main, name)
    current = { leave: page.leave, onEvent: (sessionId) => (sessionId === undefined || sessionId === name ? page.refresh() : undefined) }
    document.title = `${name} · ao fleet`
  }
  main.focus()
}

onSessionEvent((sessionId) => current?.onEvent(sessionId), say)
window.addEventListener("hashchange", route)
route()
