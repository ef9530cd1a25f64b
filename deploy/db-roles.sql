-- The database roles of CrisisOps (issue 6): history is append-only for the services.
--
--   crisisops_migrator  owns the services' schemas: creates and changes them (Marten's migrations), nothing else runs as it.
--   crisisops_app       what the services run as: appends and reads events, reads and writes documents; it can
--                       neither update nor delete a stored event, nor change the schema, nor drop a table.
--   crisisops_auditor   reads every table of every service schema, changes nothing (the auditor).
--   crisisops_<service> one role per service (declaration, measures, reception, humanitarian, leverages, situation),
--                       created when its password is given (-v declaration_password=... and so on): what that service
--                       runs as. Its migration grants it its own schema only, with history insert-only as for
--                       crisisops_app; it has no access at all to another service's schema. crisisops_app remains for
--                       deployments (and tests) that run every service as one role.
--
-- Applied by deploy/infra.sh as a superuser, on the crisisops database; idempotent:
--   psql -v ON_ERROR_STOP=1 -v migrator_password=... -v app_password=... -v auditor_password=... -d crisisops -f deploy/db-roles.sql
-- A service started with ConnectionStrings:postgres_migrator migrates its schema as the migrator, then calls
-- crisisops_secure_event_store(schema, application role) to grant the application role what Marten needs.

select format('create role crisisops_migrator login password %L', :'migrator_password')
where not exists (select 1 from pg_roles where rolname = 'crisisops_migrator') \gexec
select format('create role crisisops_app login password %L', :'app_password')
where not exists (select 1 from pg_roles where rolname = 'crisisops_app') \gexec
select format('create role crisisops_auditor login password %L', :'auditor_password')
where not exists (select 1 from pg_roles where rolname = 'crisisops_auditor') \gexec

-- The per-service roles: only those whose password variable is set (psql's :{?name}), so that a deployment running
-- every service as crisisops_app needs no new variables.
\if :{?declaration_password}
select format('create role crisisops_declaration login password %L', :'declaration_password')
where not exists (select 1 from pg_roles where rolname = 'crisisops_declaration') \gexec
select format('grant connect on database %I to crisisops_declaration', current_database()) \gexec
\endif
\if :{?measures_password}
select format('create role crisisops_measures login password %L', :'measures_password')
where not exists (select 1 from pg_roles where rolname = 'crisisops_measures') \gexec
select format('grant connect on database %I to crisisops_measures', current_database()) \gexec
\endif
\if :{?reception_password}
select format('create role crisisops_reception login password %L', :'reception_password')
where not exists (select 1 from pg_roles where rolname = 'crisisops_reception') \gexec
select format('grant connect on database %I to crisisops_reception', current_database()) \gexec
\endif
\if :{?humanitarian_password}
select format('create role crisisops_humanitarian login password %L', :'humanitarian_password')
where not exists (select 1 from pg_roles where rolname = 'crisisops_humanitarian') \gexec
select format('grant connect on database %I to crisisops_humanitarian', current_database()) \gexec
\endif
\if :{?leverages_password}
select format('create role crisisops_leverages login password %L', :'leverages_password')
where not exists (select 1 from pg_roles where rolname = 'crisisops_leverages') \gexec
select format('grant connect on database %I to crisisops_leverages', current_database()) \gexec
\endif
\if :{?situation_password}
select format('create role crisisops_situation login password %L', :'situation_password')
where not exists (select 1 from pg_roles where rolname = 'crisisops_situation') \gexec
select format('grant connect on database %I to crisisops_situation', current_database()) \gexec
\endif

select format('grant connect, create on database %I to crisisops_migrator', current_database()) \gexec
select format('grant connect on database %I to crisisops_app, crisisops_auditor', current_database()) \gexec

-- Called by the migrator (the owner of the schema's objects) after every migration, so that tables a migration
-- added are covered too. SECURITY INVOKER: it can grant only what its caller owns.
create or replace function public.crisisops_secure_event_store(store_schema text, app_role text) returns void
language plpgsql as $$
begin
  execute format('grant usage on schema %I to %I', store_schema, app_role);
  -- Documents (read views, deadlines, processed commands), the daemon's progression and high-water tables, HiLo.
  execute format('grant select, insert, update, delete on all tables in schema %I to %I', store_schema, app_role);
  execute format('grant usage, select, update on all sequences in schema %I to %I', store_schema, app_role);
  execute format('grant execute on all functions in schema %I to %I', store_schema, app_role);

  -- History is append-only. Revoking a table privilege also revokes its column privileges, so the one column
  -- grant Marten's Rich append needs (the stream's version) comes after.
  execute format('revoke update, delete, truncate on %I.mt_events from %I', store_schema, app_role);
  execute format('revoke update, delete, truncate on %I.mt_streams from %I', store_schema, app_role);
  execute format('grant update (version, timestamp) on %I.mt_streams to %I', store_schema, app_role);
  -- The log chain (issue 6) and the Merkle log (issue 11): inserted once by the async daemon, never changed.
  if to_regclass(format('%I.mt_doc_logchainlink', store_schema)) is not null then
    execute format('revoke update, delete, truncate on %I.mt_doc_logchainlink from %I', store_schema, app_role);
  end if;
  if to_regclass(format('%I.mt_doc_merkleleaf', store_schema)) is not null then
    execute format('revoke update, delete, truncate on %I.mt_doc_merkleleaf from %I', store_schema, app_role);
  end if;
  if to_regclass(format('%I.mt_doc_merklenode', store_schema)) is not null then
    execute format('revoke update, delete, truncate on %I.mt_doc_merklenode from %I', store_schema, app_role);
  end if;

  if exists (select 1 from pg_roles where rolname = 'crisisops_auditor') then
    execute format('grant usage on schema %I to crisisops_auditor', store_schema);
    execute format('grant select on all tables in schema %I to crisisops_auditor', store_schema);
  end if;
end
$$;
revoke all on function public.crisisops_secure_event_store(text, text) from public;
grant execute on function public.crisisops_secure_event_store(text, text) to crisisops_migrator;
