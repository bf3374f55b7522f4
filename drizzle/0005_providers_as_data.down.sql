-- Reverts 0005_providers_as_data: aliases go, providers forget their extra headers, and deleted providers come back (disabled).
DROP TABLE IF EXISTS "model_aliases";
--> statement-breakpoint
ALTER TABLE "provider_configs" DROP COLUMN IF EXISTS "deleted_at";
--> statement-breakpoint
ALTER TABLE "provider_configs" DROP COLUMN IF EXISTS "extra_headers_encrypted";
