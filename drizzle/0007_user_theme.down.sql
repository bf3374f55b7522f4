-- Reverts 0007_user_theme: every account goes back to following the device's light or dark setting.
ALTER TABLE "users" DROP COLUMN IF EXISTS "theme";
