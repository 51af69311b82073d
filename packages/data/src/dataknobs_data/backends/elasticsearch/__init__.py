"""The Elasticsearch backend: ElasticsearchDatabase and AsyncElasticsearchDatabase.

Records are stored exactly as tagged JSON and queried through derived keyword
keys (see :mod:`.storage`); every operator of the query language runs in the
query DSL (see :mod:`.dsl`). Needs ``elasticsearch`` 8 (the ``elasticsearch``
extra of dataknobs-data).
"""

from dataknobs_data.backends.elasticsearch.database import (
    AsyncElasticsearchDatabase,
    ElasticsearchDatabase,
)
from dataknobs_data.backends.elasticsearch.options import ElasticsearchOptions

__all__ = ["AsyncElasticsearchDatabase", "ElasticsearchDatabase", "ElasticsearchOptions"]
