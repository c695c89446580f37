#!/bin/sh
# Creates the read-only role Grafana's datasource logs in with (GRAFANA_DB_USER, GRAFANA_DB_PASSWORD).
# Run by the postgres image at first start, after 01-navstream-tables.sql, as POSTGRES_USER in
# POSTGRES_DB. A dashboard's SQL runs with this role's rights: it can read the sink tables and
# nothing else, so a query typed into Grafana cannot change them.
set -eu
: "${GRAFANA_DB_USER:?set GRAFANA_DB_USER}"
: "${GRAFANA_DB_PASSWORD:?set GRAFANA_DB_PASSWORD}"
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v reader="$GRAFANA_DB_USER" -v password="$GRAFANA_DB_PASSWORD" <<'SQL'
CREATE ROLE :"reader" LOGIN PASSWORD :'password';
GRANT CONNECT ON DATABASE :"DBNAME" TO :"reader";
GRANT USAGE ON SCHEMA public TO :"reader";
GRANT SELECT ON ALL TABLES IN SCHEMA public TO :"reader";
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO :"reader";
SQL
