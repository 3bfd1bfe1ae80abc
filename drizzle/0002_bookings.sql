CREATE TABLE "booking_rides" (
	"booking_id" text NOT NULL,
	"ride_index" integer NOT NULL,
	"trip_id" text NOT NULL,
	"service_id" text NOT NULL,
	"from_node_id" text NOT NULL,
	"to_node_id" text NOT NULL,
	"state" text NOT NULL,
	"decided_by" text,
	"decided_at" timestamp with time zone,
	CONSTRAINT "booking_rides_booking_id_ride_index_pk" PRIMARY KEY("booking_id","ride_index")
);
--> statement-breakpoint
CREATE TABLE "bookings" (
	"id" text PRIMARY KEY NOT NULL,
	"organisation_id" text NOT NULL,
	"created_by" text NOT NULL,
	"state" text NOT NULL,
	"containers" jsonb NOT NULL,
	"teu" numeric NOT NULL,
	"hazardous" boolean NOT NULL,
	"hold_id" text NOT NULL,
	"hold_expires_at" timestamp with time zone NOT NULL,
	"reason" text,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "idempotency_keys" (
	"scope" text NOT NULL,
	"key" text NOT NULL,
	"request_hash" text NOT NULL,
	"status_code" integer NOT NULL,
	"body" jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "idempotency_keys_scope_key_pk" PRIMARY KEY("scope","key")
);
--> statement-breakpoint
ALTER TABLE "booking_rides" ADD CONSTRAINT "booking_rides_booking_id_bookings_id_fk" FOREIGN KEY ("booking_id") REFERENCES "public"."bookings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "booking_rides_service_idx" ON "booking_rides" USING btree ("service_id","state");--> statement-breakpoint
CREATE INDEX "bookings_org_idx" ON "bookings" USING btree ("organisation_id");--> statement-breakpoint
CREATE INDEX "bookings_expiry_idx" ON "bookings" USING btree ("state","hold_expires_at");