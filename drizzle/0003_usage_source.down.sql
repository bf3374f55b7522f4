-- Reverts 0003_usage_source: every usage row forgets which door (app, OpenAI or Anthropic API) it came through.
ALTER TABLE "provider_usage" DROP COLUMN IF EXISTS "source";
