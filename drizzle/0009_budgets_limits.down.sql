-- Reverts 0009_budgets_limits: budgets and per-user or per-role limits go (every call is allowed
-- again under the built-in caps), and usage rows forget which API token they came through.
DROP INDEX IF EXISTS "provider_usage_token_created_idx";
--> statement-breakpoint
ALTER TABLE "provider_usage" DROP CONSTRAINT IF EXISTS "provider_usage_api_token_id_api_tokens_id_fk";
--> statement-breakpoint
ALTER TABLE "provider_usage" DROP COLUMN IF EXISTS "api_token_id";
--> statement-breakpoint
ALTER TABLE "users" DROP COLUMN IF EXISTS "requests_per_minute";
--> statement-breakpoint
ALTER TABLE "users" DROP COLUMN IF EXISTS "max_concurrent";
--> statement-breakpoint
ALTER TABLE "users" DROP COLUMN IF EXISTS "monthly_budget_usd";
--> statement-breakpoint
ALTER TABLE "api_tokens" DROP COLUMN IF EXISTS "monthly_budget_usd";
--> statement-breakpoint
DROP TABLE IF EXISTS "app_settings";
