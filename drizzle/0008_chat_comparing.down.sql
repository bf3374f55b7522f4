-- Reverts 0008_chat_comparing: a comparison not yet resolved shows as sibling answers after a reload again.
ALTER TABLE "chats" DROP COLUMN IF EXISTS "comparing";
