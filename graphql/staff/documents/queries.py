import graphene


class DocumentsQueries(graphene.ObjectType):
    pass
