ALTER TABLE "chats" ADD COLUMN "top_p" real;--> statement-breakpoint
ALTER TABLE "chats" ADD COLUMN "stop_sequences" jsonb;--> statement-breakpoint
ALTER TABLE "chats" ADD COLUMN "seed" integer;--> statement-breakpoint
ALTER TABLE "chats" ADD COLUMN "active_leaf_id" uuid;--> statement-breakpoint
-- Before branches, a user message had no parent: it followed the answer written just before it.
UPDATE "messages" AS u SET "parent_id" = (
	SELECT a."id" FROM "messages" AS a
	WHERE a."chat_id" = u."chat_id" AND a."role" = 'assistant' AND a."created_at" < u."created_at"
	ORDER BY a."created_at" DESC, a."id" DESC
	LIMIT 1
) WHERE u."role" = 'user' AND u."parent_id" IS NULL;
