/** The environment every agent runs with, so it (and its hooks) know which session it is. */
export const agentEnvironment = (session: { readonly id: string; readonly projectId: string }) => ({
  AO_SESSION: session.id,
  AO_PROJECT_ID: session.projectId
})
