ALTER TABLE "shipments" ADD COLUMN "stale_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "shipments" ADD COLUMN "refreshing_until" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "shipments_stale_idx" ON "shipments" USING btree ("stale_at");