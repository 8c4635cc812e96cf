"""The TokenValidator port over HTTP(S): asks ``GET {api}/login`` whom a token belongs to."""
