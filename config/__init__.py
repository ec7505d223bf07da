"""Project configuration: settings, URLs and the ASGI entry point."""
