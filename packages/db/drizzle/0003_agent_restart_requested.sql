ALTER TABLE `agents` ADD `restart_requested_at` integer;--> statement-breakpoint
CREATE INDEX `agents_restart_requested_idx` ON `agents` (`restart_requested_at`);