import { evaluate, type FieldNode, type OperationNode } from "./graphql-parser"

/**
 * Executes a parsed operation over objects whose fields are resolvers, and
 * answers like GitHub: a field that fails is `null` in `data` with an entry in
 * `errors` (its `path` uses aliases); an unknown field fails the whole query.
 */

export type Arguments = Readonly<Record<string, unknown>>

export interface GraphqlObject {
  readonly typename: string
  readonly fields: Readonly<Record<string, (args: Arguments) => unknown>>
}

/** A resolver's failure, reported GitHub's way (`type: NOT_FOUND`, …). */
export class FieldError extends Error {
  constructor(
    readonly type: string,
    message: string
  ) {
    super(message)
  }
}

/** A query GitHub would refuse before running any of it. */
export class ValidationError extends Error {
  constructor(
    message: string,
    readonly path: ReadonlyArray<string>,
    readonly code: string
  ) {
    super(message)
  }
}

export interface GraphqlError {
  readonly type?: string
  readonly path?: ReadonlyArray<string | number>
  readonly message: string
  readonly extensions?: Readonly<Record<string, unknown>>
  readonly locations?: ReadonlyArray<{ readonly line: number; readonly column: number }>
}

export interface GraphqlResponse {
  readonly data?: unknown
  readonly errors?: ReadonlyArray<GraphqlError>
}

export const isGraphqlObject = (value: unknown): value is GraphqlObject =>
  typeof value === "object" && value !== null && "typename" in value && "fields" in value

export const executeGraphql = (
  operation: OperationNode,
  root: GraphqlObject,
  variables: Arguments
): GraphqlResponse => {
  const defaults = Object.fromEntries(
    operation.variables.flatMap((variable) =>
      variable.defaultValue === undefined ? [] : [[variable.name, evaluate(variable.defaultValue, {})]]
    )
  )
  const values = { ...defaults, ...variables }
  const errors: Array<GraphqlError> = []

  const resolveSelections = (
    object: GraphqlObject,
    selections: ReadonlyArray<FieldNode>,
    path: ReadonlyArray<string | number>
  ): Record<string, unknown> =>
    Object.fromEntries(selections.map((field) => [field.alias, resolveField(object, field, [...path, field.alias])]))

  const shape = (value: unknown, field: FieldNode, path: ReadonlyArray<string | number>): unknown => {
    if (Array.isArray(value)) return value.map((item, index) => shape(item, field, [...path, index]))
    if (isGraphqlObject(value)) {
      if (field.selections === undefined) {
        throw new ValidationError(
          `Field must have selections (field '${field.name}' returns ${value.typename} but has no selections. Did you mean '${field.name} { ... }'?)`,
          path.map(String),
          "selectionMismatch"
        )
      }
      return resolveSelections(value, field.selections, path)
    }
    return value
  }

  const resolveField = (object: GraphqlObject, field: FieldNode, path: ReadonlyArray<string | number>): unknown => {
    if (field.name === "__typename") return object.typename
    const resolver = object.fields[field.name]
    if (resolver === undefined) {
      throw new ValidationError(`Field '${field.name}' doesn't exist on type '${object.typename}'`, path.map(String), "undefinedField")
    }
    const args = Object.fromEntries(Object.entries(field.arguments).map(([name, value]) => [name, evaluate(value, values)]))
    try {
      return shape(resolver(args), field, path)
    } catch (error) {
      if (!(error instanceof FieldError)) throw error
      errors.push({ type: error.type, path, locations: [{ line: 1, column: 1 }], message: error.message })
      return null
    }
  }

  try {
    const data = resolveSelections(root, operation.selections, [])
    return errors.length === 0 ? { data } : { data, errors }
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error
    return {
      errors: [
        {
          path: ["query", ...error.path],
          extensions: { code: error.code },
          locations: [{ line: 1, column: 1 }],
          message: error.message
        }
      ]
    }
  }
}
