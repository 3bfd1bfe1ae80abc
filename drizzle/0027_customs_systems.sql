CREATE TABLE "customs_inbound_messages" (
	"system" text NOT NULL,
	"country" text NOT NULL,
	"message_id" text NOT NULL,
	"message_type" text NOT NULL,
	"declaration_id" text,
	"received_at" timestamp with time zone NOT NULL,
	"body_sha256" text NOT NULL,
	"result" jsonb NOT NULL,
	CONSTRAINT "customs_inbound_messages_system_country_message_id_pk" PRIMARY KEY("system","country","message_id")
);
--> statement-breakpoint
CREATE TABLE "customs_outbox" (
	"id" text PRIMARY KEY NOT NULL,
	"system" text NOT NULL,
	"country" text NOT NULL,
	"office" text NOT NULL,
	"declaration_id" text NOT NULL,
	"segment_seq" integer NOT NULL,
	"message_type" text NOT NULL,
	"body" text NOT NULL,
	"endpoint_url" text,
	"state" text NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone NOT NULL,
	"last_status" integer,
	"last_error" text,
	"created_at" timestamp with time zone NOT NULL,
	"delivered_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "customs_system_links" (
	"declaration_id" text NOT NULL,
	"segment_seq" integer NOT NULL,
	"system" text NOT NULL,
	"country" text NOT NULL,
	"lrn" text NOT NULL,
	"office" text NOT NULL,
	"mrn" text,
	CONSTRAINT "customs_system_links_declaration_id_segment_seq_pk" PRIMARY KEY("declaration_id","segment_seq")
);
--> statement-breakpoint
CREATE TABLE "customs_system_routes" (
	"scope" text PRIMARY KEY NOT NULL,
	"system" text NOT NULL,
	"recipient" text NOT NULL,
	"sender" text NOT NULL,
	"endpoint_url" text,
	"updated_at" timestamp with time zone NOT NULL,
	"updated_by" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "customs_outbox" ADD CONSTRAINT "customs_outbox_declaration_id_customs_declarations_id_fk" FOREIGN KEY ("declaration_id") REFERENCES "public"."customs_declarations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customs_system_links" ADD CONSTRAINT "customs_system_links_declaration_id_customs_declarations_id_fk" FOREIGN KEY ("declaration_id") REFERENCES "public"."customs_declarations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "customs_outbox_due_idx" ON "customs_outbox" USING btree ("state","next_attempt_at");--> statement-breakpoint
CREATE INDEX "customs_outbox_country_idx" ON "customs_outbox" USING btree ("country","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "customs_system_links_mrn_idx" ON "customs_system_links" USING btree ("system","mrn");--> statement-breakpoint
CREATE INDEX "customs_system_links_lrn_idx" ON "customs_system_links" USING btree ("system","lrn","office");