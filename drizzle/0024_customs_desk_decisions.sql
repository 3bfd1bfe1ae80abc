ALTER TABLE "customs_segments" ADD COLUMN "documents_checked_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "customs_segments" ADD COLUMN "last_decision" jsonb;--> statement-breakpoint
CREATE INDEX "customs_audit_country_at_idx" ON "customs_audit" USING btree ("country","at");