-- First start of the compose PostgreSQL (docker-entrypoint-initdb.d): the runtime login role.
-- The image's superuser (postgres) owns the schema and runs the migrations
-- (DATABASE_MIGRATION_URL); the API and the worker connect as vitrine_runtime, which owns
-- nothing and has no BYPASSRLS, so row-level security applies (docs/isolation.md). The
-- migrations grant it its privileges after every run.
CREATE ROLE vitrine_runtime LOGIN PASSWORD 'vitrine-runtime' NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
