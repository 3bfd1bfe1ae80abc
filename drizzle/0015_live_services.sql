CREATE TABLE "service_versions" (
	"service_id" text NOT NULL,
	"version" integer NOT NULL,
	"seq" bigserial NOT NULL,
	"organisation_id" text NOT NULL,
	"published_by" text NOT NULL,
	"effective_from" text NOT NULL,
	"record" jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "service_versions_service_id_version_pk" PRIMARY KEY("service_id","version")
);
--> statement-breakpoint
ALTER TABLE "booking_rides" ADD COLUMN "service_version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "service_versions" ADD CONSTRAINT "service_versions_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "service_versions_seq_idx" ON "service_versions" USING btree ("seq");