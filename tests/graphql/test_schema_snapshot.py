"""The committed SDL is the API's contract: code and file must agree, and a breaking change
is named, never silent. Regenerate on purpose with `make schema`."""

from pathlib import Path

from graphql import build_schema, find_breaking_changes

from graphql_schema.schema import schema

SDL_FILE = Path(__file__).resolve().parents[2] / "graphql_schema" / "schema.graphql"


def test_committed_sdl_matches_the_code():
    committed = SDL_FILE.read_text()
    current = schema.as_str()
    if committed.strip() != current.strip():
        breaking = find_breaking_changes(build_schema(committed), build_schema(current))
        listed = "\n".join(f"- {c.type.name}: {c.description}" for c in breaking) or "- none"
        raise AssertionError(
            "graphql_schema/schema.graphql differs from the code; run `make schema` and review.\n"
            f"Breaking changes for clients:\n{listed}"
        )


def test_every_type_and_field_has_a_description():
    gql = schema._schema
    missing = []
    for name, type_ in gql.type_map.items():
        if name.startswith("__") or name in {"String", "Int", "Boolean", "ID", "Float"}:
            continue
        if not type_.description:
            missing.append(name)
        for field_name, field in (getattr(type_, "fields", None) or {}).items():
            if not field.description:
                missing.append(f"{name}.{field_name}")
    assert missing == []
