export * from "./github-emulator-process"
export * from "./sandbox"
export * from "./stand-in-agent"
export * from "./workspace-root"
