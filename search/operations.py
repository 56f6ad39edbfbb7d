from django.db import migrations


class CreateSearchIndex(migrations.RunSQL):
    """
    A GIN index on a table's `search_vector`, on PostgreSQL only: the column is a plain,
    unused one on other databases. Not in the model's Meta.indexes, so that SQLite, which
    rebuilds a table to alter it, never tries to create it.
    """

    def __init__(self, table, name):
        super().__init__(
            sql=f"CREATE INDEX {name} ON {table} USING gin (search_vector)",
            reverse_sql=f"DROP INDEX IF EXISTS {name}",
        )

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)
