CREATE TABLE `plans` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`cpus` real,
	`memory_mb` integer,
	`public_url_allowed` integer DEFAULT true NOT NULL,
	`api_requests_per_minute` integer,
	`monthly_agent_hours` integer,
	`monthly_api_calls` integer,
	`max_api_tokens` integer,
	`agent_image` text,
	`is_default` integer DEFAULT false NOT NULL,
	`archived_at` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL,
	CONSTRAINT "plans_cpus_positive" CHECK("plans"."cpus" is null or "plans"."cpus" > 0),
	CONSTRAINT "plans_memory_positive" CHECK("plans"."memory_mb" is null or "plans"."memory_mb" > 0),
	CONSTRAINT "plans_rate_positive" CHECK("plans"."api_requests_per_minute" is null or "plans"."api_requests_per_minute" > 0),
	CONSTRAINT "plans_hours_non_negative" CHECK("plans"."monthly_agent_hours" is null or "plans"."monthly_agent_hours" >= 0),
	CONSTRAINT "plans_calls_non_negative" CHECK("plans"."monthly_api_calls" is null or "plans"."monthly_api_calls" >= 0),
	CONSTRAINT "plans_tokens_non_negative" CHECK("plans"."max_api_tokens" is null or "plans"."max_api_tokens" >= 0),
	CONSTRAINT "plans_default_not_archived" CHECK(not ("plans"."is_default" = 1 and "plans"."archived_at" is not null))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `plans_name_unique` ON `plans` (lower("name"));--> statement-breakpoint
CREATE UNIQUE INDEX `plans_default_unique` ON `plans` (`is_default`) WHERE "plans"."is_default" = 1;--> statement-breakpoint
CREATE INDEX `plans_archived_idx` ON `plans` (`archived_at`);--> statement-breakpoint
ALTER TABLE `users` ADD `plan_id` text REFERENCES plans(id);--> statement-breakpoint
CREATE INDEX `users_plan_idx` ON `users` (`plan_id`);--> statement-breakpoint
-- A fresh install's default plan: every limit null, i.e. the deployment's own settings and no quotas,
-- which is the behaviour before plans. Existing people move onto it.
INSERT INTO `plans` (`id`, `name`, `description`, `is_default`)
VALUES ('standard', 'Standard', 'Everyone''s plan until an admin sets others up.', 1);
--> statement-breakpoint
UPDATE `users` SET `plan_id` = 'standard' WHERE `plan_id` IS NULL;
--> statement-breakpoint
-- Whoever makes a person row (Auth.js, the development sign-in, a test), the person gets the default plan.
CREATE TRIGGER `users_default_plan` AFTER INSERT ON `users`
WHEN NEW.`plan_id` IS NULL
BEGIN
  UPDATE `users` SET `plan_id` = (SELECT `id` FROM `plans` WHERE `is_default` = 1) WHERE `id` = NEW.`id`;
END;
