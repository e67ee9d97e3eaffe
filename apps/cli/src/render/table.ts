import type { Style } from "./style"

export interface Column<Row> {
  readonly header: string
  readonly text: (row: Row) => string
  /** Colour applied after padding, so escape codes never disturb the alignment. */
  readonly colour?: (style: Style) => (text: string) => string
}

/** Left-aligned columns two spaces apart, headers first. */
export const renderTable = <Row>(rows: ReadonlyArray<Row>, columns: ReadonlyArray<Column<Row>>, style: Style): string => {
  const cells = rows.map((row) => columns.map((column) => column.text(row)))
  const widths = columns.map((column, index) =>
    Math.max(column.header.length, ...cells.map((line) => line[index]?.length ?? 0))
  )
  const pad = (text: string, index: number) =>
    index === columns.length - 1 ? text : text.padEnd(widths[index] ?? text.length)
  const header = style.bold(columns.map((column, index) => pad(column.header, index)).join("  ").trimEnd())
  const body = cells.map((line) =>
    line
      .map((text, index) => {
        const colour = columns[index]?.colour
        return colour === undefined ? pad(text, index) : colour(style)(pad(text, index))
      })
      .join("  ")
      .trimEnd()
  )
  return [header, ...body].join("\n")
}
