// @neurocipher/seg-api: the API's parts, for hosts that serve it in their own process (`seg serve`).
export { apiDeps } from './api-deps.ts';
export { STATUS_OF, buildApi, errorBody, routes } from './app.ts';
export type { ApiDeps, Route, TenantDesks } from './app.ts';
export { ROLES, allows, oidcAuthenticator } from './auth.ts';
export type { Authenticator, Caller, Role } from './auth.ts';
export { openApiDocument } from './openapi.ts';
