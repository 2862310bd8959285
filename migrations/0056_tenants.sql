-- The provinces an installation serves, one tenant each (docs/CONVENTIONS.md item 12), and the host names each
-- answers on. With no row here the installation serves one province as tenant 1, and with one row that row's
-- province, whatever the host: a single-province install has nothing to set. With several, a request's host names
-- its province (src/platform/tenancy/tenants.ts). The host's column is `tenant`, not `tenant_id`: that name marks
-- the tables distributed by it.
CREATE TABLE tenants (
  id            smallint PRIMARY KEY CHECK (id BETWEEN 1 AND 32767),
  province_code text NOT NULL UNIQUE CHECK (province_code ~ '^[0-9]{2}$'),   -- the GSO code of the province
  name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE tenant_hosts (
  host      text PRIMARY KEY CHECK (host = lower(host) AND host ~ '^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$'),
  tenant    smallint NOT NULL REFERENCES tenants (id)
);
CREATE INDEX tenant_hosts_tenant ON tenant_hosts (tenant);

-- National, small and read by every node: reference tables on Citus (as in 0055).
DO $$
DECLARE
  reference_tables text[] := ARRAY['tenants', 'tenant_hosts'];
  t text;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus') THEN
    RETURN;
  END IF;
  FOREACH t IN ARRAY reference_tables LOOP
    PERFORM create_reference_table(t);
  END LOOP;
END $$;
