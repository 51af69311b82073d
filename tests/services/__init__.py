"""Real test servers (PostgreSQL, Elasticsearch, S3) for the dataknobs test suite."""
