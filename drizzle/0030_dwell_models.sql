CREATE TABLE "dwell_model_freezes" (
	"node_id" text NOT NULL,
	"operation" text NOT NULL,
	"p50_hours" double precision NOT NULL,
	"p90_hours" double precision NOT NULL,
	"version" integer,
	"frozen_by" text NOT NULL,
	"frozen_at" timestamp with time zone NOT NULL,
	CONSTRAINT "dwell_model_freezes_node_id_operation_pk" PRIMARY KEY("node_id","operation")
);
--> statement-breakpoint
CREATE TABLE "dwell_model_versions" (
	"version" integer PRIMARY KEY NOT NULL,
	"fitted_at" timestamp with time zone NOT NULL,
	"samples" integer NOT NULL,
	"shipments" integer NOT NULL,
	"period_from" timestamp with time zone,
	"period_to" timestamp with time zone,
	"models" jsonb NOT NULL
);
