CREATE TABLE "departure_legs" (
	"trip_id" text NOT NULL,
	"leg_index" integer NOT NULL,
	"service_id" text NOT NULL,
	"from_node_id" text NOT NULL,
	"to_node_id" text NOT NULL,
	"departs_at" timestamp with time zone NOT NULL,
	"capacity_teu" numeric NOT NULL,
	"held_teu" numeric DEFAULT 0 NOT NULL,
	"confirmed_teu" numeric DEFAULT 0 NOT NULL,
	"closed" boolean DEFAULT false NOT NULL,
	CONSTRAINT "departure_legs_trip_id_leg_index_pk" PRIMARY KEY("trip_id","leg_index"),
	CONSTRAINT "departure_legs_within_capacity" CHECK ("departure_legs"."held_teu" >= 0 and "departure_legs"."confirmed_teu" >= 0 and "departure_legs"."held_teu" + "departure_legs"."confirmed_teu" <= "departure_legs"."capacity_teu")
);
--> statement-breakpoint
CREATE TABLE "leg_holds" (
	"hold_id" text NOT NULL,
	"trip_id" text NOT NULL,
	"leg_index" integer NOT NULL,
	"teu" numeric NOT NULL,
	"state" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "leg_holds_hold_id_trip_id_leg_index_pk" PRIMARY KEY("hold_id","trip_id","leg_index")
);
--> statement-breakpoint
CREATE INDEX "departure_legs_service_idx" ON "departure_legs" USING btree ("service_id","departs_at");--> statement-breakpoint
CREATE INDEX "leg_holds_expiry_idx" ON "leg_holds" USING btree ("state","expires_at");