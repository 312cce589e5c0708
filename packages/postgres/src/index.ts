export { answers, connectionUrl, withDatabase } from './connection';
export {
  type DevPostgresPaths,
  devDatabaseName,
  devPostgresPaths,
  ensureDevPostgres,
  stopDevPostgres,
} from './dev-server';
export { type EnsurePostgresOptions, ensurePostgres, type PostgresPurpose } from './ensure-postgres';
export { freePort, reservedPort } from './free-port';
export { createScratchDatabase, type ScratchDatabase } from './scratch-database';
export { startTestPostgres, type TestPostgres, testPostgresForProcess } from './test-server';
export { redact } from './wait-until-ready';
