"""The ASL interpreter: pure Python, asynchronous, no Django, no database, no network."""
