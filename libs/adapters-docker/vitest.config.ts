import { projectTestConfig } from "../../vitest.shared"

export default projectTestConfig(import.meta.dirname)
