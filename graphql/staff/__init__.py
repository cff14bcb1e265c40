"""The staff schema, served at /graphql/ on every center host (types, queries, mutations per module)."""
