import { Order } from "effect"

const DIGIT_RUN = /\d+|\D+/g

/** A run of digits compared as a number: longer (without leading zeros) is larger, then digit by digit. */
const compareDigits = (a: string, b: string): -1 | 0 | 1 => {
  const x = a.replace(/^0+(?=\d)/, "")
  const y = b.replace(/^0+(?=\d)/, "")
  if (x.length !== y.length) return x.length < y.length ? -1 : 1
  return x < y ? -1 : x > y ? 1 : 0
}

/**
 * Names in the order people count: `mya-int-77` before `mya-int-603`,
 * `ao-2` before `ao-10`. Runs of digits compare as numbers, everything else
 * by code unit; no locale collation (ICU costs more than a whole listing).
 */
export const naturalOrder: Order.Order<string> = Order.make((a, b) => {
  const left = a.match(DIGIT_RUN) ?? []
  const right = b.match(DIGIT_RUN) ?? []
  for (let index = 0; index < Math.min(left.length, right.length); index++) {
    const x = left[index]!
    const y = right[index]!
    const numeric = /^\d/.test(x) && /^\d/.test(y)
    const order = numeric ? compareDigits(x, y) : x < y ? -1 : x > y ? 1 : 0
    if (order !== 0) return order
  }
  if (left.length !== right.length) return left.length < right.length ? -1 : 1
  // Equal as numbers (`ao-01`, `ao-1`): by code unit, so the order is total.
  return a < b ? -1 : a > b ? 1 : 0
})
