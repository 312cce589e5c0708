CREATE TABLE `host_session_codes` (
	`code_hash` text PRIMARY KEY NOT NULL,
	`host` text NOT NULL,
	`session_token` text NOT NULL,
	`user_id` text NOT NULL,
	`expires_at` integer NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`session_token`) REFERENCES `sessions`(`session_token`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `host_session_codes_session_idx` ON `host_session_codes` (`session_token`);--> statement-breakpoint
CREATE TABLE `host_sessions` (
	`token_hash` text PRIMARY KEY NOT NULL,
	`host` text NOT NULL,
	`session_token` text NOT NULL,
	`user_id` text NOT NULL,
	`expires_at` integer NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`session_token`) REFERENCES `sessions`(`session_token`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `host_sessions_session_idx` ON `host_sessions` (`session_token`);--> statement-breakpoint
CREATE INDEX `host_sessions_user_idx` ON `host_sessions` (`user_id`);