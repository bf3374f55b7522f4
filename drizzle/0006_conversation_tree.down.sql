-- Reverts 0006_conversation_tree: chats forget which branch was on screen and their top_p, stop sequences and
-- seed. User messages keep their parent (the older code never reads it and reads a conversation in time
-- order, so branches made by edits then show one after another).
ALTER TABLE "chats" DROP COLUMN IF EXISTS "active_leaf_id";
--> statement-breakpoint
ALTER TABLE "chats" DROP COLUMN IF EXISTS "seed";
--> statement-breakpoint
ALTER TABLE "chats" DROP COLUMN IF EXISTS "stop_sequences";
--> statement-breakpoint
ALTER TABLE "chats" DROP COLUMN IF EXISTS "top_p";
