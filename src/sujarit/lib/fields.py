"""A model field whose value is stored sealed (encrypted and authenticated, see ``crypto``).

``SealedTextField`` holds text in Python (``complainant.name`` is a ``str``, templates and forms
read it as usual) and a sealed token in the database (a binary column: ``bytea`` on PostgreSQL,
``BLOB`` on SQLite). An empty value is stored as NULL, so that "no e-mail given" needs no
token; that a value exists is the only thing a dump tells.

The token is bound to its column and, with ``bind=``, to its row: the context is
``"<app>.<model>.<column>"`` followed by ``":<value of the bind field>"``. The bind field must
be set before the first save and never change afterwards (``Complainant`` binds to ``case_id``,
which is given on creation; the primary key cannot serve, as it is unknown before the insert).
A token copied to another row or column then fails to open instead of showing another person's
details.

Values are sealed in ``pre_save``, only when they were set in Python: a row loaded and saved
again keeps its tokens, so re-encrypting under a new key is an explicit step
(``sujarit rotate-keys``, see ``sujarit.lib.rotation``). Sealed columns cannot be searched or
filtered on their content; ``QuerySet.update()`` accepts only ``""`` (erasing) or a ``Sealed``.
"""

from __future__ import annotations

from base64 import b64encode
from typing import Any

from django import forms
from django.core import validators
from django.db import models
from django.db.models.query_utils import DeferredAttribute

from sujarit.lib import crypto


class Sealed:
    """A token as read from the database, opened at most once per instance."""

    __slots__ = ("opened", "token")

    def __init__(self, token: bytes, opened: str | None = None) -> None:
        self.token = token
        self.opened = opened

    def __repr__(self) -> str:
        # Never the plaintext, even in a debugger or a traceback.
        return f"<Sealed under {crypto.key_name_of(self.token)!r}>"

    @property
    def key_name(self) -> str:
        return crypto.key_name_of(self.token)


class SealedAttribute(DeferredAttribute):
    """Opens the token on first read; a value assigned in Python is kept as text until saved."""

    field: SealedTextField

    def __get__(self, instance: Any, cls: Any = None) -> Any:
        if instance is None:
            return self
        value = super().__get__(instance, cls)
        if isinstance(value, Sealed):
            if value.opened is None:
                context = self.field.context_for(instance)
                value.opened = crypto.unseal(value.token, context=context).decode()
            return value.opened
        return value

    def __set__(self, instance: Any, value: Any) -> None:
        instance.__dict__[self.field.attname] = self.field.python_value(value)


class SealedTextField(models.Field):  # type: ignore[type-arg]
    description = "Text sealed with the site's data key"
    descriptor_class = SealedAttribute

    def __init__(self, *args: Any, bind: str = "", **kwargs: Any) -> None:
        # Empty values are NULL, so the column is always nullable and may be left blank.
        kwargs["null"] = True
        kwargs.setdefault("blank", True)
        self.bind = bind
        super().__init__(*args, **kwargs)
        if self.max_length is not None:
            self.validators.append(validators.MaxLengthValidator(self.max_length))

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("null", None)
        if kwargs.get("blank") is True:
            del kwargs["blank"]
        else:
            kwargs["blank"] = False
        if self.bind:
            kwargs["bind"] = self.bind
        return name, path, args, kwargs

    def get_internal_type(self) -> str:
        return "BinaryField"

    def get_placeholder(self, value: Any, compiler: Any, connection: Any) -> Any:
        return connection.ops.binary_placeholder_sql(value)

    # --- contexts ----------------------------------------------------------------------------

    def context_base(self) -> str:
        return f"{self.model._meta.label_lower}.{self.attname}"

    def context(self, bind_value: object) -> str:
        """The associated data of this column's token in the row whose bind field is
        ``bind_value``."""
        if not self.bind:
            return self.context_base()
        if bind_value is None or bind_value == "":
            raise ValueError(
                f"{self.model._meta.label}.{self.bind} must be set before {self.attname} is sealed"
            )
        return f"{self.context_base()}:{bind_value}"

    def context_for(self, instance: models.Model) -> str:
        return self.context(getattr(instance, self.bind) if self.bind else None)

    # --- values ------------------------------------------------------------------------------

    def python_value(self, value: Any) -> str | Sealed:
        if value is None:
            return ""
        if isinstance(value, Sealed | str):
            return value
        if isinstance(value, bytes | bytearray | memoryview):
            token = bytes(value)
            return Sealed(token) if token else ""
        raise TypeError(f"{self.attname} holds text, not {type(value).__name__}")

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Sealed | None:
        if value is None:
            return None
        token = bytes(value)
        return Sealed(token) if token else None

    def to_python(self, value: Any) -> Any:
        if isinstance(value, Sealed) or value is None:
            return value
        return str(value)

    def pre_save(self, model_instance: models.Model, add: bool) -> bytes | None:
        value = model_instance.__dict__.get(self.attname, "")
        if isinstance(value, Sealed):
            return value.token
        if not value:
            return None
        token = crypto.seal(str(value).encode(), context=self.context_for(model_instance))
        model_instance.__dict__[self.attname] = Sealed(token, opened=str(value))
        return token

    def get_prep_value(self, value: Any) -> bytes | None:
        if value is None or value == "" or value == b"":
            return None
        if isinstance(value, Sealed):
            return value.token
        if isinstance(value, bytes | memoryview):
            return bytes(value)
        # Sealing needs the row (its bind field): a bare string only comes here from
        # ``QuerySet.update(name="Somchai")`` or a lookup, neither of which can be honoured.
        raise TypeError(
            f"{self.attname} is sealed: set it on a model instance and save it, or update it "
            "to an empty string to erase it"
        )

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        value = super().get_db_prep_value(value, connection, prepared)
        if value is not None:
            return connection.Database.Binary(value)
        return value

    def value_to_string(self, obj: models.Model) -> str:
        # Serialized (dumpdata) as the token in base64: a dump is no more revealing than the
        # table it came from. Loading such a dump back (``loaddata``) is not supported: raw
        # saves bypass ``pre_save``, and sealed models are not fixtures.
        value = obj.__dict__.get(self.attname, "")
        if not isinstance(value, Sealed):
            return ""
        return b64encode(value.token).decode("ascii")

    def formfield(self, **kwargs: Any) -> Any:
        defaults: dict[str, Any] = {"form_class": forms.CharField, "max_length": self.max_length}
        defaults.update(kwargs)
        return super().formfield(**defaults)
