-- The web process caches the anonymous public page of each community (its profile, plan,
-- instance state and funding figures). Whatever changes them, in whichever process (web
-- actions, the worker's Stripe events and funding clock, the metrics collector, psql), tells
-- it through this channel: the community's id, or '*' for everything (plans, host settings).
-- Statement-level triggers with transition tables: one notification per community per
-- statement, however many rows it wrote; PostgreSQL delivers them at commit and folds repeats.

CREATE FUNCTION "hearth_public_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_ARGV[0] = '*' THEN
    PERFORM pg_notify('hearth_public_pages', '*');
  ELSE
    EXECUTE format('SELECT pg_notify(''hearth_public_pages'', id) FROM (SELECT DISTINCT %I AS id FROM changed) AS ids', TG_ARGV[0]);
  END IF;
  RETURN NULL;
END $$;

-- A tenant's load state changes rarely, but its row is rewritten on every sweep: per row, only on a change.
CREATE FUNCTION "hearth_public_load_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('hearth_public_pages', NEW."communityId");
  RETURN NULL;
END $$;

CREATE TRIGGER "Contribution_public_insert" AFTER INSERT ON "Contribution" REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION "hearth_public_changed"('communityId');
CREATE TRIGGER "Contribution_public_update" AFTER UPDATE ON "Contribution" REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION "hearth_public_changed"('communityId');
CREATE TRIGGER "Contribution_public_delete" AFTER DELETE ON "Contribution" REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION "hearth_public_changed"('communityId');
CREATE TRIGGER "LedgerEntry_public_insert" AFTER INSERT ON "LedgerEntry" REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION "hearth_public_changed"('communityId');
CREATE TRIGGER "LedgerEntry_public_delete" AFTER DELETE ON "LedgerEntry" REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION "hearth_public_changed"('communityId');
CREATE TRIGGER "CommunityFunding_public_insert" AFTER INSERT ON "CommunityFunding" REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION "hearth_public_changed"('communityId');
CREATE TRIGGER "CommunityFunding_public_update" AFTER UPDATE ON "CommunityFunding" REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION "hearth_public_changed"('communityId');
CREATE TRIGGER "Community_public_update" AFTER UPDATE ON "Community" REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION "hearth_public_changed"('id');
CREATE TRIGGER "Community_public_delete" AFTER DELETE ON "Community" REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION "hearth_public_changed"('id');
CREATE TRIGGER "Plan_public_update" AFTER UPDATE ON "Plan" FOR EACH STATEMENT EXECUTE FUNCTION "hearth_public_changed"('*');
CREATE TRIGGER "Setting_public_change" AFTER INSERT OR UPDATE OR DELETE ON "Setting" FOR EACH STATEMENT EXECUTE FUNCTION "hearth_public_changed"('*');
CREATE TRIGGER "TenantLoad_public_insert" AFTER INSERT ON "TenantLoad" FOR EACH ROW EXECUTE FUNCTION "hearth_public_load_changed"();
CREATE TRIGGER "TenantLoad_public_update" AFTER UPDATE OF "state" ON "TenantLoad" FOR EACH ROW WHEN (OLD."state" IS DISTINCT FROM NEW."state") EXECUTE FUNCTION "hearth_public_load_changed"();
