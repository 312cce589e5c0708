CREATE TABLE `agent_running_intervals` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`agent_id` text NOT NULL,
	`user_id` text,
	`started_at` integer NOT NULL,
	`ended_at` integer,
	`closed_at` integer
);
--> statement-breakpoint
CREATE INDEX `agent_running_intervals_agent_idx` ON `agent_running_intervals` (`agent_id`,`ended_at`);--> statement-breakpoint
CREATE INDEX `agent_running_intervals_ended_idx` ON `agent_running_intervals` (`ended_at`);--> statement-breakpoint
CREATE INDEX `agent_running_intervals_closed_idx` ON `agent_running_intervals` (`closed_at`);--> statement-breakpoint
CREATE TABLE `api_call_counts` (
	`user_id` text NOT NULL,
	`token_id` text NOT NULL,
	`hour` integer NOT NULL,
	`count` integer NOT NULL,
	PRIMARY KEY(`user_id`, `token_id`, `hour`)
);
--> statement-breakpoint
CREATE INDEX `api_call_counts_hour_idx` ON `api_call_counts` (`hour`);--> statement-breakpoint
CREATE TABLE `usage_daily` (
	`user_id` text NOT NULL,
	`day` integer NOT NULL,
	`agent_seconds` real DEFAULT 0 NOT NULL,
	`cpu_seconds` real DEFAULT 0 NOT NULL,
	`memory_gb_seconds` real DEFAULT 0 NOT NULL,
	`api_calls` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`user_id`, `day`)
);
--> statement-breakpoint
CREATE INDEX `usage_daily_day_idx` ON `usage_daily` (`day`);--> statement-breakpoint
CREATE TABLE `usage_hourly` (
	`user_id` text NOT NULL,
	`hour` integer NOT NULL,
	`agent_seconds` real DEFAULT 0 NOT NULL,
	`cpu_seconds` real DEFAULT 0 NOT NULL,
	`memory_gb_seconds` real DEFAULT 0 NOT NULL,
	`api_calls` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`user_id`, `hour`)
);
--> statement-breakpoint
CREATE INDEX `usage_hourly_hour_idx` ON `usage_hourly` (`hour`);--> statement-breakpoint
CREATE TABLE `usage_rollup_state` (
	`id` integer PRIMARY KEY NOT NULL,
	`rolled_until` integer NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
-- Running stretches follow agents.observed_state, at the transition's own time (observed_at): every
-- writer of the state is covered, none can forget (docs/ARCHITECTURE.md, "Usage metering").
CREATE TRIGGER `agents_running_started` AFTER UPDATE OF `observed_state` ON `agents`
WHEN NEW.`observed_state` = 'running' AND OLD.`observed_state` <> 'running'
BEGIN
  INSERT INTO `agent_running_intervals` (`agent_id`, `user_id`, `started_at`)
  VALUES (NEW.`id`, NEW.`user_id`, NEW.`observed_at`);
END;
--> statement-breakpoint
CREATE TRIGGER `agents_running_ended` AFTER UPDATE OF `observed_state` ON `agents`
WHEN OLD.`observed_state` = 'running' AND NEW.`observed_state` <> 'running'
BEGIN
  UPDATE `agent_running_intervals`
     SET `ended_at` = max(`started_at`, NEW.`observed_at`),
         `closed_at` = cast(unixepoch('subsecond') * 1000 as integer)
   WHERE `agent_id` = NEW.`id` AND `ended_at` IS NULL;
END;
--> statement-breakpoint
CREATE TRIGGER `agents_running_inserted` AFTER INSERT ON `agents`
WHEN NEW.`observed_state` = 'running'
BEGIN
  INSERT INTO `agent_running_intervals` (`agent_id`, `user_id`, `started_at`)
  VALUES (NEW.`id`, NEW.`user_id`, NEW.`observed_at`);
END;
--> statement-breakpoint
CREATE TRIGGER `agents_running_deleted` AFTER DELETE ON `agents`
BEGIN
  UPDATE `agent_running_intervals`
     SET `ended_at` = max(`started_at`, cast(unixepoch('subsecond') * 1000 as integer)),
         `closed_at` = cast(unixepoch('subsecond') * 1000 as integer)
   WHERE `agent_id` = OLD.`id` AND `ended_at` IS NULL;
END;
--> statement-breakpoint
-- An agent already running when metering arrives is metered from its last transition.
INSERT INTO `agent_running_intervals` (`agent_id`, `user_id`, `started_at`)
SELECT `id`, `user_id`, `observed_at` FROM `agents` WHERE `observed_state` = 'running';
--> statement-breakpoint
-- Nothing rolled up yet: the first run covers what the hourly rollups keep (14 days).
INSERT INTO `usage_rollup_state` (`id`, `rolled_until`) VALUES (1, 0);
