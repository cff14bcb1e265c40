"""What both GraphQL schemas share: center-bound global IDs, connections, typed mutation errors, limits, the view."""
