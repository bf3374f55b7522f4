CREATE TABLE "model_aliases" (
	"name" text PRIMARY KEY NOT NULL,
	"provider_id" text NOT NULL,
	"model_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "provider_configs" ADD COLUMN "extra_headers_encrypted" text;--> statement-breakpoint
ALTER TABLE "provider_configs" ADD COLUMN "deleted_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "model_aliases" ADD CONSTRAINT "model_aliases_provider_id_provider_configs_id_fk" FOREIGN KEY ("provider_id") REFERENCES "public"."provider_configs"("id") ON DELETE cascade ON UPDATE no action;