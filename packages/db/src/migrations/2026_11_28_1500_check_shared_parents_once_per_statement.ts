import { sql, type Kysely } from 'kysely';

// A foreign key is checked row by row: each of a batch's 500 events looked up and locked the same
// organization, each of its 500 deliveries the same endpoint, about 2.7 ms of every 34 ms batch
// statement apiece. These two references fan in (many rows, few parents), so they are checked
// per statement instead: the same guarantees, with one lock per distinct parent.
//
// - insert: lock every parent the new rows name FOR KEY SHARE (what the foreign key's check
//   takes, so a concurrent delete waits for us or makes us fail), then refuse the statement with
//   foreign_key_violation (23503) when any row names a parent that does not exist;
// - a child's reference never changes (a row trigger that fires only when the column is set);
// - delete of a parent: its children go in the same statement (ON DELETE CASCADE as before).
//
// deliveries.event_id keeps its real foreign key: every delivery has an event of its own, so a
// per-statement check would lock as many rows as the per-row one.
const SHARED_PARENTS = [
  {
    child: 'events',
    column: 'organization_id',
    parent: 'organizations',
    constraint: 'events_organization_id_fkey',
  },
  {
    child: 'deliveries',
    column: 'endpoint_id',
    parent: 'endpoints',
    constraint: 'deliveries_endpoint_id_fkey',
  },
] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE FUNCTION refuse_reference_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE foreign_key_violation USING
        MESSAGE = format('%I.%I cannot change once written', TG_TABLE_NAME, TG_ARGV[0]),
        TABLE = TG_TABLE_NAME;
    END $$`.execute(db);

  for (const { child, column, parent, constraint } of SHARED_PARENTS) {
    const check = sql.id(`check_${child}_${column}`);
    const cascade = sql.id(`delete_${child}_of_${parent}`);
    await sql`ALTER TABLE ${sql.table(child)} DROP CONSTRAINT ${sql.id(constraint)}`.execute(db);

    await sql`
      CREATE FUNCTION ${check}() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM 1 FROM ${sql.table(parent)}
        WHERE id IN (SELECT ${sql.ref(column)} FROM new_rows)
        FOR KEY SHARE;
        IF EXISTS (
          SELECT 1 FROM new_rows n
          WHERE NOT EXISTS (SELECT 1 FROM ${sql.table(parent)} p WHERE p.id = n.${sql.ref(column)})
        ) THEN
          RAISE foreign_key_violation USING
            MESSAGE = ${sql.lit(`insert on table "${child}" names a ${parent} row that does not exist`)},
            TABLE = ${sql.lit(child)},
            CONSTRAINT = ${sql.lit(constraint)};
        END IF;
        RETURN NULL;
      END $$`.execute(db);
    await sql`
      CREATE TRIGGER ${sql.id(`${child}_${column}_exists`)}
      AFTER INSERT ON ${sql.table(child)}
      REFERENCING NEW TABLE AS new_rows
      FOR EACH STATEMENT EXECUTE FUNCTION ${check}()`.execute(db);
    await sql`
      CREATE TRIGGER ${sql.id(`${child}_${column}_fixed`)}
      BEFORE UPDATE OF ${sql.ref(column)} ON ${sql.table(child)}
      FOR EACH ROW WHEN (OLD.${sql.ref(column)} IS DISTINCT FROM NEW.${sql.ref(column)})
      EXECUTE FUNCTION refuse_reference_change(${sql.lit(column)})`.execute(db);

    await sql`
      CREATE FUNCTION ${cascade}() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        DELETE FROM ${sql.table(child)} WHERE ${sql.ref(column)} IN (SELECT id FROM old_rows);
        RETURN NULL;
      END $$`.execute(db);
    await sql`
      CREATE TRIGGER ${sql.id(`${parent}_delete_${child}`)}
      AFTER DELETE ON ${sql.table(parent)}
      REFERENCING OLD TABLE AS old_rows
      FOR EACH STATEMENT EXECUTE FUNCTION ${cascade}()`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const { child, column, parent, constraint } of SHARED_PARENTS) {
    await sql`DROP TRIGGER ${sql.id(`${parent}_delete_${child}`)} ON ${sql.table(parent)}`.execute(db);
    await sql`DROP TRIGGER ${sql.id(`${child}_${column}_fixed`)} ON ${sql.table(child)}`.execute(db);
    await sql`DROP TRIGGER ${sql.id(`${child}_${column}_exists`)} ON ${sql.table(child)}`.execute(db);
    await sql`DROP FUNCTION ${sql.id(`delete_${child}_of_${parent}`)}()`.execute(db);
    await sql`DROP FUNCTION ${sql.id(`check_${child}_${column}`)}()`.execute(db);
    await sql`
      ALTER TABLE ${sql.table(child)} ADD CONSTRAINT ${sql.id(constraint)}
      FOREIGN KEY (${sql.ref(column)}) REFERENCES ${sql.table(parent)} (id) ON DELETE CASCADE`.execute(db);
  }
  await sql`DROP FUNCTION refuse_reference_change()`.execute(db);
}
