/**
 * The documented HTTP API, and nothing else: same origin, the sign-in
 * cookie rides along, every change is JSON (the server refuses anything else).
 */

export interface ApiError {
  readonly status: number
  readonly tag: string
  readonly message: string
  readonly hint: string | null
}

export type Answer<A> = { readonly ok: true; readonly value: A } | { readonly ok: false; readonly error: ApiError }

const answer = async <A>(response: Response): Promise<Answer<A>> => {
  const body = (await response.json().catch(() => ({}))) as { error?: { tag?: string; message?: string; hint?: string | null } }
  if (response.ok) return { ok: true, value: body as A }
  const error = body.error ?? {}
  return {
    ok: false,
    error: {
      status: response.status,
      tag: error.tag ?? "HttpError",
      message: error.message ?? `The server answered ${response.status}`,
      hint: error.hint ?? null
    }
  }
}

const failed = (error: unknown): Answer<never> => ({
  ok: false,
  error: { status: 0, tag: "Unreachable", message: `The server could not be reached (${String(error)})`, hint: "Is ao-api still running?" }
})

export const getJson = <A>(path: string): Promise<Answer<A>> =>
  fetch(path, { headers: { accept: "application/json" } }).then(answer<A>, failed)

export const postJson = <A>(path: string, body: unknown = {}): Promise<Answer<A>> =>
  fetch(path, { method: "POST", headers: { "content-type": "application/json", accept: "application/json" }, body: JSON.stringify(body) }).then(
    answer<A>,
    failed
  )

export const sessionPath = (name: string): string => `/api/sessions/${encodeURIComponent(name)}`

/** An error as a sentence a person can act on. */
export const errorText = (error: ApiError): string => (error.hint === null ? error.message : `${error.message}. ${error.hint}`)
