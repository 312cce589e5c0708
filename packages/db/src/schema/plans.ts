import { sql } from 'drizzle-orm';
import { check, index, integer, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

const now = sql`(cast(unixepoch('subsecond') * 1000 as integer))`;

/**
 * What a person may use (docs/ARCHITECTURE.md, "Plans and quotas"). Every person has one
 * (`users.plan_id`); a new person gets the default one (a trigger, migration 0011, so every way a person
 * row is made is covered). A null limit means the deployment's own setting (`AGENT_CPUS`,
 * `AGENT_MEMORY_MB`, `RATE_LIMIT_PER_MINUTE`) or, for the quotas and the token count, no limit: the
 * "Standard" plan a fresh install creates has them all null, which is exactly the behaviour before plans.
 */
export const plans = sqliteTable(
  'plans',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    /** CPUs per agent (two decimals); null: the worker's AGENT_CPUS. */
    cpus: real('cpus'),
    /** Memory per agent in MB; null: the worker's AGENT_MEMORY_MB. */
    memoryMb: integer('memory_mb'),
    publicUrlAllowed: integer('public_url_allowed', { mode: 'boolean' }).notNull().default(true),
    /** API requests per minute for the person's tokens and session; null: RATE_LIMIT_PER_MINUTE. */
    apiRequestsPerMinute: integer('api_requests_per_minute'),
    /** Agent-hours per calendar month (UTC); null: unlimited. */
    monthlyAgentHours: integer('monthly_agent_hours'),
    /** API calls per calendar month (UTC); null: unlimited. */
    monthlyApiCalls: integer('monthly_api_calls'),
    /** API tokens a person may hold at once (unrevoked, unexpired); null: unlimited. */
    maxApiTokens: integer('max_api_tokens'),
    /** The agent image; null: the person's own image or the portal's default. */
    agentImage: text('agent_image'),
    isDefault: integer('is_default', { mode: 'boolean' }).notNull().default(false),
    /** Archived plans cannot be assigned; the people on one keep it until moved. */
    archivedAt: integer('archived_at', { mode: 'timestamp_ms' }),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull().default(now),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull().default(now),
  },
  (t) => [
    uniqueIndex('plans_name_unique').on(sql`lower(${t.name})`),
    // At most one default; the domain keeps exactly one.
    uniqueIndex('plans_default_unique').on(t.isDefault).where(sql`${t.isDefault} = 1`),
    check('plans_cpus_positive', sql`${t.cpus} is null or ${t.cpus} > 0`),
    check('plans_memory_positive', sql`${t.memoryMb} is null or ${t.memoryMb} > 0`),
    check('plans_rate_positive', sql`${t.apiRequestsPerMinute} is null or ${t.apiRequestsPerMinute} > 0`),
    check('plans_hours_non_negative', sql`${t.monthlyAgentHours} is null or ${t.monthlyAgentHours} >= 0`),
    check('plans_calls_non_negative', sql`${t.monthlyApiCalls} is null or ${t.monthlyApiCalls} >= 0`),
    check('plans_tokens_non_negative', sql`${t.maxApiTokens} is null or ${t.maxApiTokens} >= 0`),
    check('plans_default_not_archived', sql`not (${t.isDefault} = 1 and ${t.archivedAt} is not null)`),
    index('plans_archived_idx').on(t.archivedAt),
  ],
);

export type Plan = typeof plans.$inferSelect;
