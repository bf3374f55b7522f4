ALTER TABLE "provider_models" ADD COLUMN "cache_read_price_per_m_tok" numeric(12, 6);--> statement-breakpoint
ALTER TABLE "provider_models" ADD COLUMN "cache_write_price_per_m_tok" numeric(12, 6);--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "cache_read_tokens" integer;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "cache_write_tokens" integer;--> statement-breakpoint
ALTER TABLE "provider_usage" ADD COLUMN "cache_read_tokens" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "provider_usage" ADD COLUMN "cache_write_tokens" integer DEFAULT 0 NOT NULL;