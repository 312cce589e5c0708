CREATE TABLE `agent_env_vars` (
	`user_id` text NOT NULL,
	`name` text NOT NULL,
	`value_sealed` text NOT NULL,
	`last4` text NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL,
	`updated_by` text,
	PRIMARY KEY(`user_id`, `name`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`updated_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "agent_env_vars_sealed" CHECK("agent_env_vars"."value_sealed" like 'v1.%')
);
--> statement-breakpoint
ALTER TABLE `agents` ADD `env_changed_at` integer;