"""The device's adapters: HTTP, license signature checks, state files, the secret store."""
