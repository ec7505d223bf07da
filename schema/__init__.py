"""The GraphQL API, generated from the module definitions."""
