// @neurocipher/seg-api: the API's parts, for hosts that serve it in their own process (`seg serve`).
export { STATUS_OF, buildApi, errorBody, routes } from './app.ts';
export type { ApiDeps, Route } from './app.ts';
export { ROLES, allows, oidcAuthenticator } from './auth.ts';
export type { Authenticator, Caller, Role } from './auth.ts';
export { openApiDocument } from './openapi.ts';
