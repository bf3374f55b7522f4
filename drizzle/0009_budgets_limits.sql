CREATE TABLE "app_settings" (
	"id" text PRIMARY KEY NOT NULL,
	"member_monthly_budget_usd" numeric(14, 8),
	"allow_unpriced_for_budgeted" boolean DEFAULT false NOT NULL,
	"member_max_concurrent" integer,
	"member_requests_per_minute" integer,
	"admin_max_concurrent" integer,
	"admin_requests_per_minute" integer,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "api_tokens" ADD COLUMN "monthly_budget_usd" numeric(14, 8);--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "monthly_budget_usd" numeric(14, 8);--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "max_concurrent" integer;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "requests_per_minute" integer;--> statement-breakpoint
ALTER TABLE "provider_usage" ADD COLUMN "api_token_id" uuid;--> statement-breakpoint
ALTER TABLE "provider_usage" ADD CONSTRAINT "provider_usage_api_token_id_api_tokens_id_fk" FOREIGN KEY ("api_token_id") REFERENCES "public"."api_tokens"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "provider_usage_token_created_idx" ON "provider_usage" USING btree ("api_token_id","created_at");