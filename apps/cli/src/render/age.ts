import { Duration } from "effect"

/** Time since last activity as the spec shows it: `2m`, `15m`, `1h` (whole units, rounded down). */
export const formatAge = (age: Duration.Duration): string => {
  const seconds = Math.max(0, Math.floor(Duration.toSeconds(age)))
  if (seconds < 60) return `${seconds}s`
  const minutes = Math.floor(seconds / 60)
  if (minutes < 60) return `${minutes}m`
  const hours = Math.floor(minutes / 60)
  if (hours < 24) return `${hours}h`
  return `${Math.floor(hours / 24)}d`
}
