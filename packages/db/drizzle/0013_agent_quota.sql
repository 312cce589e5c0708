CREATE TABLE `agent_quota_periods` (
	`user_id` text NOT NULL,
	`period` text NOT NULL,
	`warned_at` integer,
	`exhausted_at` integer,
	`stopped_agent` integer DEFAULT false NOT NULL,
	`restarted_at` integer,
	PRIMARY KEY(`user_id`, `period`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `agent_quota_periods_stopped_idx` ON `agent_quota_periods` (`stopped_agent`);--> statement-breakpoint
CREATE TABLE `agent_quota_topups` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`period` text NOT NULL,
	`agent_hours` real NOT NULL,
	`reason` text NOT NULL,
	`granted_by_id` text,
	`granted_by_label` text,
	`granted_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "agent_quota_topups_hours_positive" CHECK("agent_quota_topups"."agent_hours" > 0)
);
--> statement-breakpoint
CREATE INDEX `agent_quota_topups_user_period_idx` ON `agent_quota_topups` (`user_id`,`period`);--> statement-breakpoint
CREATE INDEX `agent_running_intervals_user_idx` ON `agent_running_intervals` (`user_id`,`started_at`);