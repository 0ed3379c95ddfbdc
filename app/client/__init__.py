"""The desktop client's non-GUI parts: HTTP, token checks, storage, the license controller."""
