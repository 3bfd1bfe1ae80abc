ALTER TABLE "tracking_events" ADD COLUMN "document" jsonb;--> statement-breakpoint
ALTER TABLE "tracking_events" ADD COLUMN "retracted_event_id" text;--> statement-breakpoint
CREATE INDEX "tracking_events_retracted_idx" ON "tracking_events" USING btree ("retracted_event_id");