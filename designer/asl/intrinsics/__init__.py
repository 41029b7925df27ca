"""ASL intrinsic functions: `States.Format(...)`, `States.ArrayRange(...)`, ... in JSONPath payloads.

`compile_intrinsic(text)` parses a call once (nested calls, string/number/boolean/null
literals, JSONPath arguments) and checks the function name and arity; `Intrinsic.evaluate`
runs it against a Scope. Semantics follow AWS's documentation and recorded executions
(conformance category intrinsic_functions): for example States.MathAdd rounds each operand
half-up as Java's Math.round does, States.StringSplit splits on any of the delimiter's
characters and drops empty strings, States.Format prints objects as Java maps do
(`{Id=..., Name=...}`), States.JsonMerge orders keys as Java's HashMap iterates them.

calls.py holds the compiled call, parser.py the grammar, functions.py the functions and
their table, java.py the Java text formats AWS's results follow.
"""

from designer.asl.intrinsics.calls import Intrinsic
from designer.asl.intrinsics.functions import INTRINSIC_FUNCTIONS
from designer.asl.intrinsics.parser import MAX_NESTING, compile_intrinsic, is_intrinsic

__all__ = ["INTRINSIC_FUNCTIONS", "MAX_NESTING", "Intrinsic", "compile_intrinsic", "is_intrinsic"]
