-- Reverts 0011_cached_tokens. Cache-read and cache-write token counts on usage rows and messages and the models' cache prices are lost; cost_usd keeps what each call cost (cache included).
ALTER TABLE "provider_usage" DROP COLUMN IF EXISTS "cache_write_tokens";--> statement-breakpoint
ALTER TABLE "provider_usage" DROP COLUMN IF EXISTS "cache_read_tokens";--> statement-breakpoint
ALTER TABLE "messages" DROP COLUMN IF EXISTS "cache_write_tokens";--> statement-breakpoint
ALTER TABLE "messages" DROP COLUMN IF EXISTS "cache_read_tokens";--> statement-breakpoint
ALTER TABLE "provider_models" DROP COLUMN IF EXISTS "cache_write_price_per_m_tok";--> statement-breakpoint
ALTER TABLE "provider_models" DROP COLUMN IF EXISTS "cache_read_price_per_m_tok";
