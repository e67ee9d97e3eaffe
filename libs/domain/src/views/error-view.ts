import { Schema } from "effect"
import { type DomainError, hintOf } from "../errors"

/** An error as data: the tag to branch on, the message a person reads, the next step when there is one. */
export const ErrorDetail = Schema.Struct({
  tag: Schema.String,
  message: Schema.String,
  hint: Schema.NullOr(Schema.String)
}).annotations({ identifier: "ErrorDetail" })
export type ErrorDetail = typeof ErrorDetail.Type

/** What `--json` prints and the HTTP API answers when a command fails. */
export const ErrorView = Schema.Struct({ error: ErrorDetail }).annotations({ identifier: "ErrorView" })
export type ErrorView = typeof ErrorView.Type

export const errorDetail = (error: DomainError): ErrorDetail => ({
  tag: error._tag,
  message: error.message,
  hint: hintOf(error) ?? null
})

export const errorView = (error: DomainError): ErrorView => ({ error: errorDetail(error) })

/** One session a batch (cleanup, restore-all) could not handle; the others went on. */
export const SessionFailureView = Schema.Struct({ name: Schema.String, error: ErrorDetail }).annotations({
  identifier: "SessionFailure"
})
export type SessionFailureView = typeof SessionFailureView.Type

export const sessionFailureView = (failure: { readonly id: string; readonly error: DomainError }): SessionFailureView => ({
  name: failure.id,
  error: errorDetail(failure.error)
})
