// The runtime entry (the web app and the worker): the development server and `ensurePostgres`. The
// tests' servers are in `@pocket-smyth/postgres/testing`; nothing here reaches them.
export { answers, connectionUrl, withDatabase } from './connection';
export {
  type DevPostgresPaths,
  devDatabaseName,
  devPostgresPaths,
  devPostgresPathsIn,
  ensureDevPostgres,
  stopDevPostgres,
} from './dev-server';
export { type EnsurePostgresOptions, ensurePostgres } from './ensure-postgres';
export { freePort, reservedPort } from './free-port';
export { redact } from './wait-until-ready';
