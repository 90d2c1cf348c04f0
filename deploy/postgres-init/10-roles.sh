#!/bin/sh
# Run once by the postgres image when its data volume is first created (docker-compose.yml).
# Two roles, neither a superuser: smpolicy_owner owns the database and runs migrations;
# smpolicy_app is what web, workers and the scheduler connect as. `manage.py grant_app_role
# smpolicy_app` (run after every migrate) grants the app role its privileges: it owns nothing, so
# it cannot ALTER, TRUNCATE or switch off the audit log's triggers.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v owner_password="$SMPOLICY_OWNER_PASSWORD" -v app_password="$SMPOLICY_APP_PASSWORD" <<'SQL'
CREATE ROLE smpolicy_owner LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD :'owner_password';
CREATE ROLE smpolicy_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD :'app_password';
ALTER DATABASE smpolicy OWNER TO smpolicy_owner;
ALTER SCHEMA public OWNER TO smpolicy_owner;
REVOKE ALL ON DATABASE smpolicy FROM PUBLIC;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
SQL
