-- Reverts 0004_attachments: every attachment and its bytes are dropped (messages keep their text).
DROP TABLE IF EXISTS "attachments";
--> statement-breakpoint
DROP TABLE IF EXISTS "attachment_blobs";
