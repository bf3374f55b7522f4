-- Reverts 0001_message_cost. Per-message cost is lost; provider_usage.cost_usd still holds it.
ALTER TABLE "messages" DROP COLUMN "usage_estimated";--> statement-breakpoint
ALTER TABLE "messages" DROP COLUMN "cost_usd";
