"""DynamoDB adapters (single-table design, see README "Data model")."""
