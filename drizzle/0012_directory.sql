CREATE TABLE "notifications" (
	"id" text PRIMARY KEY NOT NULL,
	"organisation_id" text NOT NULL,
	"kind" text NOT NULL,
	"request_id" text,
	"text" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"read_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "organisation_profiles" (
	"organisation_id" text PRIMARY KEY NOT NULL,
	"services" text[] NOT NULL,
	"countries" text[] NOT NULL,
	"nodes" text[] NOT NULL,
	"languages" text[] NOT NULL,
	"exports_hs" text[] NOT NULL,
	"imports_hs" text[] NOT NULL,
	"descriptions" jsonb NOT NULL,
	"contact" jsonb NOT NULL,
	"verified" boolean DEFAULT false NOT NULL,
	"search" "tsvector" NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "service_request_messages" (
	"id" text PRIMARY KEY NOT NULL,
	"request_id" text NOT NULL,
	"organisation_id" text NOT NULL,
	"author_id" text NOT NULL,
	"text" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "service_requests" (
	"id" text PRIMARY KEY NOT NULL,
	"requester_id" text NOT NULL,
	"provider_id" text NOT NULL,
	"service" text NOT NULL,
	"node_id" text,
	"description" text NOT NULL,
	"wanted_from" text,
	"state" text NOT NULL,
	"offer" jsonb,
	"history" jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "trade_listings" (
	"id" text PRIMARY KEY NOT NULL,
	"organisation_id" text NOT NULL,
	"kind" text NOT NULL,
	"hs_code" text NOT NULL,
	"description" text NOT NULL,
	"country" text NOT NULL,
	"node_id" text NOT NULL,
	"tonnes_per_month" double precision NOT NULL,
	"partner_countries" text[] NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organisation_profiles" ADD CONSTRAINT "organisation_profiles_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_request_messages" ADD CONSTRAINT "service_request_messages_request_id_service_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."service_requests"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_requests" ADD CONSTRAINT "service_requests_requester_id_organisations_id_fk" FOREIGN KEY ("requester_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_requests" ADD CONSTRAINT "service_requests_provider_id_organisations_id_fk" FOREIGN KEY ("provider_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trade_listings" ADD CONSTRAINT "trade_listings_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "notifications_org_idx" ON "notifications" USING btree ("organisation_id","created_at");--> statement-breakpoint
CREATE INDEX "organisation_profiles_search_idx" ON "organisation_profiles" USING gin ("search");--> statement-breakpoint
CREATE INDEX "service_request_messages_request_idx" ON "service_request_messages" USING btree ("request_id","created_at");--> statement-breakpoint
CREATE INDEX "service_requests_requester_idx" ON "service_requests" USING btree ("requester_id","updated_at");--> statement-breakpoint
CREATE INDEX "service_requests_provider_idx" ON "service_requests" USING btree ("provider_id","updated_at");--> statement-breakpoint
CREATE INDEX "trade_listings_heading_idx" ON "trade_listings" USING btree ("kind",left("hs_code", 4));--> statement-breakpoint
CREATE INDEX "trade_listings_org_idx" ON "trade_listings" USING btree ("organisation_id");