-- Reverts 0010_token_scopes: tokens lose expiry, scopes and model allow-lists and act for their owner in full again.
ALTER TABLE "api_tokens" DROP COLUMN IF EXISTS "allowed_models";--> statement-breakpoint
ALTER TABLE "api_tokens" DROP COLUMN IF EXISTS "scopes";--> statement-breakpoint
ALTER TABLE "api_tokens" DROP COLUMN IF EXISTS "expires_at";
