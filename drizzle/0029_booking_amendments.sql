ALTER TABLE "bookings" ADD COLUMN "amendment" jsonb;--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "cancellation" jsonb;--> statement-breakpoint
ALTER TABLE "dcsa_booking_requests" ADD COLUMN "amended_request" jsonb;