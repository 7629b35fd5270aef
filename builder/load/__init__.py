"""Load stage: YAML with positions → typed values → model objects; a `Tree` is a folder or a commit."""
