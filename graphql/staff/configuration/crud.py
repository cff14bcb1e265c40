"""One factory for the Create<Type>/Update<Type>/Delete<Type> trio of ``ServiceMutation`` classes that most
configuration objects share; the classes it builds are the ones a hand-written trio would be (same names, arguments,
payload fields, descriptions and error codes).

- ``Create<Type>(input: <Input>!)`` or ``Create<Type>(<create_arguments>)`` returns ``<field>: <Type>`` from
  ``create(actor, **create_fields(data))``;
- ``Update<Type>(id: ID!, input: <Input>!)`` or ``Update<Type>(id: ID!, <update_arguments>)`` returns
  ``<field>: <Type>`` from ``update(actor, pk, **fields(data))``;
- ``Delete<Type>(id: ID!)`` returns ``deletedId: ID`` after ``delete(actor, pk)``.

``data`` is the ``input`` argument when an input type is given, the plain arguments (without ``id``) otherwise.
Create and update report ``error_codes``; delete reports only the codes every mutation can return."""

from __future__ import annotations

from collections.abc import Callable

import graphene

from ostoja.graphql.core.ids import decode_id
from ostoja.graphql.core.mutations import ServiceMutation, actor


def crud_mutations(
    object_type: type[graphene.ObjectType],
    *,
    field: str,
    create: Callable,
    update: Callable,
    delete: Callable,
    fields: Callable[[dict], dict],
    create_fields: Callable[[dict], dict] | None = None,
    input: type[graphene.InputObjectType] | None = None,
    create_arguments: dict | None = None,
    update_arguments: dict | None = None,
    error_codes: tuple[str, ...] = (),
    create_doc: str | None = None,
    update_doc: str | None = None,
    delete_doc: str | None = None,
    module: str = __name__,
) -> tuple[type[ServiceMutation], type[ServiceMutation], type[ServiceMutation]]:
    """Build (Create<Type>, Update<Type>, Delete<Type>) for ``object_type`` (the global-ID type of ``id``).

    Give either ``input`` (create and update take ``input: <Input>!``) or ``create_arguments`` and
    ``update_arguments`` (fresh graphene arguments; update gets ``id: ID!`` besides). ``fields`` turns the data
    into the service's keyword arguments (``create_fields`` for create, when it differs). ``module`` is the classes'
    ``__module__`` (where they are defined for a reader)."""
    if (input is None) == (create_arguments is None or update_arguments is None):
        raise TypeError("crud_mutations needs either input or both create_arguments and update_arguments")
    name = object_type._meta.name
    create_fields = create_fields or fields

    def data_of(arguments: dict):
        return arguments["input"] if input is not None else arguments

    def perform_create(cls, info, **arguments):
        return {field: create(actor(info), **create_fields(data_of(arguments)))}

    def perform_update(cls, info, id, **arguments):
        return {field: update(actor(info), decode_id(id, name, field="id"), **fields(data_of(arguments)))}

    def perform_delete(cls, info, id):
        delete(actor(info), decode_id(id, name, field="id"))
        return {"deleted_id": id}

    if input is not None:
        create_arguments = {"input": input(required=True)}
        update_arguments = {"id": graphene.ID(required=True), "input": input(required=True)}
    else:
        update_arguments = {"id": graphene.ID(required=True), **update_arguments}

    output = {field: object_type}
    create_class = _mutation(module, f"Create{name}", create_doc, error_codes, create_arguments, output, perform_create)
    update_class = _mutation(module, f"Update{name}", update_doc, error_codes, update_arguments, output, perform_update)
    id_argument, deleted = {"id": graphene.ID(required=True)}, {"deleted_id": graphene.ID}
    delete_class = _mutation(module, f"Delete{name}", delete_doc, (), id_argument, deleted, perform_delete)
    return create_class, update_class, delete_class


def _mutation(module, name, doc, error_codes, arguments, outputs, perform) -> type[ServiceMutation]:
    """``class <name>(ServiceMutation)`` with a Meta, an Arguments class, the output fields (name: type) and
    ``perform``."""
    body = {
        "__doc__": doc,
        "__module__": module,
        "Meta": type("Meta", (), {"error_codes": error_codes}),
        # A class, as when written by hand: graphene lists a Mutation's arguments by name from it.
        "Arguments": type("Arguments", (), dict(arguments)),
        **{output: graphene.Field(output_type) for output, output_type in outputs.items()},
        "perform": classmethod(perform),
    }
    return type(name, (ServiceMutation,), body)
