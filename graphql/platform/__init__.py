"""The platform schema, served at /graphql/ on the bare BASE_DOMAIN: operators and regional partners."""
