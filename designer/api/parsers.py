"""DRF's JSON parser, refusing what it would otherwise let through as a 500."""

from rest_framework import parsers
from rest_framework.exceptions import ParseError


class JSONParser(parsers.JSONParser):
    """Python's decoder raises RecursionError, not ValueError, on JSON nested past the
    interpreter's recursion limit (``[[[[...`` 100,000 deep); DRF's parser only maps ValueError."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError("JSON parse error - the document is nested too deeply") from None
