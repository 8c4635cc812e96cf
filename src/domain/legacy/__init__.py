"""The old Node nanoctl's token files, and the import that moves their token into nanoctl's
store (issue #14): ``files`` (what a legacy file is, the port that finds, reads and destroys
them, what an import did), ``errors``, ``importing`` (`login --import-legacy`), ``offer``
(the step an interactive login takes before its prompt) and ``status`` (the files `status`
mentions). The format and the shredding are ``nanoctl.adapters.legacy``'s business."""
