CREATE TABLE `portal_settings` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL,
	`updated_by_id` text,
	`updated_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `rollout_agents` (
	`rollout_id` text NOT NULL,
	`agent_id` text NOT NULL,
	`username` text NOT NULL,
	`position` integer NOT NULL,
	`previous_image` text,
	`status` text DEFAULT 'pending' NOT NULL,
	`run_id` text,
	`started_at` integer,
	`ended_at` integer,
	`error` text,
	PRIMARY KEY(`rollout_id`, `agent_id`),
	FOREIGN KEY (`rollout_id`) REFERENCES `rollouts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`agent_id`) REFERENCES `agents`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`run_id`) REFERENCES `runs`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `rollout_agents_status_idx` ON `rollout_agents` (`rollout_id`,`status`,`position`);--> statement-breakpoint
CREATE INDEX `rollout_agents_agent_idx` ON `rollout_agents` (`agent_id`);--> statement-breakpoint
CREATE TABLE `rollouts` (
	`id` text PRIMARY KEY NOT NULL,
	`from_image` text,
	`to_image` text NOT NULL,
	`batch_size` integer NOT NULL,
	`failure_threshold_percent` integer NOT NULL,
	`status` text DEFAULT 'running' NOT NULL,
	`status_reason` text,
	`created_by_id` text,
	`created_by_label` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL,
	`ended_at` integer
);
--> statement-breakpoint
CREATE INDEX `rollouts_status_idx` ON `rollouts` (`status`,`created_at`);--> statement-breakpoint
ALTER TABLE `agents` ADD `image_override` text;--> statement-breakpoint
ALTER TABLE `agents` ADD `running_image` text;