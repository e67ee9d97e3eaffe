/** Builds an element; text is always set as text, never parsed as HTML. */
export const h = <K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Readonly<Record<string, string | boolean | undefined>> = {},
  ...children: ReadonlyArray<Node | string | undefined | false>
): HTMLElementTagNameMap[K] => {
  const element = document.createElement(tag)
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue
    element.setAttribute(name, value === true ? "" : value)
  }
  for (const child of children) {
    if (child === undefined || child === false) continue
    element.append(child)
  }
  return element
}

/** Replaces everything inside `parent`. */
export const fill = (parent: Element, ...children: ReadonlyArray<Node | string | undefined | false>): void => {
  parent.replaceChildren(...children.filter((child): child is Node | string => child !== undefined && child !== false))
}
