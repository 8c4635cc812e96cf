"""The CommandRunner port: another program run with the credential, as `nanoctl exec` does."""
