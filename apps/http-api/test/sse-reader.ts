export interface SseMessage {
  readonly event: string
  readonly data: string
  readonly id: string | undefined
}

/** Reads server-sent events off a response body, one message at a time. */
export const sseReader = (response: Response) => {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader()
  let buffer = ""
  const next = async (): Promise<SseMessage | undefined> => {
    while (!buffer.includes("\n\n")) {
      const { done, value } = await reader.read()
      if (done) return undefined
      buffer += value
    }
    const end = buffer.indexOf("\n\n")
    const block = buffer.slice(0, end)
    buffer = buffer.slice(end + 2)
    const fields = block.split("\n").map((line) => [line.slice(0, line.indexOf(":")), line.slice(line.indexOf(":") + 2)] as const)
    const field = (name: string) => fields.filter(([key]) => key === name).map(([, value]) => value)
    return { event: field("event")[0] ?? "message", data: field("data").join("\n"), id: field("id")[0] }
  }
  /** The next message of one of `events`, skipping others. */
  const until = async (events: ReadonlyArray<string>): Promise<SseMessage> => {
    for (;;) {
      const message = await next()
      if (message === undefined) throw new Error(`the stream ended before ${events.join(" or ")}`)
      if (events.includes(message.event)) return message
    }
  }
  return { next, until, cancel: () => reader.cancel() }
}
