"""The Amazon States Language core: pure Python, no Django, no database, no network."""
