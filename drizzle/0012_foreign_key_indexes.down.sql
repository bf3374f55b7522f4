-- Reverts 0012_foreign_key_indexes. No data is lost; deleting a chat or a message scans the messages and usage tables again.
DROP INDEX IF EXISTS "provider_usage_message_idx";--> statement-breakpoint
DROP INDEX IF EXISTS "messages_parent_idx";
