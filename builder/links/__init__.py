"""Links stage: evidence URLs checked over the network (`links`), their states kept in a committed file."""
