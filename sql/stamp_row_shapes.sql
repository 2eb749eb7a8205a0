-- The trigger forms the returned row itself (src/extension/row_builder.cpp) instead of
-- PostgreSQL's deform + heap_form_tuple. Every stamped row here is compared byte for byte
-- (pageinspect: data area and null bitmap) with the row heap_form_tuple makes from the same values
-- (INSERT ... SELECT * into an identical table without the trigger), across the shapes that change
-- the layout: NULLs around the stamps, dropped columns, alignment-sensitive types, actor columns
-- of fixed-size and by-value types, short and long (4-byte header) varlenas, a compressed value, a
-- TOASTed value (checked by content: its pointer differs by nature), and rows written before a
-- column was added.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS audit_fields;
CREATE EXTENSION IF NOT EXISTS pageinspect SCHEMA public;
CREATE SCHEMA row_shapes;
SET search_path = row_shapes;
SET audit_fields.actor = 'alice@example.com';
SET audit_fields.actor_name = 'Alice';

-- Two tables of the same physical layout (dropped columns and storage included): one stamped by
-- the trigger, one filled by plain INSERT ... SELECT.
CREATE FUNCTION make_shape(name text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('CREATE TABLE %I (
        id int2,
        flag bool,
        gone1 int8,
        created_at timestamptz,
        small char(1),
        updated_at timestamp(3),
        gone2 text,
        payload text,
        deleted_at timestamptz,
        amount numeric,
        created_by uuid,
        created_by_name varchar(200),
        updated_by int8,
        updated_by_name text,
        deleted_by text,
        deleted_by_name text)', name);
    EXECUTE format('ALTER TABLE %I DROP COLUMN gone1, DROP COLUMN gone2', name);
END $$;
SELECT make_shape('shaped'), make_shape('plain');
SELECT audit_fields.enable('shaped');

-- byte comparison of the stamped rows with heap_form_tuple's rows of the same values
CREATE FUNCTION same_bytes(stamped regclass, formed regclass) RETURNS TABLE (rows bigint, identical bigint)
LANGUAGE sql AS $$
    WITH a AS (SELECT row_number() OVER (ORDER BY lp) n, t_data, t_bits
               FROM public.heap_page_items(public.get_raw_page(stamped::text, 0))
               WHERE t_ctid = format('(0,%s)', lp)::tid), -- the latest version of each row
         b AS (SELECT row_number() OVER (ORDER BY lp) n, t_data, t_bits
               FROM public.heap_page_items(public.get_raw_page(formed::text, 0)) WHERE t_data IS NOT NULL)
    SELECT count(*), count(*) FILTER (WHERE a.t_data = b.t_data AND a.t_bits IS NOT DISTINCT FROM b.t_bits)
    FROM a JOIN b USING (n)
$$;

SET audit_fields.actor = '6f1c1a9e-3b8e-4c1e-9d1e-0c6f2b7a9e10';
SET audit_fields.actor_name = 'Alice';
SET audit_fields.enabled = off; -- updated_by is bigint: rows written by hand first
INSERT INTO shaped (id, flag, small, payload, amount, created_at, updated_at, created_by,
                    created_by_name, updated_by, updated_by_name, deleted_at)
VALUES (1, true, 'x', 'short', 1.5, '2020-01-01', '2020-01-01', '6f1c1a9e-3b8e-4c1e-9d1e-0c6f2b7a9e10', 'A', 42, 'A', NULL),
       (2, NULL, NULL, NULL, NULL, '2020-01-01', '2020-01-01', NULL, NULL, NULL, NULL, '2020-06-01'),
       (3, false, 'y', repeat('compressible ', 400), 123456789.123, '2020-01-01', '2020-01-01', NULL, 'B', 7, repeat('n', 300), NULL);
RESET audit_fields.enabled;
-- UPDATE: updated_* stamped, the rest carried over from NEW
SET audit_fields.actor = '77';
SET audit_fields.actor_name = 'A name long enough to need a four-byte varlena header: more than one hundred and twenty-six bytes, which is the most a short header holds';
UPDATE shaped SET amount = amount;
SELECT id, updated_by, length(updated_by_name), deleted_by, created_by_name FROM shaped ORDER BY id;
INSERT INTO plain SELECT * FROM shaped ORDER BY id;
SELECT * FROM same_bytes('shaped', 'plain');

-- INSERT: every stamp written, NULLs around them
TRUNCATE shaped, plain;
SET audit_fields.actor = '5';
SET audit_fields.actor_name = 'Bob';
ALTER TABLE shaped ALTER COLUMN created_by TYPE text;
ALTER TABLE plain ALTER COLUMN created_by TYPE text;
BEGIN;
INSERT INTO shaped (id, flag, payload, deleted_at) VALUES
    (1, true, 'p', NULL), (2, NULL, NULL, now()), (3, false, repeat('z', 3000), NULL);
SELECT id, created_by, created_by_name, updated_by, deleted_by, deleted_by_name,
       created_at = now() AS created_now, updated_at = now()::timestamp(3) AS updated_now
FROM shaped ORDER BY id;
COMMIT;
INSERT INTO plain SELECT * FROM shaped ORDER BY id;
SELECT * FROM same_bytes('shaped', 'plain');

-- A TOASTed value (stored out of line) survives an UPDATE unchanged.
CREATE TABLE toasted (id int, payload text, created_at timestamptz, updated_at timestamptz,
                      updated_by text);
ALTER TABLE toasted ALTER COLUMN payload SET STORAGE EXTERNAL;
SELECT audit_fields.enable('toasted');
INSERT INTO toasted (id, payload) SELECT 1, string_agg(md5(g::text), '') FROM generate_series(1, 200) g;
SELECT md5(payload) AS before FROM toasted \gset
UPDATE toasted SET id = 2;
SELECT md5(payload) = :'before' AS payload_intact, length(payload), updated_by FROM toasted;

-- Rows written before a column was added (fewer attributes than the table): stamped all the same.
CREATE TABLE grown (id int, created_at timestamptz, updated_at timestamptz);
SELECT audit_fields.enable('grown');
INSERT INTO grown (id) VALUES (1);
ALTER TABLE grown ADD COLUMN updated_by text, ADD COLUMN note text DEFAULT 'default';
UPDATE grown SET id = 2;
SELECT id, updated_by, note, updated_at >= created_at AS ordered FROM grown;

-- A row that already holds every stamp (column defaults) is written as it is.
CREATE TABLE defaulted (
    id int,
    created_at timestamptz DEFAULT now(),
    updated_at timestamptz DEFAULT now(),
    created_by text DEFAULT current_setting('audit_fields.actor'),
    updated_by text DEFAULT current_setting('audit_fields.actor'));
SELECT audit_fields.enable('defaulted');
BEGIN;
SET LOCAL audit_fields.actor = 'carol';
INSERT INTO defaulted (id) VALUES (1);
INSERT INTO defaulted (id, created_by) VALUES (2, 'forged');
SELECT id, created_by, updated_by, created_at = now() AS created_now FROM defaulted ORDER BY id;
COMMIT;

RESET audit_fields.actor;
RESET audit_fields.actor_name;
DROP SCHEMA row_shapes CASCADE;
DROP EXTENSION pageinspect;
