import graphene


class ProjectsQueries(graphene.ObjectType):
    pass
