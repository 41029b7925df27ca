"""DRF's JSON parser, refusing what it would otherwise let through as a 500."""

from rest_framework import parsers
from rest_framework.exceptions import ParseError

from symphony.storable import unstorable_at


class JSONParser(parsers.JSONParser):
    """Python's decoder raises RecursionError, not ValueError, on JSON nested past the
    interpreter's recursion limit (``[[[[...`` 100,000 deep); DRF's parser only maps ValueError.
    An unpaired surrogate (``"\\ud800"``) decodes too, but nothing can store it and DRF cannot
    even echo it in an error (its renderer writes UTF-8): refused here, for every field at once.
    NUL is left to the fields, which say which one holds it."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError("JSON parse error - the document is nested too deeply") from None
        if found := unstorable_at(data, nul_ok=True):
            path, problem = found
            raise ParseError(f"JSON parse error - the string at '{path or '$'}' contains {problem}")
        return data
