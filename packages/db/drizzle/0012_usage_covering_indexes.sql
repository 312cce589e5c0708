DROP INDEX `usage_daily_day_idx`;--> statement-breakpoint
CREATE INDEX `usage_daily_day_cover_idx` ON `usage_daily` (`day`,`user_id`,`agent_seconds`,`cpu_seconds`,`memory_gb_seconds`,`api_calls`);--> statement-breakpoint
DROP INDEX `usage_hourly_hour_idx`;--> statement-breakpoint
CREATE INDEX `usage_hourly_hour_cover_idx` ON `usage_hourly` (`hour`,`agent_seconds`);