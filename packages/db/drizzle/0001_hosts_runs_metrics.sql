CREATE TABLE `hosts` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`transport` text NOT NULL,
	`address` text,
	`port` integer DEFAULT 22 NOT NULL,
	`ssh_user` text,
	`key_ref` text,
	`host_key_fingerprint` text,
	`capacity` integer DEFAULT 10 NOT NULL,
	`status` text DEFAULT 'active' NOT NULL,
	`last_stats` text,
	`last_seen_at` integer,
	`last_error` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL,
	CONSTRAINT "hosts_ssh_fields" CHECK("hosts"."transport" = 'local' or ("hosts"."address" is not null and "hosts"."ssh_user" is not null and "hosts"."key_ref" is not null and "hosts"."host_key_fingerprint" is not null)),
	CONSTRAINT "hosts_key_ref_not_plaintext" CHECK("hosts"."key_ref" is null or "hosts"."key_ref" not like '%PRIVATE KEY%'),
	CONSTRAINT "hosts_fingerprint_sha256" CHECK("hosts"."host_key_fingerprint" is null or "hosts"."host_key_fingerprint" like 'SHA256:%'),
	CONSTRAINT "hosts_capacity_non_negative" CHECK("hosts"."capacity" >= 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `hosts_name_unique` ON `hosts` (`name`);--> statement-breakpoint
CREATE TABLE `agent_samples` (
	`agent_id` text NOT NULL,
	`at` integer NOT NULL,
	`cpu_percent` real,
	`memory_bytes` integer,
	`observed_state` text NOT NULL,
	`running_since` integer,
	PRIMARY KEY(`agent_id`, `at`)
);
--> statement-breakpoint
CREATE INDEX `agent_samples_at_idx` ON `agent_samples` (`at`);--> statement-breakpoint
CREATE TABLE `host_samples` (
	`host_id` text NOT NULL,
	`at` integer NOT NULL,
	`cpu_percent` real,
	`memory_used_bytes` integer,
	`memory_total_bytes` integer,
	`disk_used_bytes` integer,
	`disk_total_bytes` integer,
	PRIMARY KEY(`host_id`, `at`)
);
--> statement-breakpoint
CREATE INDEX `host_samples_at_idx` ON `host_samples` (`at`);--> statement-breakpoint
CREATE TABLE `run_steps` (
	`id` text PRIMARY KEY NOT NULL,
	`run_id` text NOT NULL,
	`position` integer NOT NULL,
	`name` text NOT NULL,
	`status` text DEFAULT 'queued' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`started_at` integer,
	`ended_at` integer,
	`output_tail` text DEFAULT '' NOT NULL,
	`error_class` text,
	`message` text,
	FOREIGN KEY (`run_id`) REFERENCES `runs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `run_steps_position_unique` ON `run_steps` (`run_id`,`position`);--> statement-breakpoint
CREATE TABLE `runs` (
	`id` text PRIMARY KEY NOT NULL,
	`agent_id` text NOT NULL,
	`username` text NOT NULL,
	`kind` text NOT NULL,
	`status` text DEFAULT 'queued' NOT NULL,
	`attempt` integer DEFAULT 1 NOT NULL,
	`requested_by_kind` text DEFAULT 'system' NOT NULL,
	`requested_by_id` text,
	`requested_by_label` text,
	`job_id` text,
	`error_class` text,
	`error_message` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL,
	`started_at` integer,
	`ended_at` integer,
	`updated_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `runs_agent_idx` ON `runs` (`agent_id`,`id`);--> statement-breakpoint
CREATE INDEX `runs_status_idx` ON `runs` (`status`,`id`);