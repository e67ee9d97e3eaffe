export {
  containerCreateBody,
  containerNameOf,
  type ContainerMount,
  type ContainerPlan,
  type ContainerSettings,
  LABEL_PROJECT,
  LABEL_SESSION,
  LABEL_STORE,
  LABEL_WORKSPACE,
  storeIdOf,
  volumeNameOf
} from "./container-spec"
export { CloneFailed, cloneRefsOf } from "./clone-workspace"
export { makeDockerRuntimeLayer, type DockerProject, type DockerRuntimeOptions } from "./docker-runtime"
export {
  API_VERSION,
  type ContainerCreateBody,
  type ContainerSummary,
  DockerEngine,
  EngineRefused,
  EngineUnreachable,
  type EngineFailure,
  type VolumeSummary
} from "./engine-client"
export { DEFAULT_ENGINE_URL, type EngineEndpoint, type EngineTls, parseEngineUrl, resolveEngineEndpoint } from "./engine-endpoint"
