/**
 * Concurrent identical reads share one run: thirty dashboards polling the
 * list at once cost one tmux call, not thirty. A result is shared only while
 * it is in flight; the next call after it settles starts a fresh run, so no
 * answer is ever stale.
 */
export class SingleFlight<A> {
  private readonly flights = new Map<string, { readonly result: Promise<A>; callers: number }>()

  run(key: string, start: () => Promise<A>): Promise<A> {
    const flight = this.flights.get(key)
    if (flight !== undefined) {
      flight.callers += 1
      return flight.result
    }
    const result = start().finally(() => this.flights.delete(key))
    this.flights.set(key, { result, callers: 1 })
    return result
  }

  /** How many callers wait on the run for `key` (0 when none is in flight). */
  callers(key: string): number {
    return this.flights.get(key)?.callers ?? 0
  }
}
