CREATE TABLE `agent_log_reads` (
	`id` text PRIMARY KEY NOT NULL,
	`agent_id` text NOT NULL,
	`lines` text,
	`error_class` text,
	`error_message` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `agent_log_reads_created_idx` ON `agent_log_reads` (`created_at`);