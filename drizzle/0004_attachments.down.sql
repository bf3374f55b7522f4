-- Reverts 0004_attachments: every attachment and its bytes are dropped; seeded models forget "vision".
DROP TABLE IF EXISTS "attachments";
--> statement-breakpoint
DROP TABLE IF EXISTS "attachment_blobs";
--> statement-breakpoint
UPDATE "provider_models" SET "capabilities" = "capabilities" - 'vision' WHERE "source" = 'seed';
