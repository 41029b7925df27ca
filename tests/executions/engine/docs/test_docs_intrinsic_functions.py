"""AWS Step Functions Developer Guide, "Intrinsic functions for JSONPath states in Step
Functions" (intrinsic-functions.html): each function's documented example, and the rules around
them."""

import hashlib
import uuid

import pytest

from tests.executions.engine.support import execute


def intrinsic(expression: str, value=None):
    """Evaluate `expression` in a Pass state's Parameters ("result.$": expression)."""
    definition = {
        "StartAt": "P",
        "States": {"P": {"Type": "Pass", "Parameters": {"result.$": expression}, "End": True}},
    }
    outcome, _, _ = execute(definition, {} if value is None else value)
    return outcome


def result(expression: str, value=None):
    outcome = intrinsic(expression, value)
    assert outcome.status == "SUCCEEDED", (outcome.error, outcome.cause)
    return outcome.output["result"]


NINE = {"inputArray": [1, 2, 3, 4, 5, 6, 7, 8, 9]}


@pytest.mark.parametrize(
    ("expression", "value", "expected"),
    [
        # "States.Array": {"Id": 123456} -> [123456]
        ("States.Array($.Id)", {"Id": 123456}, [123456]),
        ("States.Array('a', 1, $.x)", {"x": None}, ["a", 1, None]),
        # "States.ArrayPartition": chunks of 4 -> [[1,2,3,4],[5,6,7,8],[9]]
        ("States.ArrayPartition($.inputArray, 4)", NINE, [[1, 2, 3, 4], [5, 6, 7, 8], [9]]),
        # "States.ArrayContains": looking for 5 -> true
        ("States.ArrayContains($.inputArray, $.lookingFor)", {**NINE, "lookingFor": 5}, True),
        ("States.ArrayContains($.inputArray, 10)", NINE, False),
        # "States.ArrayRange": States.ArrayRange(1, 9, 2) -> [1,3,5,7,9]
        ("States.ArrayRange(1, 9, 2)", {}, [1, 3, 5, 7, 9]),
        # "States.ArrayGetItem": index 5 -> 6
        ("States.ArrayGetItem($.inputArray, $.index)", {**NINE, "index": 5}, 6),
        # "States.ArrayLength": 9
        ("States.ArrayLength($.inputArray)", NINE, 9),
        # "States.ArrayUnique": [1,2,3,3,3,3,3,3,4] -> [1,2,3,4]
        ("States.ArrayUnique($.inputArray)", {"inputArray": [1, 2, 3, 3, 3, 3, 3, 3, 4]}, [1, 2, 3, 4]),
        # "States.Base64Encode": "Data to encode" -> "RGF0YSB0byBlbmNvZGU="
        ("States.Base64Encode($.input)", {"input": "Data to encode"}, "RGF0YSB0byBlbmNvZGU="),
        # "States.Base64Decode": the reverse
        ("States.Base64Decode($.base64)", {"base64": "RGF0YSB0byBlbmNvZGU="}, "Data to encode"),
        # "States.Hash": "input data" with SHA-1
        (
            "States.Hash($.Data, $.Algorithm)",
            {"Data": "input data", "Algorithm": "SHA-1"},
            "aaff4a450a104cd177d28d18d74485e8cae074b7",
        ),
        # "States.JsonMerge": a shallow merge, the second object's keys win
        (
            "States.JsonMerge($.json1, $.json2, false)",
            {"json1": {"a": {"a1": 1, "a2": 2}, "b": 2}, "json2": {"a": {"a3": 1, "a4": 2}, "c": 3}},
            {"a": {"a3": 1, "a4": 2}, "b": 2, "c": 3},
        ),
        # "States.StringToJson": an escaped JSON string -> the value
        ("States.StringToJson($.escapedJsonString)", {"escapedJsonString": '{"foo": "bar"}'}, {"foo": "bar"}),
        # "States.JsonToString": a value -> its JSON text, compact
        ("States.JsonToString($.data)", {"data": {"foo": "bar", "n": [1, 2]}}, '{"foo":"bar","n":[1,2]}'),
        # "States.MathAdd": 111 + -1 -> 110
        ("States.MathAdd($.value1, $.step)", {"value1": 111, "step": -1}, 110),
        # "States.StringSplit": "1,2,3,4,5" split on "," -> ["1","2","3","4","5"]
        (
            "States.StringSplit($.inputString, $.splitter)",
            {"inputString": "1,2,3,4,5", "splitter": ","},
            ["1", "2", "3", "4", "5"],
        ),
        # ... and every character of the splitter splits: "This.is+a,test=string" on ".+,="
        (
            "States.StringSplit($.inputString, $.splitter)",
            {"inputString": "This.is+a,test=string", "splitter": ".+,="},
            ["This", "is", "a", "test", "string"],
        ),
        # "States.Format": 'Hello, my name is {}.' with $.name
        ("States.Format('Hello, my name is {}.', $.name)", {"name": "Arnav"}, "Hello, my name is Arnav."),
    ],
)
def test_documented_examples(expression, value, expected):
    assert result(expression, value) == expected


@pytest.mark.parametrize("algorithm", ["MD5", "SHA-1", "SHA-256", "SHA-384", "SHA-512"])
def test_hash_algorithms(algorithm):
    # "States.Hash": "The hashing algorithm ... MD5, SHA-1, SHA-256, SHA-384, SHA-512".
    name = algorithm.replace("-", "").lower()
    assert result(f"States.Hash('abc', '{algorithm}')") == hashlib.new(name, b"abc").hexdigest()


def test_hash_rejects_an_unknown_algorithm():
    # Only the listed algorithms are accepted.
    assert intrinsic("States.Hash('abc', 'SHA-999')").status == "FAILED"


def test_format_reserved_characters_are_escaped_with_a_backslash():
    # "Reserved characters in intrinsic functions": ' { } \\ must be escaped with a backslash;
    # the page's example gives "Welcome to John Doe's playlist."
    expression = "States.Format('Welcome to {} {}\\'s playlist.', $.firstName, $.lastName)"
    assert result(expression, {"firstName": "John", "lastName": "Doe"}) == "Welcome to John Doe's playlist."
    assert result("States.Format('\\{\\} and \\\\')") == "{} and \\"


def test_format_renders_json_values():
    # "States.Format": arguments may be strings, numbers, booleans, null, or paths to them.
    assert result("States.Format('{} {} {} {}', 1, true, null, $.s)", {"s": "x"}) == "1 true null x"


def test_array_range_allows_at_most_1000_elements():
    # "States.ArrayRange": "The array can contain a maximum of 1000 items." Beyond a limit the
    # function fails: "States.IntrinsicFailure: An intrinsic function within a payload template
    # failed" ("Handling errors", error names), here and below.
    assert len(result("States.ArrayRange(1, 1000, 1)")) == 1000
    assert intrinsic("States.ArrayRange(1, 1001, 1)").error == "States.IntrinsicFailure"


def test_base64_input_is_limited_to_10000_characters():
    # "States.Base64Encode": "the input string ... can be up to 10,000 characters"; same for Decode.
    assert result("States.Base64Encode($.s)", {"s": "a" * 10_000})
    assert intrinsic("States.Base64Encode($.s)", {"s": "a" * 10_001}).error == "States.IntrinsicFailure"


def test_hash_input_is_limited_to_10000_characters():
    # "States.Hash": "The input data ... can be up to 10,000 characters".
    assert result("States.Hash($.s, 'MD5')", {"s": "a" * 10_000})
    assert intrinsic("States.Hash($.s, 'MD5')", {"s": "a" * 10_001}).error == "States.IntrinsicFailure"


def test_math_random_is_within_start_inclusive_and_end_exclusive():
    # "States.MathRandom": "returns a random number between the specified start (inclusive) and end
    # (exclusive)"; an optional seed gives the same number each time.
    for _ in range(20):
        assert 1 <= result("States.MathRandom(1, 3)") < 3
    assert result("States.MathRandom(1, 1000, 42)") == result("States.MathRandom(1, 1000, 42)")


def test_uuid_is_a_version_4_uuid():
    # "States.UUID": "returns a version 4 universally unique identifier (v4 UUID)".
    assert uuid.UUID(result("States.UUID()")).version == 4


def test_json_merge_supports_only_a_shallow_merge():
    # "States.JsonMerge": the third argument must be false - only the shallow mode is supported.
    assert intrinsic("States.JsonMerge($.a, $.b, true)", {"a": {}, "b": {}}).status == "FAILED"


def test_up_to_ten_intrinsics_can_be_nested():
    # "You can nest up to 10 intrinsic functions within a field in your workflows." The page's
    # example nests nine to pick the parts of an image recipe ARN.
    arn = "arn:aws:imagebuilder:us-east-1:123456789012:image-recipe/recipe-name/1.2.3"
    version = "States.ArrayGetItem(States.StringSplit($.ImageRecipe.Arn, '/'), 2)"
    part = "States.ArrayGetItem(States.StringSplit({}, '.'), {})"
    parts = ", ".join(part.format(version, i) for i in range(3))
    expression = f"States.Format('{{}}.{{}}.{{}}', {parts})"
    assert result(expression, {"ImageRecipe": {"Arn": arn}}) == "1.2.3"


@pytest.mark.parametrize(
    ("state", "field"),
    [
        ({"Type": "Pass"}, "Parameters"),
        ({"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:000000000000:function:f"}, "Parameters"),
        ({"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:000000000000:function:f"}, "ResultSelector"),
        (
            {
                "Type": "Parallel",
                "Branches": [{"StartAt": "B", "States": {"B": {"Type": "Pass", "End": True}}}],
            },
            "Parameters",
        ),
        (
            {
                "Type": "Parallel",
                "Branches": [{"StartAt": "B", "States": {"B": {"Type": "Pass", "End": True}}}],
            },
            "ResultSelector",
        ),
        (
            {
                "Type": "Map",
                "ItemsPath": "$.xs",
                "ItemProcessor": {"StartAt": "I", "States": {"I": {"Type": "Pass", "End": True}}},
            },
            "ItemSelector",
        ),
        (
            {
                "Type": "Map",
                "ItemsPath": "$.xs",
                "ItemProcessor": {"StartAt": "I", "States": {"I": {"Type": "Pass", "End": True}}},
            },
            "ResultSelector",
        ),
    ],
)
def test_fields_that_support_intrinsics(state, field):
    # "Fields that support intrinsic functions": Pass Parameters; Task Parameters, ResultSelector;
    # Parallel Parameters, ResultSelector; Map Parameters (ItemSelector), ResultSelector.
    definition = {
        "StartAt": "S",
        "States": {"S": {**state, field: {"n.$": "States.MathAdd(1, 2)"}, "End": True}},
    }
    outcome, _, _ = execute(definition, {"xs": [0]}, functions={"f": lambda e, c: e})
    assert outcome.status == "SUCCEEDED", outcome.cause
    found = outcome.output if isinstance(outcome.output, dict) else outcome.output[0]
    assert found == {"n": 3}
