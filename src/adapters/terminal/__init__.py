"""The TokenSource and ReplaceConfirmation ports: the environment, the --token option, the
hidden prompt and the replace question, over an injected terminal value."""
