"""Implementations of the domain's ports, one subpackage per port they serve: ``http`` (the
TokenValidator), ``store`` (the SecretStore), ``terminal`` (the TokenSources and the
ReplaceConfirmation); ``clock`` and ``diagnostics`` are shared by them."""
