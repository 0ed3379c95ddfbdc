"""The HTTP API: thin routes over app.server.services."""
