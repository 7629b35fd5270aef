"""Site stage, the only package that knows MkDocs: page writers, escaping and formats, charts, the build."""
