CREATE TABLE "dcsa_booking_requests" (
	"booking_id" text PRIMARY KEY NOT NULL,
	"request" jsonb NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "dcsa_booking_requests" ADD CONSTRAINT "dcsa_booking_requests_booking_id_bookings_id_fk" FOREIGN KEY ("booking_id") REFERENCES "public"."bookings"("id") ON DELETE cascade ON UPDATE no action;