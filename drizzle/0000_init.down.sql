-- Reverts 0000_init: drops every table it created (their indexes and foreign keys go with them).
-- All data is lost; take a backup first (npm run db:backup).
DROP TABLE "provider_usage";--> statement-breakpoint
DROP TABLE "messages";--> statement-breakpoint
DROP TABLE "chats";--> statement-breakpoint
DROP TABLE "provider_models";--> statement-breakpoint
DROP TABLE "provider_configs";--> statement-breakpoint
DROP TABLE "api_tokens";--> statement-breakpoint
DROP TABLE "sessions";--> statement-breakpoint
DROP TABLE "users";
