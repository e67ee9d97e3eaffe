import { type Document, isMap, isScalar, isSeq, type LineCounter, type Node } from "yaml"

/**
 * The line of the deepest node along `path` in a parsed YAML document, so a
 * problem found after decoding can point at the line to fix. A key that is
 * missing points at its parent.
 */
export const lineOf = (document: Document, lineCounter: LineCounter, path: ReadonlyArray<PropertyKey>): number | undefined => {
  let node: unknown = document.contents
  let line: number | undefined
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(segment))
      if (pair === undefined) break
      line = startLine(pair.key as Node, lineCounter) ?? line
      node = pair.value
    } else if (isSeq(node)) {
      const item = node.items[Number(segment)]
      if (item === undefined) break
      line = startLine(item as Node, lineCounter) ?? line
      node = item
    } else break
  }
  return line
}

const startLine = (node: Node, lineCounter: LineCounter): number | undefined =>
  node.range === undefined || node.range === null ? undefined : lineCounter.linePos(node.range[0]).line
