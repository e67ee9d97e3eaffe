/**
 * A GraphQL parser for the subset a GitHub client sends: one operation with
 * variables, aliases, arguments (scalars, enums, lists, input objects) and
 * nested selections. Fragments and directives are refused with GitHub's
 * parse-error shape rather than silently ignored.
 */

export type GraphqlValue =
  | { readonly kind: "Variable"; readonly name: string }
  | { readonly kind: "Literal"; readonly value: unknown }
  | { readonly kind: "Enum"; readonly value: string }
  | { readonly kind: "List"; readonly values: ReadonlyArray<GraphqlValue> }
  | { readonly kind: "Object"; readonly fields: Readonly<Record<string, GraphqlValue>> }

export interface FieldNode {
  readonly alias: string
  readonly name: string
  readonly arguments: Readonly<Record<string, GraphqlValue>>
  readonly selections: ReadonlyArray<FieldNode> | undefined
}

export interface OperationNode {
  readonly kind: "query" | "mutation"
  readonly variables: ReadonlyArray<{ readonly name: string; readonly defaultValue: GraphqlValue | undefined }>
  readonly selections: ReadonlyArray<FieldNode>
}

export class GraphqlSyntaxError extends Error {}

const TOKEN = /\s*(?:#[^\n]*\s*)*(\.\.\.|[{}()[\]:=!$@,]|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|"(?:[^"\\\n]|\\.)*"|[_A-Za-z][_0-9A-Za-z]*)/y

const tokenize = (source: string): ReadonlyArray<string> => {
  const tokens: Array<string> = []
  TOKEN.lastIndex = 0
  while (TOKEN.lastIndex < source.length) {
    const start = TOKEN.lastIndex
    const match = TOKEN.exec(source)
    if (match === null) {
      if (source.slice(start).trim().replace(/#[^\n]*/g, "").trim() === "") break
      throw new GraphqlSyntaxError(`Parse error on "${source.slice(start).trim().slice(0, 20)}"`)
    }
    // Commas are insignificant in GraphQL.
    if (match[1] !== ",") tokens.push(match[1] ?? "")
  }
  return tokens
}

class Parser {
  private position = 0
  constructor(private readonly tokens: ReadonlyArray<string>) {}

  private peek(): string | undefined {
    return this.tokens[this.position]
  }

  private next(): string {
    const token = this.tokens[this.position++]
    if (token === undefined) throw new GraphqlSyntaxError("Parse error on end of document")
    return token
  }

  private expect(expected: string): void {
    const token = this.next()
    if (token !== expected) throw new GraphqlSyntaxError(`Parse error on "${token}" (expected "${expected}")`)
  }

  private name(): string {
    const token = this.next()
    if (!/^[_A-Za-z]/.test(token)) throw new GraphqlSyntaxError(`Parse error on "${token}" (expected a name)`)
    return token
  }

  document(): OperationNode {
    let kind: OperationNode["kind"] = "query"
    const variables: Array<OperationNode["variables"][number]> = []
    const head = this.peek()
    if (head === "query" || head === "mutation") {
      kind = head
      this.next()
      if (this.peek() !== "(" && this.peek() !== "{") this.name()
      if (this.peek() === "(") {
        this.next()
        while (this.peek() !== ")") {
          this.expect("$")
          const name = this.name()
          this.expect(":")
          this.type()
          let defaultValue: GraphqlValue | undefined
          if (this.peek() === "=") {
            this.next()
            defaultValue = this.value()
          }
          variables.push({ name, defaultValue })
        }
        this.next()
      }
    }
    const selections = this.selectionSet()
    if (this.peek() !== undefined) {
      throw new GraphqlSyntaxError(`Parse error on "${this.peek()}": only one operation per document is supported`)
    }
    return { kind, variables, selections }
  }

  private type(): void {
    if (this.peek() === "[") {
      this.next()
      this.type()
      this.expect("]")
    } else {
      this.name()
    }
    if (this.peek() === "!") this.next()
  }

  private selectionSet(): ReadonlyArray<FieldNode> {
    this.expect("{")
    const fields: Array<FieldNode> = []
    while (this.peek() !== "}") {
      const token = this.peek()
      if (token === "..." || token === "@") throw new GraphqlSyntaxError(`Parse error on "${token}": fragments and directives are not supported`)
      fields.push(this.field())
    }
    this.next()
    return fields
  }

  private field(): FieldNode {
    const alias = this.name()
    let name = alias
    if (this.peek() === ":") {
      this.next()
      name = this.name()
    }
    const args: Record<string, GraphqlValue> = {}
    if (this.peek() === "(") {
      this.next()
      while (this.peek() !== ")") {
        const argument = this.name()
        this.expect(":")
        args[argument] = this.value()
      }
      this.next()
    }
    const selections = this.peek() === "{" ? this.selectionSet() : undefined
    return { alias, name, arguments: args, selections }
  }

  private value(): GraphqlValue {
    const token = this.next()
    if (token === "$") return { kind: "Variable", name: this.name() }
    if (token === "[") {
      const values: Array<GraphqlValue> = []
      while (this.peek() !== "]") values.push(this.value())
      this.next()
      return { kind: "List", values }
    }
    if (token === "{") {
      const fields: Record<string, GraphqlValue> = {}
      while (this.peek() !== "}") {
        const name = this.name()
        this.expect(":")
        fields[name] = this.value()
      }
      this.next()
      return { kind: "Object", fields }
    }
    if (token.startsWith('"')) return { kind: "Literal", value: JSON.parse(token) as string }
    if (/^-?\d/.test(token)) return { kind: "Literal", value: Number(token) }
    if (token === "true" || token === "false") return { kind: "Literal", value: token === "true" }
    if (token === "null") return { kind: "Literal", value: null }
    if (/^[_A-Za-z]/.test(token)) return { kind: "Enum", value: token }
    throw new GraphqlSyntaxError(`Parse error on "${token}" (expected a value)`)
  }
}

export const parseGraphql = (source: string): OperationNode => new Parser(tokenize(source)).document()

/** The value of an argument once variables are substituted. */
export const evaluate = (value: GraphqlValue, variables: Readonly<Record<string, unknown>>): unknown => {
  switch (value.kind) {
    case "Variable":
      return variables[value.name] ?? null
    case "Literal":
      return value.value
    case "Enum":
      return value.value
    case "List":
      return value.values.map((item) => evaluate(item, variables))
    case "Object":
      return Object.fromEntries(Object.entries(value.fields).map(([key, item]) => [key, evaluate(item, variables)]))
  }
}
