"""Editor stage: JSON Schemas for editors and the `new` scaffold."""
