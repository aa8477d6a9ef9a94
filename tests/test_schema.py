"""The bundled schema: valid, in step with columns.py, and its problems reported in one message."""

from __future__ import annotations

import pytest
import yaml

from sheetkit import columns as C
from sheetkit.errors import SchemaError
from sheetkit.resources import default_schema_path
from sheetkit.schema import compile_schema, load_schema


def test_columns_module_lists_the_schema_fields_in_order():
    fields = list(yaml.safe_load(default_schema_path().read_text(encoding="utf-8"))["fields"])
    assert fields == C.SCHEMA_FIELDS


def test_every_alias_maps_to_one_field_only(schema):
    from sheetkit.schema import header_key
    seen = {}
    for f in schema.fields.values():
        for a in f.aliases:
            assert seen.setdefault(header_key(a), f.name) == f.name, f"alias {a!r} of {f.name} and {seen[header_key(a)]}"


def test_compiled_schema_names_checks_by_issue_code(schema):
    compiled = compile_schema(schema)
    names = {c.name for col in compiled.columns.values() for c in col.checks}
    assert {"invalid-phone", "invalid-email", "invalid-date", "invalid-amount", "invalid-gender"} <= names


@pytest.mark.parametrize("text, message", [
    ("fields: [1, 2]", "needs a 'fields:' mapping"),
    ("fields:\n  a: {kind: phone, checks: [{check: nope, code: x}]}", "check 'nope' is not one of"),
    ("fields:\n  a: {checks: [{check: str_matches, args: {pattern: '('}, code: x}]}", "a check cannot be built"),
    ("fields:\n  a: {}\nrules:\n  - {code: r, require_any: [b]}", "require_any must list schema fields"),
    ("fields: {a: {kind: [}", "not valid YAML"),
    ("fields:\n  a: {checks: [{check: valid_email, args: {strict: true}, code: x}]}",
     "valid_email got an unexpected keyword argument 'strict'"),
    ("fields:\n  a: {}\n  b: {}\nrules:\n  - {code: r, check: not_after, fields: [a]}", "fields must list two"),
])
def test_bad_schemas_are_reported_with_what_is_wrong(tmp_path, text, message):
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SchemaError, match="schema .*s.yaml") as err:
        load_schema(path)
    assert message in str(err.value)


def test_missing_schema_file(tmp_path):
    with pytest.raises(SchemaError, match="cannot read schema"):
        load_schema(tmp_path / "nope.yaml")
