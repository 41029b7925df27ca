"""Hot lookups and inserts compiled once.

The ORM compiles a queryset's SQL each time it runs. On the Step Functions endpoint, where a
call is a lookup by ARN or two, compiling was half of the call's database work
(tests/bench/bench_runner.py under py-spy). A ``PreparedQuery`` builds its queryset once per
database with a marker in place of each value and keeps the SQL, the markers' places among the
parameters and the fields' converters; then it runs that statement with the values given and
makes model instances as the ORM does.

Plain querysets of one model only (filters, ``defer``/``only``, ordering, slicing): no
``select_related``, no annotations. Each value must reach the SQL as given, as a text lookup's
does (``arn=...``): compiling refuses a queryset where a marker is changed or lost.

``insert(instance)`` is ``instance.save()`` for a new row, with its INSERT written once per model
and database (a StartExecution's insert was compiled anew at every start).
"""

import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connections, router
from django.db.models import Model, QuerySet, signals


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple
    slots: tuple[int, ...]  # the parameter each value goes to
    model: type[Model]
    init_list: list[str]  # the model's columns among the selected ones, in order
    fields: slice
    converters: dict[int, tuple[list, Any]]


class PreparedQuery:
    """``PreparedQuery(lambda arn: Execution.objects.filter(arn=arn))``, then ``.first(arn)``."""

    def __init__(self, build: Callable[..., QuerySet]) -> None:
        self._build = build
        self._arity = len(inspect.signature(build).parameters)
        self._compiled: dict[str, _Compiled] = {}
        self._model: type[Model] | None = None

    def first(self, *values: Any) -> Any:
        """The first row's instance, or None."""
        found = self.all(*values)
        return found[0] if found else None

    def all(self, *values: Any) -> list:
        alias = router.db_for_read(self._model) if self._model is not None else None
        compiled = self._compiled.get(alias) if alias is not None else None
        if compiled is None:
            alias, compiled = self._compile()
        params = list(compiled.params)
        for slot, value in zip(compiled.slots, values, strict=True):
            params[slot] = value
        connection = connections[alias]
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        found = []
        for row in rows:
            if compiled.converters:
                row = list(row)
                for position, (converters, expression) in compiled.converters.items():
                    value = row[position]
                    for convert in converters:
                        value = convert(value, expression, connection)
                    row[position] = value
            found.append(compiled.model.from_db(alias, compiled.init_list, row[compiled.fields]))
        return found

    def _compile(self) -> tuple[str, _Compiled]:
        markers = [f"\x00prepared value {i}\x00" for i in range(self._arity)]
        queryset = self._build(*markers)
        compiler = queryset.query.get_compiler(using=queryset.db)
        sql, params = compiler.as_sql()  # fills compiler.select and klass_info
        klass_info = compiler.klass_info
        if klass_info.get("related_klass_infos") or compiler.annotation_col_map:
            raise TypeError("PreparedQuery takes plain querysets of one model")
        slots = tuple(i for marker in markers for i, param in enumerate(params) if param == marker)
        if len(slots) != len(markers):
            raise TypeError("PreparedQuery needs each value once in the SQL, as given")
        selected = klass_info["select_fields"]
        fields = slice(selected[0], selected[-1] + 1)
        compiled = _Compiled(
            sql=sql,
            params=tuple(params),
            slots=slots,
            model=klass_info["model"],
            init_list=[column[0].target.attname for column in compiler.select[fields]],
            fields=fields,
            converters=compiler.get_converters([column[0] for column in compiler.select]),
        )
        self._model = compiled.model
        self._compiled[queryset.db] = compiled
        return queryset.db, compiled


def insert(instance: Model) -> None:
    """``instance.save()`` of a new row whose primary key the database assigns. A model with
    save signals' receivers, or a database that cannot return the new key, is saved by the ORM."""
    model = type(instance)
    alias = router.db_for_write(model, instance=instance)
    connection = connections[alias]
    statement = _insert_statement(model, connection.vendor, alias)
    if (
        statement is None
        or instance.pk is not None
        or signals.pre_save.has_listeners(model)
        or signals.post_save.has_listeners(model)
    ):
        instance.save(force_insert=True, using=alias)
        return
    sql, fields = statement
    params = [field.get_db_prep_save(field.pre_save(instance, add=True), connection) for field in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        instance.pk = cursor.fetchone()[0]
    instance._state.adding = False
    instance._state.db = alias


@functools.cache
def _insert_statement(model: type[Model], vendor: str, alias: str) -> tuple[str, list] | None:
    """The INSERT and its fields; None where the ORM's own is needed (values the database makes,
    no RETURNING). ``vendor``: part of the cache key."""
    connection = connections[alias]
    quote = connection.ops.quote_name
    meta = model._meta
    fields = [field for field in meta.local_concrete_fields if field is not meta.auto_field]
    if (
        meta.auto_field is None
        or not connection.features.can_return_columns_from_insert
        or any(field.generated or field.has_db_default() for field in fields)
    ):
        return None
    columns = ", ".join(quote(field.column) for field in fields)
    values = ", ".join(["%s"] * len(fields))
    returning, _ = connection.ops.return_insert_columns([meta.pk])
    return f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({values}) {returning}", fields
