"""``python -m dataknobs_data.cli``: the same as the ``dataknobs`` command."""

from dataknobs_data.cli import main

main()
