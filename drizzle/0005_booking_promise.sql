DROP TABLE "idempotency_keys" CASCADE;--> statement-breakpoint
ALTER TABLE "booking_rides" ADD COLUMN "completed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "promise" jsonb;