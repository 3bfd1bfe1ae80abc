CREATE TABLE "simulations" (
	"id" text PRIMARY KEY NOT NULL,
	"organisation_id" text NOT NULL,
	"scenario" jsonb NOT NULL,
	"days" integer NOT NULL,
	"seed" integer NOT NULL,
	"runs" integer NOT NULL,
	"state" text NOT NULL,
	"progress" double precision NOT NULL,
	"result" jsonb,
	"error" text,
	"created_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "simulations" ADD CONSTRAINT "simulations_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "simulations_org_idx" ON "simulations" USING btree ("organisation_id","created_at");