CREATE TABLE "customs_audit" (
	"seq" integer PRIMARY KEY NOT NULL,
	"at" text NOT NULL,
	"actor" text NOT NULL,
	"declaration_id" text NOT NULL,
	"country" text,
	"action" text NOT NULL,
	"detail" jsonb NOT NULL,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "customs_audit_head" (
	"id" integer PRIMARY KEY NOT NULL,
	"seq" integer NOT NULL,
	"hash" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "customs_declarations" (
	"id" text PRIMARY KEY NOT NULL,
	"mrn" text NOT NULL,
	"lrn" text NOT NULL,
	"organisation_id" text NOT NULL,
	"shipment_id" text,
	"holder_id" text NOT NULL,
	"data" jsonb NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"state" text NOT NULL,
	"guarantee_state" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "customs_declarations_mrn_unique" UNIQUE("mrn")
);
--> statement-breakpoint
CREATE TABLE "customs_rule_sets" (
	"scope" text NOT NULL,
	"version" integer NOT NULL,
	"rules" jsonb NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"green" integer DEFAULT 0 NOT NULL,
	"yellow" integer DEFAULT 0 NOT NULL,
	"blue" integer DEFAULT 0 NOT NULL,
	"red" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "customs_rule_sets_scope_version_pk" PRIMARY KEY("scope","version")
);
--> statement-breakpoint
CREATE TABLE "customs_segments" (
	"declaration_id" text NOT NULL,
	"seq" integer NOT NULL,
	"country" text NOT NULL,
	"regime" text NOT NULL,
	"office" text NOT NULL,
	"exit_office" text,
	"entry_node_id" text,
	"state" text NOT NULL,
	"lane" text,
	"aeo" boolean DEFAULT false NOT NULL,
	"decision" jsonb,
	"inspections" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"note" text,
	"shared" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"eta_at" timestamp with time zone,
	"lodged_at" timestamp with time zone NOT NULL,
	"arrived_at" timestamp with time zone,
	"assessed_at" timestamp with time zone,
	"released_at" timestamp with time zone,
	"exited_at" timestamp with time zone,
	"discharged_at" timestamp with time zone,
	CONSTRAINT "customs_segments_declaration_id_seq_pk" PRIMARY KEY("declaration_id","seq")
);
--> statement-breakpoint
ALTER TABLE "customs_declarations" ADD CONSTRAINT "customs_declarations_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customs_declarations" ADD CONSTRAINT "customs_declarations_shipment_id_shipments_id_fk" FOREIGN KEY ("shipment_id") REFERENCES "public"."shipments"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customs_segments" ADD CONSTRAINT "customs_segments_declaration_id_customs_declarations_id_fk" FOREIGN KEY ("declaration_id") REFERENCES "public"."customs_declarations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "customs_audit_declaration_idx" ON "customs_audit" USING btree ("declaration_id","seq");--> statement-breakpoint
CREATE UNIQUE INDEX "customs_declarations_lrn_idx" ON "customs_declarations" USING btree ("organisation_id","lrn");--> statement-breakpoint
CREATE INDEX "customs_declarations_shipment_idx" ON "customs_declarations" USING btree ("shipment_id");--> statement-breakpoint
CREATE INDEX "customs_declarations_holder_idx" ON "customs_declarations" USING btree ("holder_id");--> statement-breakpoint
CREATE INDEX "customs_segments_office_idx" ON "customs_segments" USING btree ("office","state");--> statement-breakpoint
CREATE INDEX "customs_segments_country_idx" ON "customs_segments" USING btree ("country","state");