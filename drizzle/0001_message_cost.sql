ALTER TABLE "messages" ADD COLUMN "cost_usd" numeric(14, 8);--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "usage_estimated" boolean DEFAULT false NOT NULL;