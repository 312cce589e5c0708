/** `pnpm --filter @pocket-smyth/postgres dev:stop`: stops the development Postgres under DATA_DIR. */
import { devPostgresPathsIn, stopDevPostgres } from './dev-server';
import { dataDirOfProcess } from './env';

const stopped = await stopDevPostgres(devPostgresPathsIn(dataDirOfProcess()));
console.info(
  stopped ? '[postgres] development server stopped' : '[postgres] no development server was running',
);
