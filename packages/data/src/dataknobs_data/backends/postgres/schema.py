"""DDL of the postgres backend: the table, the key functions, expression indexes.

The key functions are IMMUTABLE SQL functions over one stored jsonb value. They give
each value's kind rank and its comparison keys, mirroring
:mod:`dataknobs_data.values.keys`:

* ``dk_rank(v)``: the cross-kind order (1 boolean ... 8 dict), NULL for missing/null;
* ``dk_num(v)``: the exact numeric value of a number (int, float or Decimal);
* ``dk_key(v)``: for booleans, strings, dates, datetimes and bytes, the text of
  :func:`~dataknobs_data.values.keys.sort_key` (strings in the escaped text domain of
  :mod:`.storage`), compared with ``COLLATE "C"`` (code point order);
* ``dk_canon(v)``: :func:`~dataknobs_data.values.keys.equality_key`, character for
  character, for lists and dicts (PL/pgSQL, used for whole-value equality and sorting).

Simple SQL functions are inlined by the planner, so filters on ``dk_num(data->'f')``
and ``dk_key(data->'f')`` use the expression indexes :func:`index_statements` creates;
equality on strings, booleans, dates and bytes compares ``data->>'f'`` (the stored
form's text, see :func:`.translate.text_form`), which has an index of its own.
"""

from __future__ import annotations

import hashlib

from psycopg import sql

__all__ = [
    "LAYOUT_VERSION",
    "functions_present_query",
    "index_statements",
    "setup_lock_statement",
    "setup_statements",
]

LAYOUT_VERSION = 3

_FUNCTIONS = r"""
CREATE OR REPLACE FUNCTION {s}.dk_num(v jsonb) RETURNS numeric
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $f$
  SELECT CASE jsonb_typeof(v)
    WHEN 'number' THEN v::numeric
    WHEN 'object' THEN COALESCE(v->>'$decimal', v->>'$float')::numeric
  END
$f$;

CREATE OR REPLACE FUNCTION {s}.dk_key(v jsonb) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $f$
  SELECT CASE jsonb_typeof(v)
    WHEN 'string' THEN '3' || (v #>> '{{}}')
    WHEN 'boolean' THEN CASE WHEN v = 'true'::jsonb THEN '11' ELSE '10' END
    WHEN 'object' THEN CASE
      WHEN v ? '$str' THEN '3' || (v->>'$str')
      WHEN v ? '$date' THEN '4' || (v->>'$date')
      WHEN v ? '$datetime' THEN '5' || left(v->>'$datetime', 26)
      WHEN v ? '$bytes' THEN '6' || encode(decode(v->>'$bytes', 'base64'), 'hex')
    END
  END
$f$;

CREATE OR REPLACE FUNCTION {s}.dk_rank(v jsonb) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $f$
  SELECT CASE jsonb_typeof(v)
    WHEN 'boolean' THEN 1
    WHEN 'number' THEN 2
    WHEN 'string' THEN 3
    WHEN 'array' THEN 7
    WHEN 'object' THEN CASE
      WHEN v ? '$decimal' OR v ? '$float' THEN 2
      WHEN v ? '$str' THEN 3
      WHEN v ? '$date' THEN 4
      WHEN v ? '$datetime' THEN 5
      WHEN v ? '$bytes' THEN 6
      ELSE 8
    END
  END
$f$;

CREATE OR REPLACE FUNCTION {s}.dk_json(t text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $f$
  SELECT replace(replace(to_jsonb(t)::text, '\u0001\u0001', '\u0000'), '\u0001\u0002', '\u0001')
$f$;

CREATE OR REPLACE FUNCTION {s}.dk_numkey(n numeric) RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $f$
DECLARE
  t text; ip text; fp text; digits text; adj integer;
BEGIN
  IF n = 0 THEN RETURN '1'; END IF;
  t := abs(n)::text;
  ip := split_part(t, '.', 1);
  fp := split_part(t, '.', 2);
  IF ip <> '0' THEN
    adj := length(ip);
    digits := rtrim(ip || fp, '0');
  ELSE
    adj := length(ltrim(fp, '0')) - length(fp);
    digits := rtrim(ltrim(fp, '0'), '0');
  END IF;
  IF n > 0 THEN
    RETURN '2' || lpad((adj + 500000)::text, 6, '0') || digits;
  END IF;
  RETURN '0' || lpad((500000 - adj)::text, 6, '0')
    || translate(digits, '0123456789', '9876543210') || '~';
END
$f$;

CREATE OR REPLACE FUNCTION {s}.dk_canon(v jsonb) RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $f$
DECLARE
  r integer := {s}.dk_rank(v);
BEGIN
  IF r IS NULL THEN RETURN 'null'; END IF;
  IF r = 2 THEN RETURN {s}.dk_json('2' || {s}.dk_numkey({s}.dk_num(v))); END IF;
  IF r = 7 THEN
    RETURN '[' || COALESCE((SELECT string_agg({s}.dk_canon(e), ',' ORDER BY i)
                            FROM jsonb_array_elements(v) WITH ORDINALITY AS x(e, i)), '') || ']';
  END IF;
  IF r = 8 THEN
    RETURN '{{"d":[' || COALESCE((
      SELECT string_agg('[' || {s}.dk_json(k) || ',' || {s}.dk_canon(val) || ']', ','
                        ORDER BY k COLLATE "C")
      FROM (SELECT CASE WHEN key LIKE '$$%' THEN substr(key, 2) ELSE key END AS k, value AS val
            FROM jsonb_each(v) WHERE key <> '$order') AS kv), '') || ']}}';
  END IF;
  RETURN {s}.dk_json({s}.dk_key(v));
END
$f$;

CREATE OR REPLACE FUNCTION {s}.dk_layout_v{version}() RETURNS integer
LANGUAGE sql IMMUTABLE AS $f$ SELECT {version} $f$;
"""


def setup_statements(schema: str, table: str, *, functions: bool) -> list[sql.SQL | sql.Composed]:
    """Statements creating the schema, the functions (if ``functions``) and the table.

    Run them in one transaction after :func:`setup_lock_statement`; they are idempotent.
    """
    s = sql.Identifier(schema)
    statements: list[sql.SQL | sql.Composed] = [sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(s)]
    if functions:
        text = _FUNCTIONS.format(s=s.as_string(None), version=LAYOUT_VERSION)
        statements.append(sql.SQL(text))
    statements.append(
        sql.SQL(
            'CREATE TABLE IF NOT EXISTS {} (id text COLLATE "C" PRIMARY KEY, '
            "data jsonb NOT NULL, metadata jsonb NOT NULL DEFAULT '{{}}'::jsonb, "
            "field_order text)"
        ).format(sql.Identifier(schema, table))
    )
    return statements


def functions_present_query(schema: str) -> tuple[sql.SQL, tuple[object, ...]]:
    """A query returning a row when the schema has this layout's functions."""
    return (
        sql.SQL(
            "SELECT 1 FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
            "WHERE n.nspname = %s AND p.proname = %s"
        ),
        (schema, f"dk_layout_v{LAYOUT_VERSION}"),
    )


def setup_lock_statement(schema: str) -> tuple[sql.SQL, tuple[object, ...]]:
    """A transaction-level advisory lock serialising setup of one schema."""
    digest = hashlib.blake2b(f"dataknobs:{schema}".encode(), digest_size=8).digest()
    return sql.SQL("SELECT pg_advisory_xact_lock(%s)"), (
        int.from_bytes(digest, "big", signed=True),
    )


def index_statements(
    schema: str, table: str, field_expr: sql.Composable, text_expr: sql.Composable, field: str
) -> list[sql.Composed]:
    """Expression indexes for one field: numbers, ordered scalars, equality by stored text."""
    digest = hashlib.blake2b(field.encode(), digest_size=6).hexdigest()
    base = f"{table[:40]}_dk_{digest}"
    s = sql.Identifier(schema)
    target = sql.Identifier(schema, table)
    return [
        sql.SQL("CREATE INDEX IF NOT EXISTS {} ON {} ({}.dk_num({}))").format(
            sql.Identifier(base + "_num"), target, s, field_expr
        ),
        sql.SQL('CREATE INDEX IF NOT EXISTS {} ON {} (({}.dk_key({}) COLLATE "C"))').format(
            sql.Identifier(base + "_key"), target, s, field_expr
        ),
        sql.SQL("CREATE INDEX IF NOT EXISTS {} ON {} (({}))").format(
            sql.Identifier(base + "_txt"), target, text_expr
        ),
        sql.SQL("ANALYZE {}").format(target),
    ]
