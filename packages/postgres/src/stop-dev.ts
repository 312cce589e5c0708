/** `pnpm --filter @pocket-smyth/postgres dev:stop`: stops the development Postgres under `.data/`. */
import { stopDevPostgres } from './dev-server';

const stopped = await stopDevPostgres();
console.info(
  stopped ? '[postgres] development server stopped' : '[postgres] no development server was running',
);
