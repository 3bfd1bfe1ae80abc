DROP INDEX "users_email_idx";--> statement-breakpoint
CREATE UNIQUE INDEX "users_org_email_idx" ON "users" USING btree ("organisation_id",lower("email"));