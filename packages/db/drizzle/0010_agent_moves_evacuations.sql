CREATE TABLE `host_evacuation_agents` (
	`evacuation_id` text NOT NULL,
	`agent_id` text NOT NULL,
	`username` text NOT NULL,
	`status` text DEFAULT 'waiting' NOT NULL,
	`target_host_id` text,
	`message` text,
	`updated_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL,
	PRIMARY KEY(`evacuation_id`, `agent_id`),
	FOREIGN KEY (`evacuation_id`) REFERENCES `host_evacuations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `host_evacuation_agents_status_idx` ON `host_evacuation_agents` (`evacuation_id`,`status`);--> statement-breakpoint
CREATE TABLE `host_evacuations` (
	`id` text PRIMARY KEY NOT NULL,
	`host_id` text NOT NULL,
	`batch_size` integer NOT NULL,
	`status` text DEFAULT 'running' NOT NULL,
	`total` integer NOT NULL,
	`moved` integer DEFAULT 0 NOT NULL,
	`failed` integer DEFAULT 0 NOT NULL,
	`requested_by_kind` text DEFAULT 'system' NOT NULL,
	`requested_by_id` text,
	`requested_by_label` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL,
	`ended_at` integer
);
--> statement-breakpoint
CREATE INDEX `host_evacuations_host_idx` ON `host_evacuations` (`host_id`,`created_at`);--> statement-breakpoint
ALTER TABLE `agents` ADD `move_to_host_id` text;--> statement-breakpoint
ALTER TABLE `agents` ADD `moved_from_host_id` text;--> statement-breakpoint
CREATE INDEX `agents_move_to_host_idx` ON `agents` (`move_to_host_id`);