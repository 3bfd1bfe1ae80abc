ALTER TABLE "bookings" ADD COLUMN "amendment" jsonb;--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "cancellation" jsonb;