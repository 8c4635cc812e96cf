"""Implementations of the domain's ports, one subpackage per port they serve: ``http`` (the
TokenValidator), ``store`` (the SecretStore), ``terminal`` (the TokenSources and the
ReplaceConfirmation), ``process`` (the CommandRunner), ``legacy`` (the old nanoctl's token
files); ``clock`` is shared by them. What they report with -v is ``nanoctl.domain.events``."""
