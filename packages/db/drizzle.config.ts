import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'turso',
  schema: './src/schema/index.ts',
  out: './drizzle',
  dbCredentials: { url: 'file:../../.data/app.db' },
});
