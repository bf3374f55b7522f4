ALTER TABLE "provider_configs" ADD COLUMN "extra_headers_encrypted" text;--> statement-breakpoint
ALTER TABLE "provider_configs" ADD COLUMN "deleted_at" timestamp with time zone;