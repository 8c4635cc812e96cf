"""The SecretStore port: the credential encrypted in a private file, its key in the OS keyring
or a key file (POSIX only); ``unsupported`` refuses plainly where that cannot work."""

CREDENTIAL_FILE = "credentials.json"
"""The credential's file name in the config directory, on every platform."""
