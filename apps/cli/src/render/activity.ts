import type { Activity } from "@ao/domain"
import { Option } from "effect"

/** `waiting: Claude needs your permission to use Bash`, or just the state when there is no detail. */
export const activityText = (activity: Activity): string =>
  Option.match(activity.detail, { onNone: () => activity.state, onSome: (detail) => `${activity.state}: ${detail}` })
