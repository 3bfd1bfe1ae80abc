CREATE TABLE "shipment_equipment" (
	"equipment_reference" text NOT NULL,
	"shipment_id" text NOT NULL,
	CONSTRAINT "shipment_equipment_equipment_reference_shipment_id_pk" PRIMARY KEY("equipment_reference","shipment_id")
);
--> statement-breakpoint
CREATE TABLE "shipments" (
	"id" text PRIMARY KEY NOT NULL,
	"organisation_id" text NOT NULL,
	"booking_id" text,
	"reference" text,
	"equipment" jsonb NOT NULL,
	"rides" jsonb NOT NULL,
	"service_ids" text[] NOT NULL,
	"countries" text[] NOT NULL,
	"promised_arrival" timestamp with time zone,
	"status" text NOT NULL,
	"progress" jsonb NOT NULL,
	"eta_p50" timestamp with time zone,
	"eta_p90" timestamp with time zone,
	"alerts" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tracking_events" (
	"event_id" text PRIMARY KEY NOT NULL,
	"shipment_id" text NOT NULL,
	"event_type" text NOT NULL,
	"event_classifier_code" text NOT NULL,
	"event_type_code" text NOT NULL,
	"event_date_time" timestamp with time zone NOT NULL,
	"event_created_date_time" timestamp with time zone NOT NULL,
	"un_location_code" text,
	"facility_type_code" text,
	"equipment_reference" text,
	"mode_of_transport" text,
	"posted_by" text,
	"received_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "shipment_equipment" ADD CONSTRAINT "shipment_equipment_shipment_id_shipments_id_fk" FOREIGN KEY ("shipment_id") REFERENCES "public"."shipments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shipments" ADD CONSTRAINT "shipments_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tracking_events" ADD CONSTRAINT "tracking_events_shipment_id_shipments_id_fk" FOREIGN KEY ("shipment_id") REFERENCES "public"."shipments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "shipment_equipment_shipment_idx" ON "shipment_equipment" USING btree ("shipment_id");--> statement-breakpoint
CREATE INDEX "shipments_org_idx" ON "shipments" USING btree ("organisation_id");--> statement-breakpoint
CREATE INDEX "shipments_booking_idx" ON "shipments" USING btree ("booking_id");--> statement-breakpoint
CREATE INDEX "tracking_events_shipment_idx" ON "tracking_events" USING btree ("shipment_id","event_date_time");--> statement-breakpoint
CREATE INDEX "tracking_events_created_idx" ON "tracking_events" USING btree ("event_created_date_time","event_id");--> statement-breakpoint
CREATE INDEX "tracking_events_equipment_idx" ON "tracking_events" USING btree ("equipment_reference");