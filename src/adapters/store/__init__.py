"""The SecretStore port: the credential encrypted in a private file, its key in the OS keyring
or a key file."""
