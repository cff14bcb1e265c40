"""The committed SDL (graphql/staff/schema.graphql, graphql/platform/schema.graphql) is what the code serves."""

from ostoja.graphql.core import sdl


def test_committed_sdl_matches_the_code():
    stale = sdl.drifted()
    assert not stale, f"The committed SDL of {stale} differs from the code: run `ostoja graphql_sdl` and commit it."
