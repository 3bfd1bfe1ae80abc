CREATE TABLE "party_certificates" (
	"fingerprint" text PRIMARY KEY NOT NULL,
	"party" text NOT NULL,
	"common_name" text NOT NULL,
	"organization" text,
	"issuer" text NOT NULL,
	"source" text NOT NULL,
	"not_before" timestamp with time zone NOT NULL,
	"not_after" timestamp with time zone NOT NULL,
	"chain_pem" text NOT NULL,
	"private_key" text,
	"public_key_sha256" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"retired_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "documents" ADD COLUMN "signer" jsonb;--> statement-breakpoint
CREATE INDEX "party_certificates_party_idx" ON "party_certificates" USING btree ("party","created_at");--> statement-breakpoint
CREATE INDEX "party_certificates_key_idx" ON "party_certificates" USING btree ("public_key_sha256");