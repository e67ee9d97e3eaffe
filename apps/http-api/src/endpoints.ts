import type { EventLog } from "@ao/domain"
import { Effect, Schema } from "effect"
import { type Endpoint, endpoint } from "./endpoint"

/** What the endpoints' use cases need from the runtime. */
export type ApiServices = EventLog

const Health = Schema.Struct({ status: Schema.Literal("ok") }).annotations({ identifier: "Health" })

export const API_ENDPOINTS: ReadonlyArray<Endpoint<ApiServices>> = [
  endpoint({
    method: "GET",
    path: "/api/health",
    operationId: "health",
    summary: "Whether the server is up",
    success: { status: 200, schema: Health },
    errors: [],
    run: () => Effect.succeed({ status: "ok" as const })
  })
]
